import FedplanCore
import Foundation
import Testing

/// The small paths of the first hour (issue 27): `-` for standard output, an empty file, help
/// that shows what the README says, a command line without a command, a port out of range.
@Suite(.ownThread) struct SmallPathTests {
    /// `init -o -` writes the starter file to standard output, never a file named `-`.
    @Test func initToStandardOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try fedplan("init", "-o", "-", "--domain", "fabrikam.com", in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# fedplan deployment description"))
        #expect(result.stdout.contains("access_edge: sip.fabrikam.com"))
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("-").path))
        // What it printed is a valid description.
        try result.stdout.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        #expect(try fedplan("validate", in: folder).code == 0)
    }

    /// A zero-byte description is an empty description, as one holding a newline is.
    @Test(arguments: ["", "\n", "---\n"])
    func emptyDescription(_ content: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try content.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let result = try fedplan("validate", in: folder)
        #expect(result.code == 2)
        #expect(result.stderr.contains("fedplan.yaml:1:1: error: the description is empty; run `fedplan init`"), "\(result.stderr)")
        #expect(!result.stderr.contains("cannot read"), "\(result.stderr)")
    }

    /// The export example uses a folder of its own, as the README says, never config/zones/.
    @Test func exportHelpShowsTheFedplanFolder() throws {
        let result = try fedplan("dns", "export", "--help")
        #expect(result.code == 0)
        #expect(result.stdout.contains("--format octodns -o config/fedplan/"), "\(result.stdout)")
        #expect(!result.stdout.contains("-o config/zones"), "\(result.stdout)")
    }

    /// `init --help` and `validate --help` point at the reference of the description.
    @Test(arguments: [["init"], ["validate"]])
    func helpPointsAtTheReference(_ command: [String]) throws {
        let result = try run(fedplanBinary, command + ["--help"])
        #expect(result.code == 0)
        #expect(result.stdout.contains("docs/description.md"), "\(result.stdout)")
    }

    /// No command is bad usage: the help on standard error, nothing on standard output, exit 2.
    /// `--help` is still exit 0 on standard output.
    @Test(arguments: [[], ["dns"]])
    func missingCommandExits2(_ arguments: [String]) throws {
        let result = try run(fedplanBinary, arguments)
        #expect(result.code == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("USAGE:") && result.stderr.contains("name a command"), "\(result.stderr)")
        let help = try run(fedplanBinary, arguments + ["--help"])
        #expect(help.code == 0 && help.stdout.contains("USAGE:"))
    }

    /// A port out of range says what a port must be.
    @Test(arguments: ["127.0.0.1:99999", "127.0.0.1:0", "[::1]:70000", "localhost:port"])
    func resolverPortOutOfRange(_ resolver: String) throws {
        let result = try fedplan("dns", "check", example("single-edge"), "--resolver", resolver)
        #expect(result.code == 2)
        #expect(result.stderr.contains("the port must be a number from 1 to 65535"), "\(result.stderr)")
    }

    /// Digits and dots that are no IPv4 address are refused, never looked up as a host name
    /// through the system's resolver.
    @Test func aMistypedIPv4AddressIsNotAHostName() throws {
        let result = try fedplan("dns", "check", example("single-edge"), "--resolver", "300.1.1.1")
        #expect(result.code == 2)
        #expect(result.stderr.contains("'300.1.1.1' is not a valid IPv4 address"), "\(result.stderr)")
    }

    /// A target written without its final dot, served by NSD: `srv-target-no-address` says
    /// that the zone's origin was appended, and the fix is the dot, not addresses for the
    /// mangled name.
    @Test func srvTargetWithoutFinalDot() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            version: 1
            sip_domains: [wingtiptoys.com]
            edge:
              access_edge: sip.tailspintoys.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [
            "wingtiptoys.com": ExportTests.completeZone("wingtiptoys.com", snippet: """
                $ORIGIN wingtiptoys.com.
                _sipfederationtls._tcp 3600 IN SRV 0 0 5061 sip.tailspintoys.com
                """),
            "tailspintoys.com": ExportTests.completeZone("tailspintoys.com", snippet: "sip.tailspintoys.com. 3600 IN A 131.107.155.10"),
        ])
        defer { nsd.stop() }
        let result = try fedplan("dns", "check", "--resolver", nsd.address, "--format", "json", in: folder)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        let findings = try #require(doc["findings"] as? [[String: Any]])
        let noAddress = try #require(findings.first { $0["rule"] as? String == "srv-target-no-address" }, "\(findings)")
        let message = try #require(noAddress["message"] as? String)
        #expect(message.contains("sip.tailspintoys.com. written without its final dot"), "\(message)")
        #expect(message.contains("origin was appended"), "\(message)")
        #expect(noAddress["fix"] as? String == "write the target as `sip.tailspintoys.com.` (with the final dot)", "\(noAddress)")
    }
}
