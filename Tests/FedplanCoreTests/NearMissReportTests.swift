@testable import FedplanCore
import Testing

/// A record at a registered service beside a missing planned one, through the zone-file check
/// as `dns check --zone-file` runs it (records fed to the collector as the reader does, without
/// files): the planned record is reported missing, and the other service is not taken for its
/// misspelling.
@Suite struct NearMissReportTests {
    static let description = """
        version: 1
        organization: Contoso
        ttl: 3600
        sip_domains:
          - contoso.com
        edge:
          access_edge: sip.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10]
        federation:
          xmpp:
            domains: [contoso.com]
            partners:
              - domain: jabber.example.org
                type: federated
        """

    /// Type codes the collector looks at (the reader gives it libzscanner's).
    static let codes: [String: UInt16] = ["A": 1, "NS": 2, "SOA": 6, "SRV": 33, "DNAME": 39]

    static func check(_ lines: [(String, String, [String])]) throws -> [Finding] {
        let plan = try Planner.plan(try load(description))
        let collector = ZoneCollector(plan: plan)
        collector.setOrigin("contoso.com.")
        for (i, (owner, type, rdata)) in lines.enumerated() {
            let record = DNSRecord(owner: owner, type: type, ttl: 3600, rdata: rdata,
                                   location: SourceLocation(file: "contoso.com.zone", line: i + 1))
            let decision = Array(owner.utf8).withUnsafeBufferPointer { collector.decide(owner: $0, type: codes[type]!) }
            collector.add(record, as: decision)
        }
        collector.declareZone("contoso.com.", at: SourceLocation(file: "contoso.com.zone", line: 1))
        collector.finishReading()
        return ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: [CheckReport.ZoneFileRead(file: "contoso.com.zone", zone: "contoso.com.", origin: "contoso.com.", originSource: .option)],
                                    collector: collector).findings
    }

    static let base: [(String, String, [String])] = [
        ("contoso.com.", "SOA", ["ns1.contoso.com.", "hostmaster.contoso.com.", "1", "3600", "900", "604800", "300"]),
        ("contoso.com.", "NS", ["ns1.contoso.com."]),
        ("ns1.contoso.com.", "A", ["192.0.2.53"]),
        ("_sipfederationtls._tcp.contoso.com.", "SRV", ["0", "0", "5061", "sip.contoso.com."]),
        ("sip.contoso.com.", "A", ["131.107.155.10"]),
    ]

    @Test func directTLSBesideAMissingXMPPRecordIsNotANearMiss() throws {
        let findings = try Self.check(Self.base + [
            ("_xmpps-server._tcp.contoso.com.", "SRV", ["5", "0", "5270", "xmpp.contoso.com."]),
            ("xmpp.contoso.com.", "A", ["131.107.155.10"]),
        ])
        let rules = findings.map { "\($0.rule) \($0.name)" }
        #expect(rules.contains("record-missing _xmpp-server._tcp.contoso.com."), "\(rules)")
        #expect(!findings.contains { $0.rule == "name-near-miss" }, "\(rules)")
    }

    /// The same file with a true misspelling: the check still says which record it stands for
    /// (and so the heuristics are not switched off by the registered-service rule).
    @Test func aMisspeltXMPPRecordIsStillANearMiss() throws {
        let findings = try Self.check(Self.base + [
            ("_xmpp_server._tcp.contoso.com.", "SRV", ["0", "0", "5269", "sip.contoso.com."]),
        ])
        let nearMiss = try #require(findings.first { $0.rule == "name-near-miss" }, "\(findings.map(\.rule))")
        #expect(nearMiss.name == "_xmpp_server._tcp.contoso.com.")
        #expect(nearMiss.expected == "_xmpp-server._tcp.contoso.com.")
        #expect(!findings.contains { $0.rule == "record-missing" && $0.name == "_xmpp-server._tcp.contoso.com." })
    }
}
