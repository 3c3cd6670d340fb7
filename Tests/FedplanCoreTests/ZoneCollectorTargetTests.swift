@testable import FedplanCore
import Testing

/// The names SRV and CNAME records at wanted names point to become wanted (read in a later
/// pass): taken from the records' typed fields, lower-cased, and each one only once however
/// many records point to it; from the text when the fields do not have the type's form.
@Suite struct ZoneCollectorTargetTests {
    static let description = """
        version: 1
        organization: Contoso
        ttl: 3600
        sip_domains:
          - contoso.com
          - fabrikam.com
          - tailspin.com
        edge:
          access_edge: sip.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10]
        """

    static func collect(_ records: [DNSRecord]) throws -> ZoneCollector {
        let collector = ZoneCollector(plan: try Planner.plan(try load(description)))
        collector.setOrigin("contoso.com.")
        for record in records {
            let code: UInt16 = record.type == "SRV" ? 33 : record.type == "CNAME" ? 5 : 1
            let decision = Array(record.owner.dnsLowercased.utf8).withUnsafeBufferPointer { collector.decide(owner: $0, type: code) }
            #expect(decision == .keep, "\(record.owner)")
            collector.add(record, as: decision)
        }
        return collector
    }

    @Test func everyTargetIsWantedOnceLowerCased() throws {
        let srv = "_sipfederationtls._tcp."
        let collector = try Self.collect([
            DNSRecord(owner: srv + "contoso.com.", type: "SRV", ttl: 300, rdata: ["0", "0", "5061", "Edge1.Example.NET."]),
            DNSRecord(owner: srv + "fabrikam.com.", type: "SRV", ttl: 300, rdata: ["0", "0", "5061", "edge2.example.net."]),
            // The first target again, after another: still wanted (it is), and nothing else.
            DNSRecord(owner: srv + "tailspin.com.", type: "SRV", ttl: 300, rdata: ["0", "0", "5061", "edge1.example.net."]),
            DNSRecord(owner: "sip.contoso.com.", type: "CNAME", ttl: 300, rdata: ["Pool.Example.ORG."]),
            // Not of the SRV form (three fields): the last field's text is the target.
            DNSRecord(owner: srv + "contoso.com.", type: "SRV", ttl: 300, rdata: ["0", "5061", "Other.Example.ORG."]),
        ])
        #expect(collector.lateNames == ["edge1.example.net.", "edge2.example.net.", "pool.example.org.", "other.example.org."])
        #expect(collector.kept.values.map(\.count).reduce(0, +) == 5)
        #expect(collector.keptFrom.values.map(\.count).reduce(0, +) == 5)
        // The records are kept as given (the fields too), under their owner lower-cased.
        #expect(collector.kept["_sipfederationtls._tcp.contoso.com."]?.first?.rdata == ["0", "0", "5061", "Edge1.Example.NET."])
    }

    /// The targets wanted: a later pass keeps their records.
    @Test func aTargetWantedLateIsKeptInTheNextPass() throws {
        let collector = try Self.collect([
            DNSRecord(owner: "_sipfederationtls._tcp.contoso.com.", type: "SRV", ttl: 300, rdata: ["0", "0", "5061", "edge1.example.net."]),
        ])
        #expect(collector.beginLatePass() != nil)
        let decision = Array("edge1.example.net.".utf8).withUnsafeBufferPointer { collector.decide(owner: $0, type: 1) }
        #expect(decision == .keep)
    }

    /// The byte test behind `dnsLowercased` (8 bytes at a time) against the plain one, for an
    /// upper-case letter, a non-ASCII byte and the letters' neighbours at every position.
    @Test func upperCaseIsFoundAtEveryPosition() {
        func plain(_ s: [UInt8]) -> Bool { s.contains { $0 &- UInt8(ascii: "A") < 26 || $0 >= 0x80 } }
        for length in 0...40 {
            for position in 0..<max(length, 1) {
                for special: UInt8 in [UInt8(ascii: "A"), UInt8(ascii: "Z"), UInt8(ascii: "@"), UInt8(ascii: "["), 0x80, 0xFF,
                                       0x7F, UInt8(ascii: "a"), UInt8(ascii: "z"), 0x00, UInt8(ascii: "-")] {
                    var bytes = Array(repeating: UInt8(ascii: "m"), count: length)
                    if length > 0 { bytes[position] = special }
                    let fast = bytes.withUnsafeBufferPointer { String.hasUpperOrNonASCII($0) }
                    #expect(fast == plain(bytes), "\(bytes)")
                }
            }
        }
        #expect("Sip.Contoso.com.".dnsLowercased == "sip.contoso.com.")
        #expect("_sipfederationtls._tcp.tenant0001.example.nET.".dnsLowercased == "_sipfederationtls._tcp.tenant0001.example.net.")
    }
}
