import FedplanCore
import Foundation
import Testing

/// Zone files and descriptions that attack the reader: each gets exit 2 (or findings) with a
/// clear, located message, and no output format ever carries a raw control character.
@Suite(.ownThread) struct HostileInputTests {
    static let plan = packageRoot.appendingPathComponent("Tests/Fixtures/zones/fedplan.yaml").path

    func check(_ zone: String, name: String = "hostile.zone", format: String = "text") throws -> Output {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(zone.utf8).write(to: folder.appendingPathComponent(name))
        return try fedplan("dns", "check", Self.plan, "--zone-file", folder.appendingPathComponent(name).path,
                           "--format", format, in: folder)
    }

    /// No byte below 0x20 but newline, no DEL, no C1 control, no bidirectional override.
    static func expectClean(_ text: String, _ what: String) {
        let raw = text.unicodeScalars.filter { $0 != "\n" && Escape.needsEscape($0) }
        #expect(raw.isEmpty, "\(what) carries raw \(raw.map { Escape.scalarName($0) })")
    }

    @Test func controlCharactersInNamesNeverReachAnyOutputRaw() throws {
        // ESC [ 3 1 m, BEL and NUL as RFC 1035 escapes in an owner and in SRV targets (Knot's
        // scanner wants `[` escaped in a name too).
        let zone = """
            $ORIGIN contoso.com.
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            _sipfederationtls._tcp IN SRV 0 0 5061 sip\\027\\09131m\\007.contoso.com.
            _sipfederationtls._tcp IN SRV 0 0 5061 sip\\000.contoso.com.
            _xmpp-server._tcp\\027 IN SRV 0 0 5269 sip.contoso.com.
            _sipfederationtls._tcp IN TXT "\\027[31mred\\007 \\200\\255"
            _sipfederationtls._tcp IN TXT "\\027[31mred\\007 \\200\\255"
            sip IN A 131.107.155.10
            sip IN A 131.107.155.11
            """
        for format in ["text", "json", "junit", "github"] {
            let result = try check(zone, format: format)
            #expect(result.code == 1, "\(format): \(result.stderr)")
            Self.expectClean(result.stdout + result.stderr, format)
            #expect(result.stdout.contains("sip\\\\027[31m\\\\007") || result.stdout.contains("sip\\027[31m\\007"),
                    "\(format) shows the escaped name: \(result.stdout)")
            if format == "text" {  // TXT data reaches the output through duplicate-record: escaped too
                #expect(result.stdout.contains("TXT \"\\027[31mred\\007 \\200\\255\"") && result.stdout.contains("[duplicate-record]"),
                        "\(result.stdout)")
            }
            if format == "junit" {  // several findings on one record: newlines between them, not escapes
                #expect(!result.stdout.contains("\\010") && result.stdout.contains("\n[srv-"), "\(result.stdout)")
            }
            if format == "json" {
                let doc = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
                for finding in doc.findings {
                    Self.expectClean(finding.message + (finding.observed ?? "") + (finding.fix ?? ""), "a decoded JSON string")
                }
            }
        }
    }

    @Test func binaryGarbageIsOneClearError() throws {
        var bytes = [UInt8]("$ORIGIN contoso.com.\n".utf8)
        var seed: UInt64 = 42
        for _ in 0..<100_000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            bytes.append(UInt8(truncatingIfNeeded: seed >> 33))
        }
        let result = try check(String(decoding: bytes, as: UTF8.self))
        #expect(result.code == 2)
        #expect(result.stderr.contains("this is not a text zone file: a NUL byte at line"), "\(result.stderr)")
        #expect(result.stderr.components(separatedBy: "\n").count < 5, "one message, not one per line")
        Self.expectClean(result.stderr, "stderr")
    }

    /// 100,000 errors: each message quotes its line, found by reading on from the previous
    /// error's line (a search from the top for each was quadratic, minutes for this file).
    @Test func manySyntaxErrorsAreCountedButNotAllShown() throws {
        let zone = "$ORIGIN contoso.com.\n@ IN SOA ns1 h 1 1 1 1 1\n" + String(repeating: "x IN A 999.1.1.1\n", count: 100_000)
        let result = try check(zone)
        #expect(result.code == 2)
        #expect(result.stderr.contains("100000 problems in the zone files"))
        #expect(result.stderr.contains("… and 99900 more, not shown"))
        #expect(result.stderr.contains(":102: error: invalid IPv4 address: x IN A 999.1.1.1"), "\(result.stderr.prefix(500))")
    }

    @Test func veryLongLinesAndNamesAreLocatedSyntaxErrors() throws {
        let longLabel = String(repeating: "a", count: 300)
        let longName = Array(repeating: String(repeating: "b", count: 63), count: 5).joined(separator: ".")
        let zone = """
            $ORIGIN contoso.com.
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            \(longLabel) IN A 192.0.2.1
            \(longName) IN A 192.0.2.1
            big IN TXT "\(String(repeating: "t", count: 5_000_000))"
            """
        let result = try check(zone)
        #expect(result.code == 2)
        for line in [3, 4, 5] { #expect(result.stderr.contains("hostile.zone:\(line): error"), "line \(line): \(result.stderr)") }
    }

    /// A FIFO would block a plain open() until someone writes to it: with O_NONBLOCK and the
    /// regular-file check, an `$INCLUDE` of one is refused at once.
    @Test func includeOfAPipeOrDeviceIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("pipe").path, 0o600) == 0)
        let zone = "$ORIGIN contoso.com.\n@ IN SOA ns1 h 1 1 1 1 1\n$INCLUDE pipe\n$INCLUDE /dev/zero\n"
        try zone.write(to: folder.appendingPathComponent("z.zone"), atomically: true, encoding: .utf8)
        let result = try fedplan("dns", "check", Self.plan, "--zone-file", folder.appendingPathComponent("z.zone").path)
        #expect(result.code == 2)
        #expect(result.stderr.contains("z.zone:3: error: cannot read the zone file (it is not a regular file"), "\(result.stderr)")
        #expect(result.stderr.contains("z.zone:4: error"))
    }

    /// File names come from `$INCLUDE` lines too: escaped wherever a location is printed.
    @Test func includedFileNamesAreEscaped() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try "not a record\n".write(to: folder.appendingPathComponent("inc\u{1B}[31mred"), atomically: true, encoding: .utf8)
        let zone = "$ORIGIN contoso.com.\n@ IN SOA ns1 h 1 1 1 1 1\n$INCLUDE inc\u{1B}[31mred\n"
        try zone.write(to: folder.appendingPathComponent("z.zone"), atomically: true, encoding: .utf8)
        for format in ["text", "github"] {
            let result = try fedplan("dns", "check", Self.plan, "--zone-file", folder.appendingPathComponent("z.zone").path,
                                     "--format", format)
            #expect(result.code == 2)
            #expect((result.stdout + result.stderr).contains("inc\\027[31mred"), "\(result.stderr)")
            Self.expectClean(result.stdout + result.stderr, format)
        }
    }

    @Test func descriptionThatIsNotAFileOrTooLarge() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(folder.appendingPathComponent("pipe.yaml").path, 0o600) == 0)
        for path in ["/dev/zero", folder.appendingPathComponent("pipe.yaml").path] {
            let result = try fedplan("validate", path)
            #expect(result.code == 2 && result.stderr.contains("not a regular file"), "\(path): \(result.stderr)")
        }
        let big = folder.appendingPathComponent("big.yaml")
        try Data(repeating: UInt8(ascii: "#"), count: 17 << 20).write(to: big)
        let result = try fedplan("validate", big.path)
        #expect(result.code == 2 && result.stderr.contains("a description may be at most 16 MiB"), "\(result.stderr)")
    }
}
