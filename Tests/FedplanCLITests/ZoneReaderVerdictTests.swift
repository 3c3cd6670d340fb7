#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import Testing

/// The zone reader's verdicts against the real checkers: every file in
/// Tests/Fixtures/zones/reader is the good corpus zone plus one case (an error in the last
/// line, SVCB parameters, numbers out of range, lower-case directives, a large `\#` record,
/// `$INCLUDE` after a comment, …). Its first line says the verdict all three must give
/// (`; verdict: accept|refuse`), and, for the documented exceptions, what BIND says instead
/// (`(bind: accept; why)`). fedplan refuses with exit 2; named-checkzone and kzonecheck with a
/// non-zero exit.
@Suite(.ownThread) struct ZoneReaderVerdictTests {
    static let folder = packageRoot.appendingPathComponent("Tests/Fixtures/zones/reader")
    static let description = packageRoot.appendingPathComponent("Tests/Fixtures/zones/fedplan.yaml").path
    static let cases: [String] = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
        .filter { $0.hasSuffix(".zone") }.sorted() ?? []

    /// (fedplan and Knot, BIND) accept?
    static func verdicts(_ file: String) throws -> (accept: Bool, bindAccepts: Bool) {
        let first = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")[0]
        let accept = first.hasPrefix("; verdict: accept")
        let bind = first.contains("(bind: accept") ? true : first.contains("(bind: refuse") ? false : accept
        return (accept, bind)
    }

    @Test func everyClassIsThere() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func sameVerdictAsTheRealCheckers(_ file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let expected = try Self.verdicts(file)
        let ours = try fedplan("dns", "check", Self.description, "--zone-file", path, "--quiet")
        #expect((ours.code != 2) == expected.accept, "fedplan on \(file): exit \(ours.code)\n\(ours.stderr)")
        if !expected.accept {
            #expect(ours.stderr.contains("\(path):"), "the refusal names the file and line: \(ours.stderr)")
        }
        let knot = try run("kzonecheck", ["-o", "contoso.com", path])
        #expect((knot.code == 0) == expected.accept, "kzonecheck on \(file): \(knot.stdout)\(knot.stderr)")
        // BIND reads a relative $INCLUDE from its working folder, not the including file's.
        let bind = try run("named-checkzone", ["-q", "contoso.com", path], in: Self.folder)
        #expect((bind.code == 0) == expected.bindAccepts, "named-checkzone on \(file): exit \(bind.code)")
    }

    /// An error in the very last line, with no newline after it, is not lost: the most common
    /// edit to a zone file is appending a line.
    @Test func anErrorInTheLastLineIsReportedAtItsLine() throws {
        let path = Self.folder.appendingPathComponent("last-line-empty-label.zone").path
        for format in ["text", "json", "junit", "github", "sarif"] {
            let result = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", format)
            #expect(result.code == 2)
            #expect(result.stderr.contains("\(path):11: error: invalid domain name character"), "\(result.stderr)")
            if format != "text" { #expect(result.stdout.contains("11"), "\(format): \(result.stdout)") }
        }
    }

    @Test func generateIsRefusedByName() throws {
        let path = Self.folder.appendingPathComponent("generate.zone").path
        let result = try fedplan("dns", "check", Self.description, "--zone-file", path)
        #expect(result.code == 2)
        #expect(result.stderr.contains("\(path):11: error: $GENERATE is not supported"), "\(result.stderr)")
    }

    /// A refused file gives CI a document in every format, not an empty stdout.
    @Test func aRefusedFileStillGivesADocumentInEveryFormat() throws {
        let path = Self.folder.appendingPathComponent("srv-port-too-large.zone").path
        let json = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "json")
        #expect(json.code == 2)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let problems = try #require(doc["problems"] as? [[String: Any]])
        let location = try #require(problems.first?["location"] as? [String: Any])
        #expect(location["file"] as? String == path && location["line"] as? Int == 11 && doc["checked"] as? Bool == false)

        let junit = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "junit")
        #expect(junit.code == 2)
        let xml = try XMLDocument(data: Data(junit.stdout.utf8))
        #expect(try xml.nodes(forXPath: "//testcase/failure[@type='zone-file-syntax']").count == 1)

        let github = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "github")
        #expect(github.code == 2 && github.stdout.hasPrefix("::error file=\(path),line=11,"))

        let sarif = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "sarif")
        #expect(sarif.code == 2)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let result = try #require((run["results"] as? [[String: Any]])?.first)
        #expect(result["ruleId"] as? String == "zone-file-syntax" && result["level"] as? String == "error")
        let physical = try #require(((result["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
        #expect((physical["artifactLocation"] as? [String: Any])?["uri"] as? String == "file://" + path)
        #expect((physical["region"] as? [String: Any])?["startLine"] as? Int == 11)
    }

    /// SARIF for code scanning: every rule described once, each finding at its file line and
    /// with its DNS name as a logical location.
    @Test func sarifCarriesRulesLinesAndNames() throws {
        let path = packageRoot.appendingPathComponent("Tests/Fixtures/zones/srv-port.zone").path
        let sarif = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "sarif")
        #expect(sarif.code == 1)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "srv-port-mismatch" && ($0["help"] as? [String: Any])?["text"] != nil })
        #expect(Set(rules.compactMap { $0["id"] as? String }).count == rules.count)
        let results = try #require(run["results"] as? [[String: Any]])
        let port = try #require(results.first { $0["ruleId"] as? String == "srv-port-mismatch" })
        let location = try #require((port["locations"] as? [[String: Any]])?.first)
        let region = (location["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int != nil)
        let logical = try #require((location["logicalLocations"] as? [[String: Any]])?.first)
        #expect((logical["name"] as? String)?.hasSuffix("contoso.com.") == true)
        let index = try #require(port["ruleIndex"] as? Int)
        #expect(rules[index]["id"] as? String == "srv-port-mismatch")
    }
}
