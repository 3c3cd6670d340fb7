import Foundation
import Testing

/// The progress line: on a terminal (a pseudo-terminal here) standard error shows how far the
/// queries are, erased before the report; a pipe and `--quiet` get none of it.
@Suite(.serialized, .ownThread) struct ProgressTests {
    /// Runs the command with standard input, output and error on one pseudo-terminal (Python's
    /// pty module) and returns everything written to it.
    static func onTerminal(_ arguments: [String], in folder: URL) throws -> String {
        let script = """
            import os, pty, sys
            pid, fd = pty.fork()
            if pid == 0:
                os.execv(sys.argv[1], sys.argv[1:])
            out = b""
            while True:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    break
                if not data:
                    break
                out += data
            os.waitpid(pid, 0)
            sys.stdout.buffer.write(out)
            """
        return try run("python3", ["-c", script, fedplanBinary] + arguments, in: folder).stdout
    }

    @Test func progressOnATerminalOnly() throws {
        let s = scenarios[0]
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        // Every answer 0.4 s late: the check lasts long enough for the line to be drawn.
        let slow = try FaultServer(mode: "delay", upstream: nsd, delay: 0.4)
        defer { slow.stop() }
        let arguments = ["dns", "check", "\(s.name).yaml", "--resolver", slow.address, "--timeout", "3"]

        let terminal = try Self.onTerminal(arguments, in: folder)
        #expect(terminal.contains("\r\u{1B}[Kfedplan dns check: "), "\(terminal.debugDescription)")
        #expect(terminal.contains(" queries, ") && terminal.contains(" answered, 0 failed, "), "\(terminal.debugDescription)")
        // Erased before the report, which follows on a clean line.
        #expect(terminal.contains("\r\u{1B}[K\r\u{1B}[KDNS check of") || terminal.contains("\r\u{1B}[KDNS check of"),
                "\(terminal.debugDescription)")
        #expect(terminal.contains("records: ") && terminal.contains(" ok, 0 errors"))

        let quiet = try Self.onTerminal(arguments + ["--quiet"], in: folder)
        #expect(!quiet.contains("fedplan dns check: ") && !quiet.contains("\u{1B}[K"), "\(quiet.debugDescription)")

        let piped = try run(fedplanBinary, arguments, in: folder)
        #expect(piped.code == 0)
        #expect(piped.stderr.isEmpty, "\(piped.stderr.debugDescription)")
        #expect(!piped.stdout.contains("\u{1B}"))
    }

    /// Queries are what the report is about; wildcard probes are lookups, counted apart (a probe
    /// that fails changes no verdict, so it must not look like a failed query).
    @Test func probesAreLookupsNotQueries() throws {
        let s = WildcardLiveTests.scenario
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("wildcard.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let slow = try FaultServer(mode: "delay", upstream: nsd, delay: 0.2)
        defer { slow.stop() }
        let terminal = try Self.onTerminal(["dns", "check", "wildcard.yaml", "--resolver", slow.address, "--timeout", "3"],
                                           in: folder)
        let lines = terminal.components(separatedBy: "\r\u{1B}[K").filter { $0.hasPrefix("fedplan dns check: ") }
        let last = try #require(lines.last, "\(terminal.debugDescription)")
        // 3 planned questions; 3 probes for the SRV name, 2 for the address (up to the apex), and
        // the zone's DNSKEY set (DNSSEC, once per zone).
        #expect(last.hasPrefix("fedplan dns check: 3/3 queries, 3 answered, 0 failed, 6 lookups, "), "\(last.debugDescription)")
    }
}
