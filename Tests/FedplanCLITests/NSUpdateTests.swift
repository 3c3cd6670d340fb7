import FedplanCore
import Foundation
import Testing

/// A real authoritative server that accepts dynamic updates: Knot DNS on a loopback port.
final class KnotServer: TestServer {
    let port: UInt16

    init(zone: String, zoneText: String) throws {
        port = freePort()
        try super.init()
        try zoneText.write(to: folder.appendingPathComponent("\(zone).zone"), atomically: true, encoding: .utf8)
        // Knot keeps its update journal there and refuses updates when the folder is missing.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("db"), withIntermediateDirectories: true)
        let config = """
            server:
                listen: 127.0.0.1@\(port)
                rundir: \(folder.path)
            database:
                storage: \(folder.path)/db
            control:
                listen: \(folder.path)/knot.sock
            log:
              - target: stderr
                any: warning
            acl:
              - id: local
                address: 127.0.0.1
                action: [update, transfer]
            zone:
              - domain: \(zone)
                storage: \(folder.path)
                file: \(zone).zone
                acl: local
                zonefile-sync: -1
            """
        try config.write(to: folder.appendingPathComponent("knot.conf"), atomically: true, encoding: .utf8)
        try launch("knotd", ["-c", folder.appendingPathComponent("knot.conf").path])
        try waitUntilServing(zone, at: "127.0.0.1:\(port)")
    }

    func axfr(_ zone: String) throws -> [String] {
        let result = try run("kdig", ["@127.0.0.1", "-p", String(port), "+nocomments", "+nostats", "+noheader", "AXFR", zone])
        return result.stdout.split(separator: "\n").filter { !$0.hasPrefix(";") }
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
    }
}

@Suite(.serialized, .ownThread) struct NSUpdateTests {
    @Test func scriptAppliedToARealServerMakesTheZoneMatchThePlan() throws {
        // The zone as the admin has it: a retired Edge server's address is still published.
        let zoneText = ExportTests.completeZone("contoso.com", snippet: """
            sip.contoso.com. 3600 IN A 131.107.155.99
            www.contoso.com. 3600 IN A 131.107.155.80
            """)
        let knot = try KnotServer(zone: "contoso.com", zoneText: zoneText)
        defer { knot.stop() }

        let export = try fedplan("dns", "export", example("dns-lb-pool"), "--format", "nsupdate", "--zone", "contoso.com")
        #expect(export.code == 0)
        let script = "server 127.0.0.1 \(knot.port)\n" + export.stdout
        let update = try run("nsupdate", ["-v"], input: script)
        #expect(update.code == 0, "nsupdate: \(update.stderr)")

        let served = Set(try knot.axfr("contoso.com"))
        let plan = try JSONDecoder().decode(JSONDocuments.PlanDocument.self,
                                            from: Data(try fedplan("dns", "plan", example("dns-lb-pool"), "--format", "json").stdout.utf8))
        let contoso = try #require(plan.zones.first(where: { $0.zone == "contoso.com." }))
        for record in contoso.records {
            #expect(served.contains("\(record.name) \(record.ttl) IN \(record.type) \(record.data)"), "\(record.name) \(record.type) \(record.data)")
        }
        #expect(!served.contains("sip.contoso.com. 3600 IN A 131.107.155.99"), "the stale address is removed")
        #expect(served.contains("www.contoso.com. 3600 IN A 131.107.155.80"), "records outside the plan are left alone")
    }
}
