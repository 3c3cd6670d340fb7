import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import Yams

/// `dns check --zone-file` against the corpus in Tests/Fixtures/zones: each file is the zone of
/// Tests/Fixtures/zones/fedplan.yaml with one classic mistake, and its first line says what
/// must be found (`; expect: rule owner line | …`, or `none`).
@Suite(.ownThread) struct ZoneFileTests {
    static let folder = packageRoot.appendingPathComponent("Tests/Fixtures/zones")
    static let description = folder.appendingPathComponent("fedplan.yaml").path
    static let corpus: [String] = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))?
        .filter { $0.hasSuffix(".zone") }.sorted() ?? []

    struct Expected: Hashable {
        var rule: String, name: String, line: Int
    }

    static func expectations(_ file: String) throws -> [Expected] {
        let first = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            .split(separator: "\n")[0]
        let spec = first.dropFirst("; expect: ".count).split(separator: "(")[0].trimmingCharacters(in: .whitespaces)
        if spec == "none" { return [] }
        return spec.split(separator: "|").map { item in
            let words = item.split(separator: " ")
            return Expected(rule: String(words[0]), name: String(words[1]), line: Int(words[2])!)
        }
    }

    @Test func corpusIsThere() {
        #expect(Self.corpus.count >= 25)
    }

    @Test(arguments: corpus)
    func findsTheMistakeAtItsLine(_ file: String) throws {
        let expected = try Self.expectations(file)
        let path = Self.folder.appendingPathComponent(file).path
        let result = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                "\(file): \(result.stderr)")
        let findings = json["findings"] as? [[String: Any]] ?? []
        let found = Set(findings.map { f in
            Expected(rule: f["rule"] as! String, name: f["name"] as! String,
                     line: (f["location"] as? [String: Any])?["line"] as? Int ?? 0)
        })
        for finding in findings {
            let location = finding["location"] as? [String: Any]
            #expect(location?["file"] as? String == path, "\(file): every finding points into the zone file: \(finding)")
        }
        if expected.isEmpty {
            #expect(result.code == 0, "\(file): \(result.stdout)")
            #expect(findings.isEmpty, "\(file): \(findings)")
        } else {
            let severities = findings.compactMap { $0["severity"] as? String }
            #expect(result.code == (severities.contains("error") ? 1 : 0))
            for e in expected { #expect(found.contains(e), "\(file): expected \(e), found \(found)") }
        }
    }

    /// The same corpus through the real checkers: they accept most of these mistakes (the zone
    /// loads; federation still fails), which is why fedplan checks them.
    @Test(arguments: corpus)
    func realCheckersOnTheSameCorpus(_ file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let rejectedByNamed: Set<String> = [
            "cname-and-other-data.zone", "srv-cname.zone", "trailing-dot-cname.zone", "dname-above.zone",
        ]
        let rejectedByNSD: Set<String> = ["cname-and-other-data.zone"]
        let named = try run("named-checkzone", ["-i", "full", "-S", "fail", "contoso.com", path])
        #expect((named.code != 0) == rejectedByNamed.contains(file), "named-checkzone on \(file): \(named.stdout)")
        let nsd = try run("nsd-checkzone", ["contoso.com", path])
        #expect((nsd.code != 0) == rejectedByNSD.contains(file), "nsd-checkzone on \(file): \(nsd.stdout)\(nsd.stderr)")
    }

    /// `--timings` on the zone-file path: one line on standard error with each phase (the zone
    /// path printed nothing before); standard output is the report alone.
    @Test func timingsNameEachPhaseOfAZoneFileCheck() throws {
        let path = Self.folder.appendingPathComponent("good.zone").path
        let result = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "json", "--timings")
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{") && !result.stdout.contains("timings"))
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("timings: ") }, "\(result.stderr)")
        for part in ["timings: load and plan ", "; collector set-up ", "; read, scan and collect ", "; check ", "; report ", "; total "] {
            #expect(line.contains(part), "\(line)")
        }
        let records = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix(";") && !$0.hasPrefix("$") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }.count
        #expect(line.contains("s (\(records) records)"), "\(line)")
    }

    @Test func syntaxErrorsAreAllReportedWithTheirLines() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let zone = folder.appendingPathComponent("bad.zone")
        try """
        $ORIGIN contoso.com.
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        sip IN A 131.107.155
        ; a comment

        _sipfederationtls._tcp IN SRV 0 0 sip.contoso.com.
        """.write(to: zone, atomically: true, encoding: .utf8)
        let result = try fedplan("dns", "check", Self.description, "--zone-file", zone.path)
        #expect(result.code == 2)
        #expect(result.stderr.contains("\(zone.path):3: error: invalid IPv4 address: sip IN A 131.107.155"))
        #expect(result.stderr.contains("\(zone.path):6: error: invalid number: _sipfederationtls._tcp IN SRV 0 0 sip.contoso.com."))
        let github = try fedplan("dns", "check", Self.description, "--zone-file", zone.path, "--format", "github")
        #expect(github.code == 2)
        #expect(github.stdout.contains("::error file=\(zone.path),line=6,"))
    }

    @Test func includeIsRelativeToTheIncludingFileAndLoopsAreRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("zones/parts"), withIntermediateDirectories: true)
        try """
        $ORIGIN contoso.com.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        $INCLUDE parts/federation.zone
        sip IN A 131.107.155.10
        sip IN A 131.107.155.11
        """.write(to: folder.appendingPathComponent("zones/contoso.com.zone"), atomically: true, encoding: .utf8)
        try """
        ; federation records, relative to the includer's origin
        _sipfederationtls._tcp IN SRV 0 0 5061 sip.contoso.com.
        _xmpp-server._tcp      IN SRV 0 0 5260 sip.contoso.com.
        """.write(to: folder.appendingPathComponent("zones/parts/federation.zone"), atomically: true, encoding: .utf8)
        let zone = folder.appendingPathComponent("zones/contoso.com.zone").path
        let result = try fedplan("dns", "check", Self.description, "--zone-file", zone, "--format", "json")
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains("\"rule\" : \"srv-port-mismatch\""))
        #expect(result.stdout.contains("parts/federation.zone\""))
        #expect(result.stdout.contains("\"line\" : 3"))

        try "$INCLUDE ../contoso.com.zone\n".write(to: folder.appendingPathComponent("zones/parts/federation.zone"),
                                                 atomically: true, encoding: .utf8)
        let loop = try fedplan("dns", "check", Self.description, "--zone-file", zone)
        #expect(loop.code == 2)
        #expect(loop.stderr.contains("$INCLUDE loop"))
    }

    @Test func recordsOutsideEveryZoneAreNotCoveredNotMissing() throws {
        let description = example("dns-lb-pool")
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try fedplan("dns", "export", description, "-o", folder.path + "/")
        let result = try fedplan("dns", "check", description, "--zone-file", folder.appendingPathComponent("contoso.com.zone").path,
                                 "--format", "json")
        #expect(result.code == 0, "\(result.stdout)")
        #expect(result.stdout.contains("\"not_covered\" : 15"))
        #expect(!result.stdout.contains("record-missing"))
        let text = try fedplan("dns", "check", description, "--zone-file", folder.appendingPathComponent("contoso.com.zone").path)
        #expect(text.stdout.contains("15 not covered by the zone files given"))
        // JUnit: skipped, not passed.
        let junit = try fedplan("dns", "check", description, "--zone-file", folder.appendingPathComponent("contoso.com.zone").path,
                                "--format", "junit")
        let xml = try XMLDocument(xmlString: junit.stdout)
        #expect(try xml.nodes(forXPath: "//testcase/skipped").count == 15, "\(junit.stdout)")
        #expect(try xml.nodes(forXPath: "/testsuites[@skipped='15']").count == 1)
        // A file that covers nothing of the plan is a wrong invocation, not a clean bill.
        let other = folder.appendingPathComponent("other.zone")
        try "www.example.org. 3600 IN A 192.0.2.1\n".write(to: other, atomically: true, encoding: .utf8)
        let none = try fedplan("dns", "check", description, "--zone-file", other.path, "--origin", "example.org")
        #expect(none.code == 2)
        #expect(none.stderr.contains("none of the 36 planned records lies in the zones of the files given (example.org.)"))
        let unknown = try fedplan("dns", "check", description, "--zone-file", other.path)
        #expect(unknown.code == 2)
        #expect(unknown.stderr.contains("cannot tell which zone this file holds"))
    }

    /// Zone snippets from `dns export` pass their own check, for every example.
    @Test(arguments: ["single-edge", "dns-lb-pool", "hosting"])
    func exportedSnippetsRoundTrip(_ name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let export = try fedplan("dns", "export", example(name), "-o", folder.path + "/")
        #expect(export.code == 0 || export.code == 1)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        let arguments = ["dns", "check", example(name), "--format", "json"] + files.flatMap { ["--zone-file", folder.appendingPathComponent($0).path] }
        let result = try run(fedplanBinary, arguments)
        #expect(result.code == 0, "\(name): \(result.stdout.prefix(2000))\(result.stderr)")
        #expect(result.stdout.contains("\"errors\" : 0"))
        #expect(!result.stdout.contains("not-covered"))
    }

    /// A repository laid out as the CI examples say: fedplan.yaml and zones/contoso.com.zone, the
    /// zone kept as BIND's admins keep it (the origin in named.conf, none in the file: the
    /// `$ORIGIN` line becomes a comment, so the lines stay where they were).
    static func ciRepository(zone: String) throws -> URL {
        let repo = try temporaryFolder()
        try FileManager.default.createDirectory(at: repo.appendingPathComponent("zones"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.description, toPath: repo.appendingPathComponent("fedplan.yaml").path)
        let text = try String(contentsOf: Self.folder.appendingPathComponent(zone), encoding: .utf8)
            .replacingOccurrences(of: "$ORIGIN contoso.com.\n", with: "; origin: named.conf\n")
        #expect(!text.contains("$ORIGIN"))
        try Data(text.utf8).write(to: repo.appendingPathComponent("zones/contoso.com.zone"))
        return repo
    }

    static func runScript(_ script: String, in repo: URL, environment: String = "") throws -> Output {
        let bin = URL(fileURLWithPath: fedplanBinary).deletingLastPathComponent().path
        return try run("/bin/bash", ["-eo", "pipefail", "-c", "export PATH=\(bin):$PATH\n\(environment)\n" + script], in: repo)
    }

    /// examples/ci/github-actions.yml, run as the workflow runs it: its fedplan steps, in a
    /// repository laid out as the example says, with fedplan on PATH and a job summary file.
    @Test func githubWorkflowExampleRunsAsWritten() throws {
        let workflow = packageRoot.appendingPathComponent("examples/ci/github-actions.yml")
        let yaml = try #require(try Yams.load(yaml: String(contentsOf: workflow, encoding: .utf8)) as? [String: Any])
        let jobs = try #require(yaml["jobs"] as? [String: Any])
        let steps = try #require((jobs["zones"] as? [String: Any])?["steps"] as? [[String: Any]])
        let scripts = steps.compactMap { $0["run"] as? String }.filter { $0.contains("fedplan dns check") }
        #expect(scripts.count == 2)
        let upload = steps.first { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif") ?? false }
        #expect((upload?["with"] as? [String: Any])?["sarif_file"] as? String == "fedplan.sarif")
        let repo = try Self.ciRepository(zone: "srv-port.zone")
        defer { try? FileManager.default.removeItem(at: repo) }
        let summary = repo.appendingPathComponent("summary.md")
        let result = try Self.runScript(scripts[0], in: repo, environment: "export GITHUB_STEP_SUMMARY=\(summary.path)")
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains("::error file=zones/contoso.com.zone,line=7,"))
        #expect(result.stdout.contains("::notice title=fedplan dns check::"), "a closing summary notice")
        let markdown = try String(contentsOf: summary, encoding: .utf8)
        #expect(markdown.contains("### fedplan dns check") && markdown.contains("| error | srv-port-mismatch |"), "\(markdown)")
        let sarif = try Self.runScript(scripts[1], in: repo)
        #expect(sarif.code == 0, "the SARIF step itself passes: \(sarif.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: repo.appendingPathComponent("fedplan.sarif"))) as? [String: Any])
        #expect(document["version"] as? String == "2.1.0")

        let good = try Self.ciRepository(zone: "good.zone")
        defer { try? FileManager.default.removeItem(at: good) }
        let clean = try Self.runScript(scripts[0], in: good)
        #expect(clean.code == 0, "\(clean.stdout)\(clean.stderr)")
    }

    /// examples/ci/gitlab-ci.yml: its script lines, run one after the other as GitLab runs them.
    @Test func gitlabExampleRunsAsWritten() throws {
        let file = packageRoot.appendingPathComponent("examples/ci/gitlab-ci.yml")
        let yaml = try #require(try Yams.load(yaml: String(contentsOf: file, encoding: .utf8)) as? [String: Any])
        let job = try #require(yaml["federation-dns"] as? [String: Any])
        let script = try #require(job["script"] as? [String]).joined(separator: "\n")
        let repo = try Self.ciRepository(zone: "srv-port.zone")
        defer { try? FileManager.default.removeItem(at: repo) }
        let result = try Self.runScript(script, in: repo)
        #expect(result.code == 1, "the job fails: \(result.stderr)")
        let junit = try XMLDocument(contentsOf: repo.appendingPathComponent("fedplan-junit.xml"))
        #expect(try junit.nodes(forXPath: "//testcase/failure[@type='srv-port-mismatch']").count == 1)
    }

    /// `--zone-file -` reads the zone from standard input, as `named-checkzone ZONE -` does.
    @Test func zoneFileFromStandardInput() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("srv-port.zone"), encoding: .utf8)
        let result = try run(fedplanBinary, ["dns", "check", Self.description, "--zone-file", "-", "--format", "github"], input: text)
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains("::error file=-,line=7,"), "\(result.stdout)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("fedplan-stdin-") }
        #expect(leftovers.isEmpty, "the copy of standard input is removed")
    }
}
