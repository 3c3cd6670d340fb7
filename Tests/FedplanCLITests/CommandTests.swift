import FedplanCore
import Foundation
import Testing

@Suite(.ownThread) struct CommandTests {
    static let invalidFiles: [String] = ((try? FileManager.default.contentsOfDirectory(
        atPath: packageRoot.appendingPathComponent("Tests/Fixtures/invalid").path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()

    @Test(arguments: invalidFiles)
    func invalidDescriptionExits2AndNamesTheLine(file: String) throws {
        let folder = packageRoot.appendingPathComponent("Tests/Fixtures/invalid")
        let header = try String(contentsOf: folder.appendingPathComponent(file), encoding: .isoLatin1)
            .prefix { $0 != "\n" }.replacingOccurrences(of: "# expect: ", with: "")
        let position = header.split(separator: ":").prefix(2).joined(separator: ":")
        for command in [["validate"], ["dns", "plan"], ["dns", "export"]] {
            let result = try run(fedplanBinary, command + [file], in: folder)
            #expect(result.code == 2, "\(command) \(file): \(result.stderr)")
            #expect(result.stderr.contains("\(file):\(position):"), "\(file): \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"))
        }
    }

    @Test func invalidDescriptionAsJSON() throws {
        let folder = packageRoot.appendingPathComponent("Tests/Fixtures/invalid")
        let result = try run(fedplanBinary, ["validate", "--format", "json", "unknown-key.yaml"], in: folder)
        #expect(result.code == 2)
        let doc = try JSONDecoder().decode(JSONDocuments.PlanDocument.self, from: Data(result.stdout.utf8))
        #expect(!doc.valid)
        #expect(doc.errors.first?.location.line == 3)
        #expect(doc.errors.first?.suggestion == "did you mean 'sip_domains'?")
    }

    /// Standard output that cannot be written (a full disk) is an error, never a silent exit 0
    /// with a cut-off document.
    @Test(arguments: [["dns", "plan", "--format", "json"], ["dns", "export"], ["validate"], ["cert", "plan"]])
    func unwritableStdoutExits2(_ command: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fedplanBinary)
        process.arguments = command + [example("hosting")]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2, "\(command): \(message)")
        #expect(message.contains("cannot write to standard output: No space left on device"))
    }

    @Test func missingFileExits2() throws {
        let result = try fedplan("validate", "/nonexistent/fedplan.yaml")
        #expect(result.code == 2)
        #expect(result.stderr.contains("/nonexistent/fedplan.yaml: error: no such file"))
    }

    @Test func badUsageExits2() throws {
        let result = try fedplan("dns", "plan", example("single-edge"), "--format", "yaml")
        #expect(result.code == 2)
        #expect(result.stderr.contains("--format"))
    }

    @Test func dashReadsTheDescriptionFromStandardInput() throws {
        let text = try String(contentsOfFile: example("single-edge"), encoding: .utf8)
        let result = try run(fedplanBinary, ["dns", "plan", "-", "--format", "json"], input: text)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.contains("_sipfederationtls._tcp.contoso.com."))
        let broken = try run(fedplanBinary, ["validate", "-"], input: text.replacingOccurrences(of: "ttl: 3600", with: "ttl: 010"))
        #expect(broken.code == 2 && broken.stderr.hasPrefix("-:") && broken.stderr.contains(":6: error: ttl"), "\(broken.stderr)")
    }

    @Test func mistypedCommandsGetASuggestion() throws {
        let check = try fedplan("dns", "chek", example("single-edge"))
        #expect(check.code == 2)
        #expect(check.stderr.contains("'chek' is not a command; did you mean 'check'?"), "\(check.stderr)")
        let validate = try fedplan("valdiate", example("single-edge"))
        #expect(validate.code == 2 && validate.stderr.contains("did you mean 'validate'?"), "\(validate.stderr)")
        #expect(try fedplan("help", "dns").code == 0, "help stays a command")
    }

    @Test func validExamplesValidate() throws {
        #expect(try fedplan("validate", example("single-edge")).code == 0)
        let pool = try fedplan("validate", example("dns-lb-pool"))
        #expect(pool.code == 0, "warnings alone pass")
        #expect(pool.stdout.contains("[dns-lb-failover-lost]"))
        #expect(try fedplan("validate", "--strict", example("dns-lb-pool")).code == 1, "--strict fails on warnings")
    }

    @Test func errorFindingExits1() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let yaml = try String(contentsOfFile: example("single-edge"), encoding: .utf8)
            + "federation:\n  xmpp:\n    partners: [{domain: jabber.example.org, tls: not_supported, sasl: required, dialback: false}]\n"
        try yaml.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let result = try fedplan("validate", in: folder)
        #expect(result.code == 1)
        #expect(result.stdout.contains("fedplan.yaml:16:16: error: jabber.example.org.:"))
        #expect(result.stdout.contains("[xmpp-negotiation-invalid]"))
    }

    @Test func planFormats() throws {
        let table = try fedplan("dns", "plan", example("dns-lb-pool"))
        #expect(table.code == 0)
        #expect(table.stdout.contains("zone contoso.com."))
        #expect(table.stdout.contains("  _xmpp-server._tcp.contoso.com.       3600  SRV   0 0 5269 xmpp.contoso.com.  XMPP federation for contoso.com"))
        let markdown = try fedplan("dns", "plan", example("single-edge"), "--format", "markdown")
        #expect(markdown.stdout.contains("| `_sipfederationtls._tcp.contoso.com.` | 3600 | SRV | `0 0 5061 sip.contoso.com.` |"))
        let json = try fedplan("dns", "plan", example("dns-lb-pool"), "--format", "json")
        let doc = try JSONDecoder().decode(JSONDocuments.PlanDocument.self, from: Data(json.stdout.utf8))
        #expect(doc.summary.records == 36 && doc.summary.zones == 3 && doc.summary.warnings == 5)
        #expect(doc.zones[0].records[0].srv?.port == 5061)
    }

    @Test func closedPipeEndsQuietly() throws {
        let result = try run("/bin/bash", ["-c", "'\(fedplanBinary)' dns plan '\(example("hosting"))' 2>/dev/null | head -1; echo \"status=${PIPESTATUS[0]}\""])
        #expect(result.stdout.hasPrefix("Federation DNS plan"))
        #expect(result.stdout.contains("status=0"), "killed by SIGPIPE: \(result.stdout)")
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let command = "'\(fedplanBinary)' validate '\(example("dns-lb-pool"))'"
        // `script` gives the command a pseudo-terminal, as a person's shell would.
        let terminal = try run("script", ["-qec", "env -u NO_COLOR \(command)", "/dev/null"])
        #expect(terminal.stdout.contains("\u{1B}[1;33mwarning"))
        // swift test itself sets NO_COLOR: clear it so that each case tests its own switch.
        for quiet in ["env -u NO_COLOR NO_COLOR=1 \(command)", "env -u NO_COLOR \(command) --no-color",
                      "env -u NO_COLOR \(command) --color never", "env -u NO_COLOR TERM=dumb \(command)"] {
            let plain = try run("script", ["-qec", quiet, "/dev/null"])
            #expect(plain.stdout.contains("warning:") && !plain.stdout.contains("\u{1B}"), "\(quiet)")
        }
        // no-color.org: an empty NO_COLOR does not turn colour off.
        let empty = try run("script", ["-qec", "env -u NO_COLOR NO_COLOR= TERM=xterm \(command)", "/dev/null"])
        #expect(empty.stdout.contains("\u{1B}[1;33mwarning"))
        #expect(!(try fedplan("validate", example("dns-lb-pool"))).stdout.contains("\u{1B}"), "a pipe gets no colour")
        #expect(try fedplan("validate", example("dns-lb-pool"), "--color", "always").stdout.contains("\u{1B}[1;33mwarning"))
    }

    @Test func initWritesAValidStarterAndNeverOverwrites() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try fedplan("init", "--domain", "fabrikam.com", in: folder).code == 0)
        let written = try String(contentsOf: folder.appendingPathComponent("fedplan.yaml"), encoding: .utf8)
        #expect(written.contains("access_edge: sip.fabrikam.com"))
        #expect(try fedplan("validate", in: folder).code == 0)
        try "mine\n".write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let again = try fedplan("init", in: folder)
        #expect(again.code == 2)
        #expect(again.stderr.contains("already exists"))
        #expect(try String(contentsOf: folder.appendingPathComponent("fedplan.yaml"), encoding: .utf8) == "mine\n")
        #expect(try fedplan("init", "--force", in: folder).code == 0)
        #expect(try fedplan("validate", in: folder).code == 0)
    }

    @Test func rulesCommandListsEverySpecRule() throws {
        let result = try fedplan("rules")
        #expect(result.code == 0)
        for rule in RuleCatalog.all { #expect(result.stdout.contains(rule.name)) }
    }
}
