import FedplanCore
import Foundation
import Testing
import Yams

/// Exports checked by the tools DNS admins trust, and written safely.
@Suite(.ownThread) struct ExportTests {
    /// A SOA and NS (with glue) in front of a snippet, as the admin's zone would have them.
    static func completeZone(_ zone: String, snippet: String) -> String {
        """
        \(zone). 3600 IN SOA ns1.\(zone). hostmaster.\(zone). 2026112101 3600 900 604800 300
        \(zone). 3600 IN NS ns1.\(zone).
        ns1.\(zone). 3600 IN A 192.0.2.53
        \(snippet)
        """
    }

    /// Exports every zone of `example` to a folder; returns (zone name, file) pairs.
    static func exportZones(_ exampleName: String, format: String = "zone", into folder: URL) throws -> [(String, URL)] {
        let result = try fedplan("dns", "export", example(exampleName), "--format", format, "-o", folder.path + "/")
        #expect(result.code == 0, "\(result.stderr)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { file in
            let zone = file.replacingOccurrences(of: ".\(format == "octodns" ? "yaml" : format)", with: "")
            return (zone.hasSuffix(".") ? String(zone.dropLast()) : zone, folder.appendingPathComponent(file))
        }
    }

    @Test(arguments: ["single-edge", "dns-lb-pool", "hosting"])
    func exportedZonesLoadInNSDBindAndKnot(example: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var zones = try Self.exportZones(example, into: folder)
        if zones.count > 8 { zones = Array(zones.prefix(4)) + zones.suffix(2) }  // hosting: 301 zones
        for (zone, file) in zones {
            let full = folder.appendingPathComponent("\(zone).full")
            try Self.completeZone(zone, snippet: try String(contentsOf: file, encoding: .utf8))
                .write(to: full, atomically: true, encoding: .utf8)
            let nsd = try run("nsd-checkzone", [zone, full.path])
            #expect(nsd.code == 0, "nsd-checkzone \(zone): \(nsd.stdout)\(nsd.stderr)")
            // -i local: integrity checks of in-zone names only, so no lookup leaves the machine.
            let bind = try run("named-checkzone", ["-i", "local", "-S", "fail", "-M", "fail", zone, full.path])
            #expect(bind.code == 0, "named-checkzone \(zone): \(bind.stdout)\(bind.stderr)")
            let knot = try run("kzonecheck", ["-o", zone, full.path])
            #expect(knot.code == 0, "kzonecheck \(zone): \(knot.stdout)\(knot.stderr)")
        }
    }

    @Test func zoneSnippetHoldsExactlyThePlan() throws {
        let plan = try fedplan("dns", "plan", example("dns-lb-pool"), "--format", "json")
        let doc = try JSONDecoder().decode(JSONDocuments.PlanDocument.self, from: Data(plan.stdout.utf8))
        let export = try fedplan("dns", "export", example("dns-lb-pool"), "--zone", "contoso.com")
        let lines = export.stdout.split(separator: "\n").filter { !$0.hasPrefix(";") && !$0.hasPrefix("$") && !$0.isEmpty }
            .map { $0.split(separator: ";")[0].split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let planned = doc.zones[0].records.map { "\($0.name) \($0.ttl) IN \($0.type) \($0.data)" }
        #expect(lines == planned)
    }

    @Test func octoDNSExportReadsBackAsThePlan() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try fedplan("dns", "plan", example("dns-lb-pool"), "--format", "json")
        let doc = try JSONDecoder().decode(JSONDocuments.PlanDocument.self, from: Data(plan.stdout.utf8))
        let files = try Self.exportZones("dns-lb-pool", format: "octodns", into: folder)
        #expect(files.map(\.1.lastPathComponent) == ["contoso.com.yaml", "fabrikam.com.yaml", "northwind.example.yaml"])
        for zone in doc.zones {
            let file = folder.appendingPathComponent("\(zone.zone)yaml")
            let yaml = try #require(try Yams.load(yaml: try String(contentsOf: file, encoding: .utf8)) as? [String: Any])
            var fromYAML: [String] = []
            for (name, entry) in yaml {
                let owner = name.isEmpty ? zone.zone : "\(name).\(zone.zone)"
                let entries = (entry as? [[String: Any]]) ?? [entry as! [String: Any]]
                for e in entries {
                    let type = e["type"] as! String, ttl = e["ttl"] as! Int
                    let values: [Any] = (e["values"] as? [Any]) ?? [e["value"]!]
                    for v in values {
                        if let srv = v as? [String: Any] {
                            fromYAML.append("\(owner) \(ttl) \(type) \(srv["priority"]!) \(srv["weight"]!) \(srv["port"]!) \(srv["target"]!)")
                        } else {
                            fromYAML.append("\(owner) \(ttl) \(type) \(v)")
                        }
                    }
                }
            }
            let planned = zone.records.map { "\($0.name) \($0.ttl) \($0.type) \($0.data)" }
            #expect(fromYAML.sorted() == planned.sorted(), "\(zone.zone)")
            // octoDNS's YamlProvider refuses files whose keys are not sorted.
            let keys = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .filter { !$0.hasPrefix(" ") && !$0.hasPrefix("#") && !$0.hasPrefix("-") && $0.hasSuffix(":") }
            #expect(keys == keys.sorted())
        }
    }

    @Test func exportNeverOverwritesWithoutForceAndWritesAtomically() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("contoso.zone")
        try "; my hand-edited zone\n".write(to: target, atomically: true, encoding: .utf8)
        let refused = try fedplan("dns", "export", example("single-edge"), "-o", target.path)
        #expect(refused.code == 2)
        #expect(refused.stderr.contains("exists and would change"))
        #expect(try String(contentsOf: target, encoding: .utf8) == "; my hand-edited zone\n")
        #expect(try fedplan("dns", "export", example("single-edge"), "-o", target.path, "--force").code == 0)
        #expect(try String(contentsOf: target, encoding: .utf8).contains("_sipfederationtls._tcp.contoso.com."))
        let again = try fedplan("dns", "export", example("single-edge"), "-o", target.path)
        #expect(again.code == 0 && again.stderr.contains("unchanged"), "same content needs no --force")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// Ctrl-C at the worst moment, the new text complete in the temporary file and not yet
    /// renamed: the old file stays as it was and the temporary file is removed.
    @Test func interruptedExportLeavesTheOldFileAndNoDebris() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("contoso.zone")
        try "; my hand-edited zone\n".write(to: target, atomically: true, encoding: .utf8)
        let export = try SignalledRun(["dns", "export", example("single-edge"), "-o", target.path, "--force"], in: folder,
                                      environment: ["FEDPLAN_TEST_PAUSE_BEFORE_RENAME": "30"])
        try export.waitForStderr("pausing")
        let temporary = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(temporary.count == 1, "the new text waits in a temporary file: \(temporary)")
        let result = try export.interrupt()
        #expect(result.signalled, "\(result.stderr)")
        #expect(try String(contentsOf: target, encoding: .utf8) == "; my hand-edited zone\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["contoso.zone"])
    }

    @Test func failedExportLeavesTheOldFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("plan.zone")
        try "old\n".write(to: target, atomically: true, encoding: .utf8)
        // The description is broken: nothing may be written, not even an empty file.
        let broken = packageRoot.appendingPathComponent("Tests/Fixtures/invalid/invalid-ip.yaml").path
        #expect(try fedplan("dns", "export", broken, "-o", target.path, "--force").code == 2)
        #expect(try String(contentsOf: target, encoding: .utf8) == "old\n")
        // Several zones into one zone file: refused before writing.
        let many = folder.appendingPathComponent("many.zone")
        let result = try fedplan("dns", "export", example("dns-lb-pool"), "-o", many.path)
        #expect(result.code == 2 && result.stderr.contains("--zone"))
        #expect(!FileManager.default.fileExists(atPath: many.path))
    }

    @Test func unknownZoneIsAnError() throws {
        let result = try fedplan("dns", "export", example("single-edge"), "--zone", "fabrikam.com")
        #expect(result.code == 2)
        #expect(result.stderr.contains("its zones are: contoso.com"))
    }
}
