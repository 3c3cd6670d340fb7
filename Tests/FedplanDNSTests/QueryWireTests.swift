@testable import FedplanDNS
import CLDNS
import FedplanCore
import Testing

/// Queries are ldns's query for the root name with the question's name put in: byte for byte
/// what ldns builds from a packet structure, for every type, option and kind of name.
@Suite struct QueryWireTests {
    static func bytes(_ buffer: UnsafeMutablePointer<ldns_buffer>?) -> [UInt8]? {
        guard let buffer else { return nil }
        defer { ldns_buffer_free(buffer) }
        return Array(UnsafeBufferPointer(start: ldns_buffer_begin(buffer), count: ldns_buffer_position(buffer)))
    }

    static let names = ["sip.contoso.com.", "_sipfederationtls._tcp.contoso.com.", ".", "a\\.b.example.",
                        "xn--bcher-kva.example.", String(repeating: "a", count: 63) + ".example.",
                        "weird\\032label\\255.example."]

    @Test(arguments: ["A", "AAAA", "SRV", "NS", "SOA", "CNAME", "TXT"])
    func templateQueriesAreLDNSQueries(type: String) throws {
        for name in Self.names {
            for (recursion, edns, dnssecOK) in [(true, true, true), (false, true, true), (true, true, false),
                                                (true, false, true), (false, false, false)] {
                var options = QueryOptions()
                options.recursionDesired = recursion
                options.dnssecOK = dnssecOK
                let question = Question(name, type)
                let built = try #require(Self.bytes(QueryWire.build(question, id: 0xBEEF, options: options, edns: edns)))
                let reference = try #require(Self.bytes(QueryWire.reference(question, id: 0xBEEF, options: options, edns: edns)))
                #expect(built == reference, "\(name) \(type) RD \(recursion) EDNS \(edns) DO \(dnssecOK)")
            }
        }
    }

    /// DO rides in the OPT record's flags (RFC 3225): on by default, so signed zones send
    /// their signatures; never without EDNS.
    @Test func queriesAskForSignatures() throws {
        let question = Question("sip.contoso.com.", "A")
        let withDO = try #require(Self.bytes(QueryWire.build(question, id: 7, options: QueryOptions())))
        var off = QueryOptions()
        off.dnssecOK = false
        let withoutDO = try #require(Self.bytes(QueryWire.build(question, id: 7, options: off)))
        // The OPT record ends the query: flags are its TTL's last two octets, before RDLENGTH.
        #expect(withDO[withDO.count - 4] & 0x80 == 0x80)
        #expect(withoutDO[withoutDO.count - 4] & 0x80 == 0)
        #expect(withDO.count == withoutDO.count)
    }

    @Test func anUnencodableNameBuildsNoQuery() {
        let tooLong = Question(String(repeating: "a", count: 64) + ".example.", "A")
        #expect(QueryWire.build(tooLong, id: 1, options: QueryOptions()) == nil)
    }
}
