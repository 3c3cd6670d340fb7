import CLDNS
import FedplanCore
import Glibc

/// The one place that knows who frees what ldns hands out. Every ldns pointer that crosses into
/// Swift is wrapped here and freed exactly once.
enum LDNSMemory {
    /// Takes a malloc'd C string from ldns (`ldns_rdf2str`, `ldns_rr_type2str`, …) and frees it.
    static func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// Reads an `ldns_rr` that something else owns (a packet, or `OwnedRR`) into a core value.
enum LDNSConvert {
    static func record(_ rr: UnsafeMutablePointer<ldns_rr>, location: SourceLocation? = nil) -> DNSRecord {
        DNSRecord(
            owner: LDNSMemory.takeString(ldns_rdf2str(ldns_rr_owner(rr))),
            type: LDNSMemory.takeString(ldns_rr_type2str(ldns_rr_get_type(rr))),
            ttl: ldns_rr_ttl(rr),
            rdata: (0..<ldns_rr_rd_count(rr)).map { LDNSMemory.takeString(ldns_rdf2str(ldns_rr_rdf(rr, $0))) },
            location: location)
    }
}

/// An `ldns_rr` owned by Swift, freed when the wrapper goes.
final class OwnedRR {
    let pointer: UnsafeMutablePointer<ldns_rr>

    init(_ pointer: UnsafeMutablePointer<ldns_rr>) {
        self.pointer = pointer
    }

    deinit { ldns_rr_free(pointer) }
}

/// An `ldns_pkt` owned by Swift (with every record in it), freed when the wrapper goes.
final class OwnedPacket {
    let pointer: UnsafeMutablePointer<ldns_pkt>

    init(_ pointer: UnsafeMutablePointer<ldns_pkt>) {
        self.pointer = pointer
    }

    deinit { ldns_pkt_free(pointer) }

    /// The records of a section (`ldns_pkt_answer`, …), converted.
    func records(_ section: (UnsafePointer<ldns_pkt>?) -> UnsafeMutablePointer<ldns_rr_list>?) -> [DNSRecord] {
        guard let list = section(pointer) else { return [] }
        return (0..<ldns_rr_list_rr_count(list)).compactMap { i in
            ldns_rr_list_rr(list, i).map { LDNSConvert.record($0) }
        }
    }
}
