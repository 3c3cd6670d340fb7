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

    /// Takes a name ldns made (`ldns_dname_clone_from`, …): its presentation form, and frees it.
    static func takeName(_ name: UnsafeMutablePointer<ldns_rdf>?) -> String? {
        guard let name else { return nil }
        defer { ldns_rdf_deep_free(name) }
        return LDNSConvert.text(of: name)
    }
}

/// Reads an `ldns_rr` that something else owns (a packet, or `OwnedRR`) into a core value.
enum LDNSConvert {
    /// `owner`: the owner's text when the caller already has it (a reply's question name).
    /// The typed fields (`DNSRecord.code`, `.fields`) are read here from ldns's fields, once:
    /// the numbers and addresses from their bytes, the names from the text made for reports.
    static func record(_ rr: UnsafeMutablePointer<ldns_rr>, location: SourceLocation? = nil, owner: String? = nil) -> DNSRecord {
        let type = ldns_rr_get_type(rr)
        let count = ldns_rr_rd_count(rr)
        let rdata = (0..<count).map { text(of: ldns_rr_rdf(rr, $0)) }
        let code = RRType(rawValue: UInt16(truncatingIfNeeded: type.rawValue))
        return DNSRecord(owner: owner ?? text(of: ldns_rr_owner(rr)), type: QueryWire.name(type), code: code,
                         ttl: ldns_rr_ttl(rr), rdata: rdata, fields: fields(rr, code, count, rdata), location: location)
    }

    /// The rdata the checker reads, from the fields ldns laid out; `.other` when they do not
    /// have the type's form.
    static func fields(_ rr: UnsafeMutablePointer<ldns_rr>, _ code: RRType, _ count: Int, _ rdata: [String]) -> DNSRecord.Fields {
        func int16(_ i: Int) -> UInt16? {
            guard let rdf = ldns_rr_rdf(rr, i), ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_INT16, ldns_rdf_size(rdf) == 2 else { return nil }
            return ldns_rdf2native_int16(rdf)
        }
        func isName(_ i: Int) -> Bool { ldns_rr_rdf(rr, i).map { ldns_rdf_get_type($0) == LDNS_RDF_TYPE_DNAME } ?? false }
        // The name lower-cased: most names already are, which the wire bytes tell (a length
        // octet is at most 63, never a letter), and then the text made for reports is it.
        func lowered(_ i: Int) -> String {
            if let rdf = ldns_rr_rdf(rr, i), let data = ldns_rdf_data(rdf) {
                let size = ldns_rdf_size(rdf)
                var k = 0
                while k < size, data[k] &- UInt8(ascii: "A") >= 26 { k += 1 }
                if k == size { return rdata[i] }
            }
            return rdata[i].dnsLowercased
        }
        switch code {
        case .srv:
            guard count == 4, let p = int16(0), let w = int16(1), let port = int16(2), isName(3) else { return .other }
            return .srv(priority: p, weight: w, port: port, target: lowered(3))
        case .a, .aaaa:
            guard count == 1, let rdf = ldns_rr_rdf(rr, 0) else { return .other }
            let size = ldns_rdf_size(rdf)
            let expected = code == .a ? (LDNS_RDF_TYPE_A, 4) : (LDNS_RDF_TYPE_AAAA, 16)
            guard ldns_rdf_get_type(rdf) == expected.0, size == expected.1,
                  let ip = IPAddress(bytes: Array(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: size))) else { return .other }
            return .address(ip)
        case .cname, .dname, .ns:
            guard count == 1, isName(0) else { return .other }
            return .name(lowered(0))
        case .tlsa:
            func int8(_ i: Int) -> UInt8? {
                // ldns lays the three out as their own one-octet types (ldns/rdata.h).
                let kinds = [LDNS_RDF_TYPE_CERTIFICATE_USAGE, LDNS_RDF_TYPE_SELECTOR, LDNS_RDF_TYPE_MATCHING_TYPE]
                guard let rdf = ldns_rr_rdf(rr, i), ldns_rdf_size(rdf) == 1,
                      ldns_rdf_get_type(rdf) == kinds[i] || ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_INT8 else { return nil }
                return ldns_rdf2native_int8(rdf)
            }
            guard count == 4, let u = int8(0), let s = int8(1), let m = int8(2), let rdf = ldns_rr_rdf(rr, 3),
                  ldns_rdf_get_type(rdf) == LDNS_RDF_TYPE_HEX else { return .other }
            return .tlsa(usage: u, selector: s, matchingType: m,
                         data: Array(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: ldns_rdf_size(rdf))))
        default:
            return .other
        }
    }

    /// The presentation form of one field, as `ldns_rdf2str` writes it. Names and integers are
    /// written here from the field ldns laid out: ldns prints a name one character at a time
    /// through `printf` (about 25,000 instructions per name, most of the time spent converting
    /// records), and the escaping below is the same as ldns's.
    static func text(of rdf: UnsafeMutablePointer<ldns_rdf>?) -> String {
        guard let rdf else { return "" }
        let size = ldns_rdf_size(rdf)
        switch ldns_rdf_get_type(rdf) {
        case LDNS_RDF_TYPE_DNAME:
            return WireName.string(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: size), lowercased: false)
        case LDNS_RDF_TYPE_A where size == 4:
            let d = ldns_rdf_data(rdf)!
            return "\(d[0]).\(d[1]).\(d[2]).\(d[3])"
        case LDNS_RDF_TYPE_AAAA where size == 16:
            // inet_ntop, as ldns_rdf2str uses, without its buffer and printf.
            return withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN)) { out in
                guard inet_ntop(AF_INET6, ldns_rdf_data(rdf), out.baseAddress, socklen_t(INET6_ADDRSTRLEN)) != nil else {
                    return LDNSMemory.takeString(ldns_rdf2str(rdf))
                }
                return String(cString: out.baseAddress!)
            }
        case LDNS_RDF_TYPE_INT8 where size == 1: return String(ldns_rdf2native_int8(rdf))
        case LDNS_RDF_TYPE_INT16 where size == 2: return String(ldns_rdf2native_int16(rdf))
        case LDNS_RDF_TYPE_INT32 where size == 4: return String(ldns_rdf2native_int32(rdf))
        default: return LDNSMemory.takeString(ldns_rdf2str(rdf))
        }
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
