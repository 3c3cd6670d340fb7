import FedplanCore
import Foundation
import Testing

/// `--partners` against an NSD serving the whole test. zone, so that names nobody publishes
/// are NXDOMAIN rather than refused.
@Suite(.serialized, .ownThread) struct PartnerTests {
    static let zone = """
        $ORIGIN test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        _sipfederationtls._tcp.own IN SRV 0 0 5061 sip.own.test.
        _xmpp-server._tcp.own IN SRV 0 0 5269 sip.own.test.
        sip.own IN A 131.107.155.10
        _sipfederationtls._tcp.allowed IN SRV 0 0 5061 sip.allowed.test.
        sip.allowed IN A 198.51.100.1
        sip.server IN A 198.51.100.2
        _xmpp-server._tcp.jabber IN SRV 0 0 5269 xmpp.jabber.test.
        xmpp.jabber IN A 198.51.100.3
        fallback IN A 198.51.100.4
        _xmpp-server._tcp.dot IN SRV 0 0 0 .
        """

    static let description = """
        version: 1
        sip_domains: [own.test]
        edge:
          access_edge: sip.own.test
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        federation:
          sip:
            partners:
              - {domain: allowed.test}
              - {domain: missing.test, kind: discovered}
              - {domain: server.test, kind: allowed_server, edge: sip.server.test}
              - {domain: nohost.test, kind: allowed_server, edge: sip.nohost.test}
          xmpp:
            partners:
              - {domain: jabber.test, additional_domains: [extra.test]}
              - {domain: fallback.test}
              - {domain: noxmpp.test}
              - {domain: dot.test}
        """

    @Test func whatEachPartnerNeeds() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.description.write(to: folder.appendingPathComponent("partners.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: ["test": Self.zone])
        defer { nsd.stop() }

        let without = try checkJSON(["partners.yaml", "--resolver", nsd.address], in: folder)
        #expect(without.0 == 0, "our own records are right: \(without.2)")

        let (code, doc, output) = try checkJSON(["partners.yaml", "--resolver", nsd.address, "--partners"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        let found = Set(report.findings.map { "\($0.rule) \($0.name)" })
        #expect(found == [
            "partner-srv-missing _sipfederationtls._tcp.missing.test.",
            "partner-srv-missing sip.nohost.test.",
            "partner-srv-missing _xmpp-server._tcp.noxmpp.test.",
            "partner-srv-missing _xmpp-server._tcp.extra.test.",
            "partner-srv-missing _xmpp-server._tcp.dot.test.",
        ], "\(report.findings.map(\.message))")
        #expect(report.findings.allSatisfy { $0.location?.file == "partners.yaml" && $0.location?.line != nil })
        // The summary counts the partner findings, in JSON and in text.
        #expect(report.summary.errors == 5)

        let text = try run(fedplanBinary, ["dns", "check", "partners.yaml", "--resolver", nsd.address, "--partners"], in: folder)
        #expect(text.stdout.contains("\nfederation partners\n  error   _sipfederationtls._tcp.missing.test. SRV"))
        #expect(text.stdout.contains(" 0 ok, 5 errors,") || text.stdout.contains(" ok, 5 errors,"), "\(text.stdout)")
    }
}
