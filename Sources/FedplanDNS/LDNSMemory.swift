import CLDNS
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

/// An `ldns_rr` owned by Swift, freed when the wrapper goes.
final class OwnedRR {
    let pointer: UnsafeMutablePointer<ldns_rr>

    init(_ pointer: UnsafeMutablePointer<ldns_rr>) {
        self.pointer = pointer
    }

    deinit { ldns_rr_free(pointer) }

    var owner: String { LDNSMemory.takeString(ldns_rdf2str(ldns_rr_owner(pointer))) }
    var type: String { LDNSMemory.takeString(ldns_rr_type2str(ldns_rr_get_type(pointer))) }
    var ttl: UInt32 { ldns_rr_ttl(pointer) }
    var rdata: [String] {
        (0..<ldns_rr_rd_count(pointer)).map { LDNSMemory.takeString(ldns_rdf2str(ldns_rr_rdf(pointer, $0))) }
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
