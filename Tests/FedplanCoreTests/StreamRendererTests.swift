@testable import FedplanCore
import Foundation
import Testing

/// The streamed JSON, SARIF and JUnit of `dns check` are byte for byte what the old
/// `JSONEncoder` and String renderers wrote (`Reference`), for reports that use every field
/// and every kind of hostile text, and for documents larger than the 64 KiB buffer.
@Suite struct StreamRendererTests {
    /// Text that needs every escape: JSON's own (`"`, `\`), control characters (which
    /// `Escape.text` makes visible, and JSON escapes where a field is not `Escape.text`ed),
    /// slashes, XML markup, non-ASCII, bidirectional overrides, U+2028.
    static let hostile = "q\"uote b\\ack s/lash <tag> & amp \u{1B}[2J nul\u{0} tab\t nl\n cr\r del\u{7F} c1\u{85} é 😀 \u{2028} \u{202E}rtl"

    static func record(_ name: String, _ type: RecordType, zone: String, data: RecordData) -> PlannedRecord {
        PlannedRecord(name: DomainName(uncheckedLabels: name.split(separator: ".").map(String.init)), ttl: 3600, data: data,
                      zone: DomainName(uncheckedLabels: zone.split(separator: ".").map(String.init)),
                      reason: "why", purpose: "why", server: nil, source: "test", origin: SourceLocation(file: "fedplan.yaml", line: 3))
    }

    static func srv(_ target: String, port: UInt16 = 5061) -> RecordData {
        .srv(SRVData(priority: 0, weight: 0, port: port, target: DomainName(uncheckedLabels: target.split(separator: ".").map(String.init))))
    }

    static func address(_ text: String) -> RecordData { .address(IPAddress(text)!) }

    /// Every status, every optional field set and unset, names outside the plan (in a planned
    /// zone and a partner's), a stop, omitted findings, and every way a zone file's origin is told.
    static func richReport() -> CheckReport {
        let records = [
            CheckReport.RecordResult(record: record("_sipfederationtls._tcp.contoso.com", .srv, zone: "contoso.com", data: srv("sip.contoso.com")),
                                     status: .error, observed: "0 0 5062 " + hostile),
            CheckReport.RecordResult(record: record("sip.contoso.com", .a, zone: "contoso.com", data: address("131.107.155.10")),
                                     status: .ok, observed: "131.107.155.10"),
            CheckReport.RecordResult(record: record("sip.contoso.com", .aaaa, zone: "contoso.com", data: address("2001:db8::10")),
                                     status: .unverified, observed: nil),
            CheckReport.RecordResult(record: record("_sipfederationtls._tcp.fabrikam.com", .srv, zone: "fabrikam.com", data: srv("sip.contoso.com")),
                                     status: .notCovered, observed: nil),
            CheckReport.RecordResult(record: record("_xmpp-server._tcp.contoso.com", .srv, zone: "contoso.com", data: srv("xmpp.contoso.com", port: 5269)),
                                     status: .warning, observed: ""),
            // A name with characters a plan never has: JSON escapes what reaches it unescaped.
            CheckReport.RecordResult(record: record("we\"ird\\na\u{1}me.example.net", .a, zone: "example.net", data: address("192.0.2.1")),
                                     status: .notice, observed: hostile),
        ]
        let findings = [
            Finding(rule: "srv-port-mismatch", severity: .error, name: "_sipfederationtls._tcp.contoso.com.", type: "SRV",
                    message: "port 5062, the plan says 5061 " + hostile, expected: "0 0 5061 sip.contoso.com.",
                    observed: "0 0 5062 " + hostile, server: "192.0.2.53:5353 " + hostile,
                    location: SourceLocation(file: "zones/contoso.com.zone " + hostile, line: 12, column: 4),
                    fix: "set the port to 5061 " + hostile),
            Finding(rule: "srv-port-mismatch", severity: .error, name: "_sipfederationtls._tcp.contoso.com.", type: "SRV",
                    message: "a second one", location: SourceLocation(file: "/abs/path with space/ü.zone", line: 0)),
            Finding(rule: "query-failed", severity: .error, name: "sip.contoso.com.", type: "AAAA",
                    message: "could not verify: no answer", server: "192.0.2.53",
                    location: SourceLocation(file: "fedplan.yaml", line: 7), fix: "make sure it answers"),
            Finding(rule: "address-private", severity: .warning, name: "_xmpp-server._tcp.contoso.com.", message: "bare"),
            Finding(rule: "ttl-mismatch", severity: .notice, name: hostile, type: hostile, message: hostile,
                    location: SourceLocation(file: "fedplan.yaml")),
            Finding(rule: "name-near-miss", severity: .error, name: "sip-contoso.contoso.com.", type: "A",
                    message: "near miss", location: SourceLocation(file: "z.zone", line: 9, column: nil)),
            Finding(rule: "record-missing", severity: .error, name: "_sipfederationtls._tcp.partner.example.", type: "SRV",
                    message: "partner has none", fix: "tell them"),
            Finding(rule: "not-a-catalogue-rule", severity: .warning, name: "x.example.", message: "no rule index"),
        ]
        var report = CheckReport(description: "fedplan " + hostile + ".yaml", servers: ["192.0.2.53", "[2001:db8::53]:5353", hostile],
                                 records: records, findings: findings, stopped: "the deadline of 2 s passed (--deadline) " + hostile,
                                 omitted: [CheckReport.Omitted(rule: "srv-extra-target", severity: .warning, count: 984),
                                           CheckReport.Omitted(rule: "address-unexpected", severity: .error, count: 1)])
        report.zoneFiles = [
            .init(file: "zones/contoso.com.zone " + hostile, zone: "contoso.com.", origin: "contoso.com.", originSource: .directive(line: 3)),
            .init(file: "db.fabrikam.com", zone: "fabrikam.com.", origin: "fabrikam.com.", originSource: .fileName),
            .init(file: "snippet.zone", zone: nil, origin: "we\"ird.\u{1B}.", originSource: .option),
            .init(file: "absolute.zone", zone: nil, origin: nil, originSource: .none),
        ]
        return report
    }

    static let emptyReport = CheckReport(description: "fedplan.yaml", servers: [], records: [], findings: [], stopped: nil)

    /// A hoster's report: many zones, output well over the 64 KiB buffer, multi-byte text
    /// falling across the buffer's edges.
    static func largeReport() -> CheckReport {
        var records: [CheckReport.RecordResult] = []
        var findings: [Finding] = []
        for k in 1...3000 {
            let zone = "t\(k).example.net"
            let status: RecordStatus = [.ok, .ok, .error, .notCovered, .unverified][k % 5]
            records.append(.init(record: record("_sipfederationtls._tcp.\(zone)", .srv, zone: zone, data: srv("sip.edge.example.org")),
                                 status: status, observed: k % 3 == 0 ? nil : "0 0 5061 sip.edge.example.org. é😀\(k)"))
            if status == .error {
                findings.append(Finding(rule: "srv-target-mismatch", severity: .error, name: "_sipfederationtls._tcp.\(zone).", type: "SRV",
                                        message: "points at é😀 \"x\" \(k)", expected: "0 0 5061 sip.edge.example.org.",
                                        location: SourceLocation(file: "zones/big.zone", line: k, column: 1), fix: "fix \(k)"))
            }
        }
        return CheckReport(description: "hosting.yaml", servers: ["zones/big.zone"], records: records, findings: findings, stopped: nil)
    }

    static let reports: [(String, CheckReport)] = [
        ("rich", richReport()), ("empty", emptyReport), ("large", largeReport()),
        ("live", { var r = richReport(); r.zoneFiles = []; r.stopped = nil; r.omitted = []; return r }()),
        // A string larger than the buffer goes to the sink on its own, between two chunks.
        ("huge string", CheckReport(description: "d", servers: [String(repeating: "x\"é", count: 40_000)], records: [],
                                    findings: [Finding(rule: "r", severity: .error, name: "n.", message: String(repeating: "a\u{1B}😀", count: 30_000))],
                                    stopped: nil)),
    ]

    @Test(arguments: 0..<reports.count)
    func jsonIsWhatJSONEncoderWrote(_ k: Int) {
        let (label, report) = Self.reports[k]
        let streamed = CheckRenderer.json(report)
        let reference = Reference.json(report)
        #expect(streamed == reference, "\(label): \(firstDifference(streamed, reference))")
    }

    @Test(arguments: 0..<reports.count)
    func sarifIsWhatJSONEncoderWrote(_ k: Int) {
        let (label, report) = Self.reports[k]
        let streamed = SARIFRenderer.findings(report.findings, version: "1.2.3", stopped: report.stopped, omitted: report.omitted)
        let reference = ReferenceSARIF.findings(report.findings, version: "1.2.3", stopped: report.stopped, omitted: report.omitted)
        #expect(streamed == reference, "\(label): \(firstDifference(streamed, reference))")
    }

    @Test(arguments: 0..<reports.count)
    func junitIsWhatTheStringRendererWrote(_ k: Int) {
        let (label, report) = Self.reports[k]
        let streamed = CheckRenderer.junit(report)
        let reference = Reference.junit(report)
        #expect(streamed == reference, "\(label): \(firstDifference(streamed, reference))")
    }

    /// The totals of `<testsuites>` are the sums over its suites (zones, names outside the plan,
    /// findings left out), with and without --strict: what CI shows agrees with the test cases.
    @Test(arguments: 0..<reports.count)
    func junitTotalsAreTheSumsOfItsSuites(_ k: Int) throws {
        let (label, report) = Self.reports[k]
        for strict in [false, true] {
            let lines = CheckRenderer.junit(report, strict: strict).split(separator: "\n")
            func count(_ attribute: String, _ line: Substring) -> Int {
                guard let r = line.range(of: " \(attribute)=\"") else { return 0 }
                return Int(line[r.upperBound...].prefix { $0.isNumber }) ?? -1
            }
            let top = try #require(lines.first { $0.hasPrefix("<testsuites ") }, "\(label)")
            let suites = lines.filter { $0.hasPrefix("  <testsuite ") }
            for attribute in ["tests", "failures", "errors"] {
                #expect(count(attribute, top) == suites.map { count(attribute, $0) }.reduce(0, +),
                        "\(label), strict \(strict): \(attribute) in \(top) against \(suites)")
            }
        }
    }

    /// A warning at no planned name (a zone's DNSKEY set): without --strict a test case that
    /// passes with the warning in <system-out>; with it, a failure. Never left out.
    @Test func warningsOutsideThePlanAreTestCases() {
        let warning = Finding(rule: "dnssec-signature-expiring", severity: .warning, name: "contoso.com.", type: "DNSKEY",
                              message: "the RRSIG over the zone's DNSKEY set expires soon", fix: "sign the zone again")
        let report = CheckReport(description: "d", servers: [], records: [], findings: [warning], stopped: nil)
        let lenient = CheckRenderer.junit(report)
        #expect(lenient.contains("tests=\"1\" failures=\"0\""), "\(lenient)")
        #expect(lenient.contains(" name=\"contoso.com. DNSKEY\">\n      <system-out>warning: [dnssec-signature-expiring] the RRSIG over the zone's DNSKEY set expires soon — fix: sign the zone again</system-out>"), "\(lenient)")
        #expect(lenient == Reference.junit(report))
        let strict = CheckRenderer.junit(report, strict: true)
        #expect(strict.contains("tests=\"1\" failures=\"1\"") && strict.contains("<failure type=\"dnssec-signature-expiring\" message=\"warning (--strict): "), "\(strict)")
    }

    static let problems = [
        Diagnostic("invalid record data: \"x\\y\" \u{1B}[2J é", at: SourceLocation(file: "z/" + hostile + ".zone", line: 6, column: 2),
                   suggestion: "compare the record with its RFC 1035 master-file form " + hostile),
        Diagnostic("no suggestion", at: SourceLocation(file: "/abs/z.zone", line: 0)),
        Diagnostic("no line", at: SourceLocation(file: "z.zone")),
    ]

    @Test func refusalDocumentsAreWhatTheOldRenderersWrote() {
        for limit in [0, 2, 100] {
            let files = ["z/a.zone", Self.hostile]
            let streamed = CheckRenderer.refusalJSON(Self.problems, shownLimit: limit, description: "d " + Self.hostile, files: files)
            let reference = Reference.refusalJSON(Self.problems, shownLimit: limit, description: "d " + Self.hostile, files: files)
            #expect(streamed == reference, "limit \(limit): \(firstDifference(streamed, reference))")
        }
        for problems in [Self.problems, []] {
            #expect(SARIFRenderer.problems(problems, version: "9") == ReferenceSARIF.problems(problems, version: "9"))
            #expect(CheckRenderer.refusalJUnit(problems) == Reference.refusalJUnit(problems))
        }
    }

    /// Every ASCII character, and non-ASCII ones JSONEncoder leaves alone, in a field that is
    /// not `Escape.text`ed (a server's name): escaped exactly as the encoder escapes.
    @Test func stringsAreEscapedAsJSONEncoderEscapes() {
        let every = String(String.UnicodeScalarView((0..<0x80).map { Unicode.Scalar(UInt8($0)) }))
            + "\u{80}\u{9F}\u{A0}é\u{2028}\u{2029}\u{200E}\u{FEFF}\u{FFFF}😀"
        let report = CheckReport(description: "d", servers: [every, "", "/", "\\/"], records: [], findings: [],
                                 stopped: every)
        #expect(CheckRenderer.json(report) == Reference.json(report))
        #expect(CheckRenderer.json(report).contains(#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e"#))
    }

    /// Strings are looked at eight bytes at a time: every ASCII character, and non-ASCII ones,
    /// at every place of a word, in fields JSON escapes (servers), in fields that are
    /// `Escape.text`ed first (a finding's observed), and in JUnit's XML.
    @Test func everyCharacterAtEveryPlaceOfAWord() {
        var strings: [String] = []
        for scalar in (0..<0x80).map({ Unicode.Scalar(UInt8($0)) }) + ["é", "\u{85}", "\u{2028}", "😀"] {
            for place in 0..<9 {
                var s = String(repeating: "a", count: place)
                s.unicodeScalars.append(scalar)
                strings.append(s + String(repeating: "b", count: 17 - place))
            }
        }
        // Errors about names outside the plan: JUnit lists them too.
        let findings = strings.map { Finding(rule: "r", severity: .error, name: "n.", message: $0, observed: $0, fix: $0) }
        let report = CheckReport(description: "d", servers: strings, records: [], findings: findings, stopped: nil)
        #expect(CheckRenderer.json(report) == Reference.json(report))
        #expect(CheckRenderer.junit(report) == Reference.junit(report))
        #expect(SARIFRenderer.findings(findings, version: "1") == ReferenceSARIF.findings(findings, version: "1"))
    }

    @Test func numbersAreWrittenAsJSONEncoderWritesThem() {
        for count in [0, 1, 9, 10, 99, 1_000_000, Int.max, -1, Int.min] {
            let report = CheckReport(description: "d", servers: [], records: [], findings: [], stopped: nil,
                                     omitted: [CheckReport.Omitted(rule: "r", severity: .error, count: count)])
            #expect(CheckRenderer.json(report) == Reference.json(report), "\(count)")
        }
    }

    /// `zone_files_read`: each file in order, `origin_line` only for `$ORIGIN`, nil fields
    /// absent, text escaped; absent from a live check's document.
    @Test func zoneFilesReadAreListed() throws {
        let json = CheckRenderer.json(Self.richReport())
        #expect(json.contains("""
              "zone_files_read" : [
                {
                  "file" : "zones/contoso.com.zone q\\"uote b\\\\ack s/lash <tag> & amp \\\\027[2J nul\\\\000 tab\\\\009 nl\\\\010 cr\\\\013 del\\\\127 c1\\\\133 é 😀 \\\\u{2028} \\\\u{202E}rtl",
                  "origin" : "contoso.com.",
                  "origin_from" : "$ORIGIN",
                  "origin_line" : 3,
                  "zone" : "contoso.com."
                },
                {
                  "file" : "db.fabrikam.com",
                  "origin" : "fabrikam.com.",
                  "origin_from" : "file name",
                  "zone" : "fabrikam.com."
                },
                {
                  "file" : "snippet.zone",
                  "origin" : "we\\"ird.\\\\027.",
                  "origin_from" : "--origin"
                },
                {
                  "file" : "absolute.zone",
                  "origin_from" : "absolute names"
                }
              ]
            }
            """), "\(json)")
        let document = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(json.utf8))
        #expect(document.zone_files_read?.map(\.origin_from) == ["$ORIGIN", "file name", "--origin", "absolute names"])
        #expect(!CheckRenderer.json(Self.reports[3].1).contains("zone_files_read"))
    }

    /// A document over the buffer's size reaches the sink in chunks of at most 64 KiB (plus
    /// the one string that crossed the edge), not in one piece at the end.
    @Test func largeDocumentsReachTheSinkInChunks() {
        final class Chunks: OutputSink {
            var sizes: [Int] = []
            var bytes: [UInt8] = []
            func write(_ chunk: UnsafeRawBufferPointer) {
                sizes.append(chunk.count)
                bytes.append(contentsOf: chunk)
            }
        }
        let report = Self.largeReport()
        for render in [{ CheckRenderer.json(report, to: $0) }, { CheckRenderer.junit(report, to: $0) },
                       { SARIFRenderer.findings(report.findings, version: "1", to: $0) }] as [(OutputSink) -> Void] {
            let sink = Chunks()
            render(sink)
            #expect(sink.sizes.count > 3, "\(sink.sizes)")
            #expect(sink.sizes.allSatisfy { $0 <= BufferedOutput.capacity + 1024 }, "\(sink.sizes)")
            #expect(String(validating: sink.bytes, as: UTF8.self) != nil)
        }
    }

    /// Where two texts first differ, for a readable failure.
    func firstDifference(_ a: String, _ b: String) -> String {
        let x = Array(a.utf8), y = Array(b.utf8)
        let i = (0..<min(x.count, y.count)).first { x[$0] != y[$0] } ?? min(x.count, y.count)
        let context = { (bytes: [UInt8]) in String(decoding: bytes[max(0, i - 80)..<min(bytes.count, i + 80)], as: UTF8.self) }
        return "differ at byte \(i) of \(x.count) / \(y.count):\n--- streamed\n\(context(x))\n--- reference\n\(context(y))"
    }
}
