import FedplanCore
import Foundation
import Testing

/// Teams Only readiness (issue 26): a teams-only domain whose records still point at the
/// on-premises Edge is `teams-only-not-ready`, live against NSD and in the same zone file; a
/// domain that publishes Microsoft 365's values is ok, and Microsoft's names are never asked.
@Suite(.serialized, .ownThread) struct TeamsOnlyTests {
    static let description = """
        version: 1
        sip_domains:
          - contoso.test
          - {domain: moving.test, hosting: teams-only}
          - {domain: ready.test, hosting: teams-only}
        edge:
          access_edge: sip.contoso.test
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        """

    static func zone(_ name: String, _ records: String) -> String {
        """
        $ORIGIN \(name).
        $TTL 3600
        @ IN SOA ns1 hostmaster 2026120401 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        \(records)
        """
    }

    static let zones = [
        "contoso.test": zone("contoso.test", "_sipfederationtls._tcp IN SRV 0 0 5061 sip.contoso.test.\nsip IN A 131.107.155.10"),
        // Still on premises: the federation SRV at the Edge, sip an A record, no lyncdiscover.
        "moving.test": zone("moving.test", """
            _sipfederationtls._tcp IN SRV 0 0 5061 sip.contoso.test.
            _sip._tls IN SRV 100 1 443 sipdir.online.lync.com.
            sip IN A 131.107.155.10
            """),
        "ready.test": zone("ready.test", """
            _sipfederationtls._tcp IN SRV 100 1 5061 sipfed.online.lync.com.
            _sip._tls IN SRV 100 1 443 sipdir.online.lync.com.
            sip IN CNAME sipdir.online.lync.com.
            lyncdiscover IN CNAME webdir.online.lync.com.
            """),
    ]

    /// The rule and name of each finding, and the status of each record, by `name type`.
    static func verdict(_ doc: CheckRenderer.Document) -> (findings: Set<String>, status: [String: RecordStatus]) {
        (Set(doc.findings.map { "\($0.rule) \($0.name)" }),
         Dictionary(doc.records.map { ("\($0.name) \($0.type)", $0.status) }, uniquingKeysWith: min))
    }

    static let expected: Set<String> = [
        "teams-only-not-ready _sipfederationtls._tcp.moving.test.",
        "teams-only-not-ready sip.moving.test.",
        "record-missing lyncdiscover.moving.test.",
    ]

    static func expectReadiness(_ doc: CheckRenderer.Document?, _ output: String) throws {
        let doc = try #require(doc, "\(output)")
        let (findings, status) = verdict(doc)
        #expect(findings == Self.expected, "\(output)")
        for name in ["_sipfederationtls._tcp.ready.test. SRV", "_sip._tls.ready.test. SRV", "sip.ready.test. CNAME",
                     "lyncdiscover.ready.test. CNAME", "_sip._tls.moving.test. SRV"] {
            #expect(status[name] == .ok, "\(name)")
        }
        #expect(doc.findings.first { $0.rule == "teams-only-not-ready" }?.message.contains("Teams Only move is refused") == true)
    }

    @Test func liveAgainstNSD() throws {
        let nsd = try NSDServer(zones: Self.zones)
        defer { nsd.stop() }
        let folder = try temporaryFolder()
        try Self.description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let (code, doc, output) = try checkJSON(["fedplan.yaml", "--resolver", nsd.address], in: folder)
        #expect(code == 1, "\(output)")
        try Self.expectReadiness(doc, output)
        // Microsoft's names are Microsoft's: no question about them, so nothing unverified.
        #expect(doc?.summary.unverified == 0, "\(output)")
    }

    @Test func inZoneFiles() throws {
        let folder = try temporaryFolder()
        try Self.description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        var arguments = ["fedplan.yaml"]
        for (name, text) in Self.zones {
            try text.write(to: folder.appendingPathComponent("\(name).zone"), atomically: true, encoding: .utf8)
            arguments += ["--zone-file", "\(name).zone"]
        }
        let (code, doc, output) = try checkJSON(arguments, in: folder)
        #expect(code == 1, "\(output)")
        try Self.expectReadiness(doc, output)
        // What sip.moving.test holds instead of Microsoft's alias, at its own line.
        let sip = doc?.findings.first { $0.name == "sip.moving.test." }
        #expect(sip?.observed == "A 131.107.155.10" && sip?.location?.line == 8, "\(String(describing: sip))")
    }

    /// Microsoft's name written without its final dot is the zone-file mistake, named as such.
    @Test func aMissingFinalDotIsNamed() throws {
        let folder = try temporaryFolder()
        try Self.description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let ready = Self.zones["ready.test"]!.replacingOccurrences(of: "CNAME webdir.online.lync.com.", with: "CNAME webdir.online.lync.com")
        try ready.write(to: folder.appendingPathComponent("ready.test.zone"), atomically: true, encoding: .utf8)
        let (code, doc, output) = try checkJSON(["fedplan.yaml", "--zone-file", "ready.test.zone"], in: folder)
        #expect(code == 1, "\(output)")
        #expect(doc?.findings.map { "\($0.rule) \($0.name)" } == ["name-missing-trailing-dot lyncdiscover.ready.test."], "\(output)")
    }

    /// The exported zones load in the real checkers, with the CNAMEs in them.
    @Test func exportLoadsInNamedCheckzone() throws {
        let folder = try temporaryFolder()
        try Self.description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        #expect(try fedplan("dns", "export", "fedplan.yaml", "-o", "out/", in: folder).code == 0)
        let snippet = try String(contentsOf: folder.appendingPathComponent("out/ready.test.zone"), encoding: .utf8)
        #expect(snippet.contains("sip.ready.test.") && snippet.contains("IN CNAME sipdir.online.lync.com."))
        let whole = Self.zone("ready.test", "") + "\n" + snippet
        try whole.write(to: folder.appendingPathComponent("ready.whole"), atomically: true, encoding: .utf8)
        let checked = try run(try which("named-checkzone"), ["ready.test", "ready.whole"], in: folder)
        #expect(checked.code == 0, "\(checked.stdout)\(checked.stderr)")
        let script = try fedplan("dns", "export", "fedplan.yaml", "--format", "nsupdate", "--zone", "moving.test", in: folder)
        // The CNAME replaces whatever the name held on premises (RFC 1034 §3.6.2).
        #expect(script.stdout.contains("update delete sip.moving.test.\n"))
    }
}
