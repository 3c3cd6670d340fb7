import FedplanCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `dns check --zone-file` writes JSON, SARIF and JUnit as a stream through a 64 KiB buffer:
/// what reaches standard output is whole (every chunk, the last one flushed) and is the
/// document `JSONEncoder` writes for the same values.
@Suite(.ownThread) struct ZoneFileStreamTests {
    /// The examples' own exports, checked in every streamed format. The hosting example's JSON
    /// (300 zones) is larger than the buffer.
    @Test(arguments: ["single-edge", "dns-lb-pool", "hosting"])
    func streamedReportsAreWholeDocuments(_ name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try fedplan("dns", "export", example(name), "-o", folder.path + "/")
        let zones = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".zone") }.sorted()
        let arguments = ["dns", "check", example(name)] + zones.flatMap { ["--zone-file", folder.appendingPathComponent($0).path] }

        let json = try run(fedplanBinary, arguments + ["--format", "json"])
        #expect(json.code == 0, "\(json.stderr)")
        let document = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(json.stdout.utf8))
        // Re-encoded by JSONEncoder: the same bytes, so nothing was lost, doubled or reordered.
        #expect(JSONDocuments.encode(document) == json.stdout)
        #expect(document.records.count == document.summary.records && document.summary.ok == document.records.count)
        if name == "hosting" { #expect(json.stdout.utf8.count > BufferedOutput.capacity) }

        let sarif = try run(fedplanBinary, arguments + ["--format", "sarif"])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0" && sarif.stdout.hasSuffix("}\n"))

        let junit = try run(fedplanBinary, arguments + ["--format", "junit"])
        let xml = try XMLDocument(xmlString: junit.stdout)
        #expect(try xml.nodes(forXPath: "//testcase").count == document.records.count)
    }

    /// The corpus's mistakes: findings with every field, in JSON that re-encodes to itself, in
    /// SARIF with one result per finding, and in JUnit.
    @Test(arguments: ZoneFileTests.corpus)
    func findingsStreamAsEncoded(_ file: String) throws {
        let path = ZoneFileTests.folder.appendingPathComponent(file).path
        let arguments = ["dns", "check", ZoneFileTests.description, "--zone-file", path]
        let json = try run(fedplanBinary, arguments + ["--format", "json"])
        let document = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(json.stdout.utf8))
        #expect(JSONDocuments.encode(document) == json.stdout, "\(file)")
        let sarif = try run(fedplanBinary, arguments + ["--format", "sarif"])
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any], "\(file)")
        let results = ((log["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
        #expect(results.count == document.findings.count, "\(file)")
        #expect(sarif.code == json.code)
        let junit = try run(fedplanBinary, arguments + ["--format", "junit"])
        _ = try XMLDocument(xmlString: junit.stdout)
        #expect(junit.code == json.code)
    }

    /// A zone file that does not load: the refusal documents are streamed too.
    @Test func refusalsAreWholeDocuments() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let zone = folder.appendingPathComponent("bad \"zone\".zone")
        try "$ORIGIN contoso.com.\nsip IN A 131.107.155\nsip IN A 1.2.3\n".write(to: zone, atomically: true, encoding: .utf8)
        let arguments = ["dns", "check", ZoneFileTests.description, "--zone-file", zone.path]
        let json = try run(fedplanBinary, arguments + ["--format", "json"])
        #expect(json.code == 2)
        let document = try JSONDecoder().decode(CheckRenderer.RefusalDocument.self, from: Data(json.stdout.utf8))
        #expect(JSONDocuments.encode(document) == json.stdout)
        #expect(document.problems.filter { $0.message.hasPrefix("invalid IPv4 address") }.count == 2)
        #expect(document.zone_files == [zone.path] && document.problems.allSatisfy { $0.location.file == zone.path })
        let sarif = try run(fedplanBinary, arguments + ["--format", "sarif"])
        #expect(sarif.code == 2 && (try? JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8))) != nil)
        let junit = try run(fedplanBinary, arguments + ["--format", "junit"])
        #expect(junit.code == 2 && (try? XMLDocument(xmlString: junit.stdout)) != nil)
    }

    /// A streamed report that cannot be written (a full disk) is exit 2 with the reason, as
    /// every other output: never exit 0 with a cut-off document.
    @Test(arguments: ["json", "sarif", "junit"])
    func unwritableStdoutExits2(_ format: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fedplanBinary)
        process.arguments = ["dns", "check", ZoneFileTests.description, "--zone-file",
                             ZoneFileTests.folder.appendingPathComponent("srv-port.zone").path, "--format", format]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(format): \(message)")
        #expect(message.contains("cannot write to standard output: No space left on device"))
    }
}
