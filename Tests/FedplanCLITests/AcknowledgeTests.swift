import FedplanCore
import Foundation
import Testing

/// `acknowledge:` in `dns check` (issue 26): an accepted warning is shown with its reason in
/// every format and never fails `--strict`; one the description does not accept still does.
@Suite(.ownThread) struct AcknowledgeTests {
    static func description(acknowledge: String) -> String {
        """
        version: 1
        sip_domains: [contoso.test]
        srv: {priority: 10, weight: 10}
        edge:
          access_edge: sip.contoso.test
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        \(acknowledge)
        """
    }

    /// The SRV record with other priority and weight: the warning srv-priority-weight-mismatch.
    static let zone = """
        $ORIGIN contoso.test.
        @ 3600 IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ 3600 IN NS ns1
        ns1 3600 IN A 192.0.2.53
        _sipfederationtls._tcp 3600 IN SRV 0 0 5061 sip.contoso.test.
        sip 3600 IN A 131.107.155.10
        """

    func check(_ yaml: String, _ format: String) throws -> Output {
        let folder = try temporaryFolder()
        try yaml.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        try Self.zone.write(to: folder.appendingPathComponent("contoso.test.zone"), atomically: true, encoding: .utf8)
        return try fedplan("dns", "check", "fedplan.yaml", "--zone-file", "contoso.test.zone", "--strict", "--format", format,
                           in: folder)
    }

    @Test func anAcknowledgedWarningNeverFailsStrict() throws {
        let accepted = Self.description(acknowledge: """
            acknowledge:
              - {rule: srv-priority-weight-mismatch, domain: contoso.test, reason: "the DNS team keeps 0 0 (CHG-77)"}
            """)
        let text = try check(accepted, "text")
        #expect(text.code == 0, "\(text.stdout)")
        #expect(text.stdout.contains("acknowledged in the description: the DNS team keeps 0 0 (CHG-77)"), "\(text.stdout)")
        let json = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(try check(accepted, "json").stdout.utf8))
        #expect(json.findings.first { $0.rule == "srv-priority-weight-mismatch" }?.acknowledged == "the DNS team keeps 0 0 (CHG-77)")
        let sarif = try check(accepted, "sarif")
        #expect(sarif.code == 0 && sarif.stdout.contains("\"justification\"") && sarif.stdout.contains("\"inSource\""))
        // Without the acknowledgement the same warning fails --strict.
        let plain = try check(Self.description(acknowledge: ""), "text")
        #expect(plain.code == 1 && !plain.stdout.contains("acknowledged"), "\(plain.stdout)")
    }
}
