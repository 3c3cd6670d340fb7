import CLDNS
import FedplanCore

/// Extended DNS Errors (RFC 8914) from a reply's OPT record, read through ldns's EDNS option
/// list (`ldns_pkt_edns_get_option_list`): the OPT record's data is handed to a packet the way
/// `ldns_wire2pkt` hands it, and ldns splits it into options. Only option 15's two fields are
/// read here: INFO-CODE (16 bits) and EXTRA-TEXT (UTF-8, bounded).
enum ExtendedErrors {
    /// A server could send hundreds of options: a reply's first few errors are kept.
    static let kept = 4

    /// The errors an OPT record carries; none for any other record.
    static func read(opt rr: UnsafeMutablePointer<ldns_rr>) -> [ExtendedDNSError] {
        guard ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT, ldns_rr_rd_count(rr) > 0, let data = ldns_rr_rdf(rr, 0),
              ldns_rdf_size(data) > 0, let packet = ldns_pkt_new() else { return [] }
        defer { ldns_pkt_free(packet) }
        ldns_pkt_set_edns_data(packet, ldns_rdf_clone(data))
        guard let list = ldns_pkt_edns_get_option_list(packet) else { return [] }
        var errors: [ExtendedDNSError] = []
        for k in 0..<ldns_edns_option_list_get_count(list) where errors.count < kept {
            guard let option = ldns_edns_option_list_get_option(list, k), ldns_edns_get_code(option) == LDNS_EDNS_EDE,
                  ldns_edns_get_size(option) >= 2, let bytes = ldns_edns_get_data(option) else { continue }
            let size = ldns_edns_get_size(option)
            let code = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            let text = UnsafeBufferPointer(start: bytes + 2, count: min(size - 2, ExtendedDNSError.longestText))
            // Some servers end the text with a NUL (RFC 8914 §2 says it should not be).
            let trimmed = text.prefix { $0 != 0 }
            errors.append(ExtendedDNSError(code: code, text: String(decoding: trimmed, as: UTF8.self)))
        }
        return errors
    }
}
