import CLDNS
import FedplanCore
import Synchronization

/// Queries as ldns builds them: header, one question, and the EDNS0 OPT record.
enum QueryWire {
    /// A query for `question`, with ldns's bytes throughout. ldns builds the query for the root
    /// name once per type and options (`Template`); each query is that packet with the
    /// question's name, as `ldns_str2rdf_dname` encodes it, in place of the root's single zero
    /// octet, and its ID set as ldns's `LDNS_ID_SET` does. Byte for byte what `reference`
    /// builds (a test compares them), for a fifth of the work: building a packet structure and
    /// writing it out was 5,000 instructions per query.
    /// `cd`: set CD (checking disabled, RFC 4035 §3.2.2), to ask a resolver for data its
    /// validation refuses.
    static func build(_ question: Question, id: UInt16, options: QueryOptions,
                      edns: Bool = true, cd: Bool = false) -> UnsafeMutablePointer<ldns_buffer>? {
        guard let template = Template.shared.bytes(type(question.type), options: options, edns: edns, cd: cd) else { return nil }
        var name: UnsafeMutablePointer<ldns_rdf>?
        guard ldns_str2rdf_dname(&name, question.name) == LDNS_STATUS_OK, let name else { return nil }
        defer { ldns_rdf_deep_free(name) }
        let header = Int(LDNS_HEADER_SIZE)
        guard let buffer = ldns_buffer_new(template.count + ldns_rdf_size(name)) else { return nil }
        template.withUnsafeBytes { bytes in
            ldns_buffer_write(buffer, bytes.baseAddress!, header)
            ldns_buffer_write(buffer, ldns_rdf_data(name), ldns_rdf_size(name))
            ldns_buffer_write(buffer, bytes.baseAddress! + header + 1, template.count - header - 1)
        }
        // Left unflipped: the wire is `begin..<position`, as ldns_pkt2buffer_wire leaves it and
        // ldns_udp_send_query and ldns_tcp_bgsend2 read it.
        ldns_write_uint16(ldns_buffer_begin(buffer), id)
        return buffer
    }

    /// The query as ldns builds it from a packet structure: the template's source, and the
    /// reference the tests hold `build` to.
    static func reference(_ question: Question, id: UInt16, options: QueryOptions,
                          edns: Bool = true, cd: Bool = false) -> UnsafeMutablePointer<ldns_buffer>? {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let flags = UInt16(options.recursionDesired ? LDNS_RD : 0) | UInt16(cd ? LDNS_CD : 0)
        guard ldns_pkt_query_new_frm_str(&packet, question.name, type(question.type), LDNS_RR_CLASS_IN, flags) == LDNS_STATUS_OK,
              let packet else { return nil }
        let owned = OwnedPacket(packet)
        ldns_pkt_set_id(owned.pointer, id)
        if edns {
            ldns_pkt_set_edns_udp_size(owned.pointer, options.ednsBufferSize)
            ldns_pkt_set_edns_do(owned.pointer, options.dnssecOK ? 1 : 0)
        }
        guard let buffer = ldns_buffer_new(512) else { return nil }
        // No compression table: a query holds one name, and building ldns's table (a
        // red-black tree of every label) cost 20,000 instructions per query.
        guard ldns_pkt2buffer_wire_compress(buffer, owned.pointer, nil) == LDNS_STATUS_OK else {
            ldns_buffer_free(buffer)
            return nil
        }
        return buffer
    }

    /// ldns's query for the root name, per type, RD, EDNS payload size and DO: the question's
    /// name is its thirteenth octet (a single zero), the header before it, the type, class
    /// and OPT record after it.
    final class Template: Sendable {
        static let shared = Template()
        // Engines on two threads (cert check's look-ups, a check) may build at once.
        private let built = Mutex<[Key: [UInt8]]>([:])

        struct Key: Hashable {
            let type: UInt32, recursion: Bool, edns: UInt16?, dnssecOK: Bool, cd: Bool
        }

        func bytes(_ type: ldns_rr_type, options: QueryOptions, edns: Bool, cd: Bool = false) -> [UInt8]? {
            let key = Key(type: type.rawValue, recursion: options.recursionDesired, edns: edns ? options.ednsBufferSize : nil,
                          dnssecOK: edns && options.dnssecOK, cd: cd)
            if let known = built.withLock({ $0[key] }) { return known }
            guard let buffer = reference(Question(".", name(type)), id: 0, options: options, edns: edns, cd: cd) else { return nil }
            defer { ldns_buffer_free(buffer) }
            let bytes = Array(UnsafeBufferPointer(start: ldns_buffer_begin(buffer), count: ldns_buffer_position(buffer)))
            guard bytes.count > Int(LDNS_HEADER_SIZE), bytes[Int(LDNS_HEADER_SIZE)] == 0 else { return nil }
            built.withLock { $0[key] = bytes }
            return bytes
        }
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
