@testable import FedplanDNS
import CLDNS
import FedplanCore
import Glibc
import Testing

/// Records are typed where they are read: a reply's records (through `Reply.read`) and a zone
/// file's (through `ZoneText`) carry their type's number and the fields the checker reads, the
/// same from both producers and the same as the presentation text says.
@Suite struct TypedRecordTests {
    /// A reply to `question`, built by ldns from master-file lines.
    static func reply(to question: Question, rcode: UInt8 = 0, _ lines: [String]) throws -> [UInt8] {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        try #require(ldns_pkt_query_new_frm_str(&packet, question.name, QueryWire.type(question.type), LDNS_RR_CLASS_IN,
                                                UInt16(LDNS_RD)) == LDNS_STATUS_OK)
        let owned = OwnedPacket(try #require(packet))
        ldns_pkt_set_id(owned.pointer, 0x1234)
        ldns_pkt_set_qr(owned.pointer, 1)
        ldns_pkt_set_aa(owned.pointer, 1)
        ldns_pkt_set_rcode(owned.pointer, rcode)
        for line in lines {
            var rr: UnsafeMutablePointer<ldns_rr>?
            try #require(ldns_rr_new_frm_str(&rr, line, 0, nil, nil) == LDNS_STATUS_OK, "\(line)")
            try #require(ldns_pkt_push_rr(owned.pointer, LDNS_SECTION_ANSWER, rr))
        }
        var wire: UnsafeMutablePointer<UInt8>?
        var size = 0
        try #require(ldns_pkt2wire(&wire, owned.pointer, &size) == LDNS_STATUS_OK)
        defer { free(wire) }
        return Array(UnsafeBufferPointer(start: wire, count: size))
    }

    static func answer(_ question: Question, rcode: UInt8 = 0, _ lines: [String]) throws -> DNSAnswer {
        let bytes = try reply(to: question, rcode: rcode, lines)
        let verdict = bytes.withUnsafeBytes { Reply.read($0, id: 0x1234, question: question, overTCP: false) }
        guard case .outcome(.answer(let answer)) = verdict else {
            Issue.record("not an answer: \(verdict)")
            throw CancellationError()
        }
        return answer
    }

    @Test func aReplysRecordsAreTyped() throws {
        let srv = try Self.answer(Question("_sipfederationtls._tcp.contoso.com.", "SRV"),
                                  ["_sipfederationtls._tcp.contoso.com. 300 IN SRV 10 20 5061 SIP.Contoso.COM."])
        #expect(srv.rcode == .noError)
        #expect(srv.records.map(\.code) == [.srv])
        #expect(srv.records.map(\.fields) == [.srv(priority: 10, weight: 20, port: 5061, target: "sip.contoso.com.")])
        // The text reports print is the server's, case and all.
        #expect(srv.records[0].rdata == ["10", "20", "5061", "SIP.Contoso.COM."])

        let chain = try Self.answer(Question("sip.contoso.com.", "A"), [
            "sip.contoso.com. 300 IN CNAME Edge.Contoso.com.",
            "edge.contoso.com. 300 IN A 131.107.155.10",
            "edge.contoso.com. 300 IN AAAA 2001:db8::a",
        ])
        #expect(chain.records.map(\.code) == [.cname, .a, .aaaa])
        #expect(chain.records.map(\.fields) == [.name("edge.contoso.com."),
                                                .address(try #require(IPAddress("131.107.155.10"))),
                                                .address(try #require(IPAddress("2001:db8::a")))])

        let missing = try Self.answer(Question("nowhere.contoso.com.", "A"), rcode: 3, [])
        #expect(missing.rcode == .nxDomain)
        #expect(missing.rcode.text == "NXDOMAIN")
    }

    static let zone = """
        $ORIGIN contoso.com.
        $TTL 300
        _sipfederationtls._tcp IN SRV 10 20 5061 SIP.contoso.com.
        sip IN A 131.107.155.10
        sip IN AAAA 2001:db8::a
        lyncdiscover IN CNAME WebExt
        old IN DNAME New.Example.
        sub IN NS NS1.Example.
        @ IN TXT "v=spf1 -all"
        _5269._tcp.xmpp IN TLSA 3 1 1 0BBDB1A9CFFB66C8EA478069FCFBD319B904B5E160D10F73D259F3A555805099
        """

    static let expected: [DNSRecord.Fields] = [
        .srv(priority: 10, weight: 20, port: 5061, target: "sip.contoso.com."),
        .address(IPAddress("131.107.155.10")!), .address(IPAddress("2001:db8::a")!),
        .name("webext.contoso.com."), .name("new.example."), .name("ns1.example."), .other,
        .tlsa(usage: 3, selector: 1, matchingType: 1, data: Hex.bytes("0bbdb1a9cffb66c8ea478069fcfbd319b904b5e160d10f73d259f3a555805099")!),
    ]

    @Test func aZoneFilesRecordsAreTyped() throws {
        let records = try ZoneText.parse(Self.zone, name: "z").get()
        #expect(records.map(\.code) == [.srv, .a, .aaaa, .cname, .dname, .ns, .txt, .tlsa])
        #expect(records.last?.rdata == ["3", "1", "1", "0bbdb1a9cffb66c8ea478069fcfbd319b904b5e160d10f73d259f3a555805099"])
        #expect(records.map(\.fields) == Self.expected)
    }

    /// A record made from its text (a DNAME's synthesized CNAME, tests) parses it once, to the
    /// same fields as ldns's.
    @Test func recordsMadeFromTextAreTypedTheSame() throws {
        let read = try ZoneText.parse(Self.zone, name: "z").get()
        let made = read.map { DNSRecord(owner: $0.owner, type: $0.type, ttl: $0.ttl, rdata: $0.rdata, location: $0.location) }
        #expect(made == read)
        #expect(made.map(\.fields) == Self.expected)
        // Data without the type's form is text only, never a guess.
        #expect(DNSRecord(owner: "a.", type: "SRV", ttl: 1, rdata: ["0", "0", "70000", "x."]).fields == .other)
        #expect(DNSRecord(owner: "a.", type: "A", ttl: 1, rdata: ["2001:db8::1"]).fields == .other)
        // A type without a number here is compared by its text.
        let odd = DNSRecord(owner: "a.", type: "TYPE65280", ttl: 1, rdata: ["\\#", "0"])
        #expect(odd.code == .unnamed && odd.isOf(nil, named: "TYPE65280") && !odd.isOf(.srv, named: "SRV"))
    }
}
