import CLDNS
import FedplanCore

/// Queries as ldns builds them: header, one question, and the EDNS0 OPT record.
enum QueryWire {
    static func build(_ question: Question, id: UInt16, options: QueryOptions,
                      edns: Bool = true) -> UnsafeMutablePointer<ldns_buffer>? {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let flags = UInt16(options.recursionDesired ? LDNS_RD : 0)
        guard ldns_pkt_query_new_frm_str(&packet, question.name, type(question.type), LDNS_RR_CLASS_IN, flags) == LDNS_STATUS_OK,
              let packet else { return nil }
        let owned = OwnedPacket(packet)
        ldns_pkt_set_id(owned.pointer, id)
        if edns { ldns_pkt_set_edns_udp_size(owned.pointer, options.ednsBufferSize) }
        guard let buffer = ldns_buffer_new(512) else { return nil }
        // No compression table: a query holds one name, and building ldns's table (a
        // red-black tree of every label) cost 20,000 instructions per query.
        guard ldns_pkt2buffer_wire_compress(buffer, owned.pointer, nil) == LDNS_STATUS_OK else {
            ldns_buffer_free(buffer)
            return nil
        }
        return buffer
    }

    /// The types a check asks about most, by mnemonic and number: looked up here instead of
    /// through ldns's search by name, or its malloc'd strings the other way.
    static let common: [(name: String, type: ldns_rr_type)] = [
        ("A", LDNS_RR_TYPE_A), ("AAAA", LDNS_RR_TYPE_AAAA), ("SRV", LDNS_RR_TYPE_SRV),
        ("CNAME", LDNS_RR_TYPE_CNAME), ("NS", LDNS_RR_TYPE_NS), ("SOA", LDNS_RR_TYPE_SOA),
    ]

    /// The type's number.
    static func type(_ name: String) -> ldns_rr_type {
        common.first { $0.name == name }?.type ?? ldns_get_rr_type_by_name(name)
    }

    /// The type's mnemonic.
    static func name(_ type: ldns_rr_type) -> String {
        common.first { $0.type == type }?.name ?? LDNSMemory.takeString(ldns_rr_type2str(type))
    }
}
