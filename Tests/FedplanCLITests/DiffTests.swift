import FedplanCore
import Foundation
import Testing

/// `dns diff` (issue 26): a Teams Only cut-over applied step by step with nsupdate to a real
/// Knot server leaves exactly the new plan, which `dns check` then finds clean.
@Suite(.serialized, .ownThread) struct DiffTests {
    static func description(hosting: String, servers: String) -> String {
        """
        version: 1
        sip_domains: [{domain: fabrikam.test, hosting: \(hosting)}]
        remote_access: true
        zones: [fabrikam.test]
        edge:
          access_edge: edge.fabrikam.test
          servers:
        \(servers)
        """
    }

    static let old = description(hosting: "on-premises", servers: """
            - {name: edge01, access_ip: [131.107.155.10]}
            - {name: edge02, access_ip: [131.107.155.11]}
        """)
    static let new = description(hosting: "teams-only", servers: "    - {name: edge01, access_ip: [131.107.155.10]}")

    @Test func cutOverAppliedWithNSUpdateLeavesTheNewPlan() throws {
        let folder = try temporaryFolder()
        try Self.old.write(to: folder.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try Self.new.write(to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let snippet = try fedplan("dns", "export", "old.yaml", in: folder)
        #expect(snippet.code == 0, "\(snippet.stderr)")
        let knot = try KnotServer(zone: "fabrikam.test", zoneText: ExportTests.completeZone("fabrikam.test", snippet: snippet.stdout))
        defer { knot.stop() }
        #expect(try fedplan("dns", "check", "old.yaml", "--resolver", "127.0.0.1:\(knot.port)", in: folder).code == 0)

        let diff = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "nsupdate", in: folder)
        #expect(diff.code == 0, "\(diff.stderr)")
        // The CNAME and the A records it replaces go in one update, which a server accepts.
        let update = try run("nsupdate", ["-v"], input: "server 127.0.0.1 \(knot.port)\n" + diff.stdout)
        #expect(update.code == 0, "nsupdate: \(update.stderr)\n\(diff.stdout)")
        let served = Set(try knot.axfr("fabrikam.test"))
        #expect(served.contains("sip.fabrikam.test. 3600 IN CNAME sipdir.online.lync.com."), "\(served)")
        #expect(!served.contains { $0.hasPrefix("sip.fabrikam.test. 3600 IN A ") }, "\(served)")
        #expect(!served.contains("edge.fabrikam.test. 3600 IN A 131.107.155.11"), "the retired server's address is gone")
        let check = try fedplan("dns", "check", "new.yaml", "--resolver", "127.0.0.1:\(knot.port)", in: folder)
        #expect(check.code == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func textAndJSONGiveTheSafeOrder() throws {
        let folder = try temporaryFolder()
        try Self.old.write(to: folder.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try Self.new.write(to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let json = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "json", in: folder)
        let doc = try JSONDecoder().decode(DiffRenderer.Document.self, from: Data(json.stdout.utf8))
        #expect(doc.changes.map(\.step) == doc.changes.map(\.step).sorted())
        #expect(doc.changes.first?.action == "lower-ttl" && doc.wait_seconds == 3600)
        #expect(doc.summary.added == 2 && doc.summary.removed == 1)  // sip and lyncdiscover CNAMEs; sip A
        // The federation SRV changes only after its TTL was lowered.
        let srv = doc.changes.filter { $0.name == "_sipfederationtls._tcp.fabrikam.test." }.map(\.action)
        #expect(srv == ["lower-ttl", "change"])
        let text = try fedplan("dns", "diff", "old.yaml", "new.yaml", in: folder)
        #expect(text.stdout.contains("Step 1. Lower the TTL") && text.stdout.contains("then wait 3600 seconds"))
        let same = try fedplan("dns", "diff", "old.yaml", "old.yaml", in: folder)
        #expect(same.code == 0 && same.stdout.contains("No change"))
        let octo = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "octodns", in: folder)
        #expect(octo.code == 2 && octo.stderr.contains("needs -o DIR"))
        let staged = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "octodns", "-o", "stages/", in: folder)
        #expect(staged.code == 0, "\(staged.stderr)")
        let first = try String(contentsOf: folder.appendingPathComponent("stages/1-lower-ttl/fabrikam.test.yaml"), encoding: .utf8)
        #expect(first.contains("ttl: 300"))
        // A zone file left from another cut-over is named, since syncing the folder would apply it.
        try "---\n{}\n".write(to: folder.appendingPathComponent("stages/2-cut-over/old.test.yaml"), atomically: true, encoding: .utf8)
        let again = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "octodns", "-o", "stages/", in: folder)
        #expect(again.code == 0 && again.stderr.contains("old.test.yaml is not part of this cut-over"), "\(again.stderr)")
        let bad = try fedplan("dns", "diff", "old.yaml", "missing.yaml", in: folder)
        #expect(bad.code == 2 && bad.stderr.contains("missing.yaml"))
    }

    /// The examples of the README: each validates with --strict, and the cut-over pair diffs.
    @Test func examplesValidateAndDiff() throws {
        for file in ["hybrid/fedplan.yaml", "teams-cutover/fedplan.yaml", "teams-cutover/fedplan-teams.yaml"] {
            let result = try fedplan("validate", packageRoot.appendingPathComponent("examples/\(file)").path, "--strict")
            #expect(result.code == 0, "\(file): \(result.stdout)\(result.stderr)")
        }
        let diff = try fedplan("dns", "diff", example("teams-cutover"),
                               packageRoot.appendingPathComponent("examples/teams-cutover/fedplan-teams.yaml").path)
        #expect(diff.code == 0)
        #expect(diff.stdout.contains("+ _sipfederationtls._tcp.fabrikam.com. 3600 IN SRV 100 1 5061 sipfed.online.lync.com."))
    }

    /// A domain with its own Access Edge name moving to Teams Only: its SRV records leave the
    /// name before the name becomes Microsoft's alias, never pointing at a CNAME in between.
    @Test func srvRecordsMoveBeforeTheirTargetBecomesAnAlias() throws {
        let folder = try temporaryFolder()
        let old = """
            version: 1
            sip_domains: [contoso.test, {domain: litware.test, access_edge: sip.litware.test}]
            edge:
              access_edge: sip.contoso.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        try old.write(to: folder.appendingPathComponent("old.yaml"), atomically: true, encoding: .utf8)
        try old.replacingOccurrences(of: "{domain: litware.test, access_edge: sip.litware.test}", with: "{domain: litware.test, hosting: teams-only}")
            .write(to: folder.appendingPathComponent("new.yaml"), atomically: true, encoding: .utf8)
        let json = try fedplan("dns", "diff", "old.yaml", "new.yaml", "--format", "json", in: folder)
        let doc = try JSONDecoder().decode(DiffRenderer.Document.self, from: Data(json.stdout.utf8))
        let srv = try #require(doc.changes.firstIndex { $0.name == "_sipfederationtls._tcp.litware.test." && $0.action == "change" })
        let alias = try #require(doc.changes.firstIndex { $0.name == "sip.litware.test." && $0.type == "CNAME" })
        let gone = try #require(doc.changes.firstIndex { $0.name == "sip.litware.test." && $0.action == "remove" })
        #expect(srv < gone && gone < alias && doc.changes[gone].step == doc.changes[alias].step)
        #expect(doc.changes.map(\.step) == doc.changes.map(\.step).sorted() && Set(doc.changes.map(\.step)) == [1, 2, 3])
    }
}
