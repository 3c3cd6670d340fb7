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
    /// A domain name in lower-case presentation form with the final dot.
    static func lowercasedName(_ rdf: UnsafeMutablePointer<ldns_rdf>?) -> String {
        var buffer: [UInt8] = []
        return withLowercasedName(rdf, buffer: &buffer) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the name's lower-case presentation form. Names made of
    /// letters, digits, `-`, `_` and `*` (nearly all) are copied label by label from the wire
    /// form ldns holds into `buffer`; anything else goes through `ldns_rdf2str`, which escapes
    /// it. The fast path exists because `ldns_rdf2str` costs as much as parsing the record.
    static func withLowercasedName<T>(_ rdf: UnsafeMutablePointer<ldns_rdf>?, buffer: inout [UInt8],
                                      _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        buffer.removeAll(keepingCapacity: true)
        guard let rdf, let data = ldns_rdf_data(rdf) else { return buffer.withUnsafeBufferPointer(body) }
        let size = ldns_rdf_size(rdf)
        var i = 0, plain = true
        while plain && i < size {
            let length = Int(data[i])
            if length == 0 { break }
            guard i + length < size else { plain = false; break }
            for j in (i + 1)...(i + length) {
                var c = data[j]
                switch c {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): c += 32
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                     UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "*"): break
                default: plain = false
                }
                buffer.append(c)
            }
            buffer.append(UInt8(ascii: "."))
            i += length + 1
        }
        if buffer.isEmpty && plain { buffer.append(UInt8(ascii: ".")) }  // the root
        if !plain {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: LDNSMemory.takeString(ldns_rdf2str(rdf)).lowercased().utf8)
        }
        return buffer.withUnsafeBufferPointer(body)
    }

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

/// The `$ORIGIN` and previous-owner state ldns keeps while reading a master file.
final class ParserState {
    var origin: UnsafeMutablePointer<ldns_rdf>?
    var previous: UnsafeMutablePointer<ldns_rdf>?
    var defaultTTL: UInt32 = 3600
    var line: Int32 = 0

    deinit {
        if let origin { ldns_rdf_deep_free(origin) }
        if let previous { ldns_rdf_deep_free(previous) }
    }
}
