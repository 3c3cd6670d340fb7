import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `dns check --zone-file` on zones signed by ldns-signzone: the RRSIGs over each planned RRset
/// are verified with the zone's own DNSKEYs (dnssec-bogus, dnssec-signature-expiring, and the
/// `dnssec` status of every record in JSON).
@Suite(.ownThread) struct ZoneSignatureTests {
    static let description = """
        version: 1
        sip_domains: [contoso.com]
        edge:
          access_edge: sip.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10]
        """
    static let zone = """
        $ORIGIN contoso.com.
        $TTL 3600
        @ SOA ns1 hostmaster 1 7200 3600 1209600 3600
        @ NS ns1
        ns1 A 192.0.2.53
        _sipfederationtls._tcp SRV 0 0 5061 sip
        sip A 131.107.155.10

        """

    /// YYYYMMDDhhmmss (UTC), as ldns-signzone -i and -e take it, `days` from now.
    static func stamp(days: Double) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: Date().addingTimeInterval(days * 86_400))
    }

    struct Checked {
        let output: Output
        let json: [String: Any]
        let file: String
        var findings: [[String: Any]] { json["findings"] as? [[String: Any]] ?? [] }
        var records: [[String: Any]] { json["records"] as? [[String: Any]] ?? [] }
        func dnssec(_ name: String) -> String? { records.first { $0["name"] as? String == name }?["dnssec"] as? String }
        func findings(_ rule: String) -> [[String: Any]] { findings.filter { $0["rule"] as? String == rule } }
        var summary: [String: Int]? { (json["summary"] as? [String: Any])?["dnssec"] as? [String: Int] }
    }

    /// Writes the zone and the description in `folder` and checks the zone file (JSON).
    func check(_ zoneText: String, in folder: URL, _ more: [String] = []) throws -> Checked {
        let file = folder.appendingPathComponent("contoso.com.zone").path
        try zoneText.write(toFile: file, atomically: true, encoding: .utf8)
        let yaml = folder.appendingPathComponent("fedplan.yaml").path
        try Self.description.write(toFile: yaml, atomically: true, encoding: .utf8)
        let output = try run(fedplanBinary, ["dns", "check", yaml, "--zone-file", file, "--format", "json"] + more)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
                                "\(output.stdout)\n\(output.stderr)")
        return Checked(output: output, json: json, file: file)
    }

    /// The line of the first line of `text` that contains every one of `words`.
    func line(of words: [String], in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { l in words.allSatisfy { l.contains($0) } }
            .map { $0 + 1 }
    }

    func withFolder<T>(_ body: (URL) throws -> T) throws -> T {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        return try body(folder)
    }

    @Test func correctlySignedIsSecureAndOK() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", expiration: "20370101000000")
            let c = try check(signed, in: folder)
            #expect(c.output.code == 0, "\(c.output.stdout)")
            #expect(c.findings.isEmpty, "\(c.findings)")
            #expect(c.dnssec("_sipfederationtls._tcp.contoso.com.") == "secure")
            #expect(c.dnssec("sip.contoso.com.") == "secure")
            #expect(c.summary == ["secure": 2, "insecure": 0, "bogus": 0, "indeterminate": 0])
            // Knot's checker accepts the same file.
            let knot = try run("kzonecheck", ["-o", "contoso.com", c.file])
            #expect(knot.code == 0, "\(knot.stdout)\(knot.stderr)")
            // The text summary has the DNSSEC counts; -q prints nothing, all being well.
            let yaml = folder.appendingPathComponent("fedplan.yaml").path
            let text = try run(fedplanBinary, ["dns", "check", yaml, "--zone-file", c.file])
            #expect(text.stdout.hasSuffix("\nDNSSEC: 2 secure, 0 insecure, 0 bogus, 0 indeterminate (of 2 planned records judged)\n2 records: 2 ok, 0 errors, 0 warnings, 0 notices, 0 unverified\n"),
                    "\(text.stdout)")
            let quiet = try run(fedplanBinary, ["dns", "check", yaml, "--zone-file", c.file, "--quiet"])
            #expect(quiet.code == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
        }
    }

    /// The case: RRSIGs that expired long ago. kzonecheck refuses the same file. The
    /// DNSKEY set's RRSIG expired too (one key signs everything): said once at the apex, with
    /// the date; the records point at it, as in a live check.
    @Test func expiredSignaturesAreBogusWithTheDate() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", inception: "20200101000000", expiration: "20200201000000")
            let c = try check(signed, in: folder)
            #expect(c.output.code == 1)
            let bogus = c.findings("dnssec-bogus")
            #expect(bogus.count == 3, "\(c.findings)")
            let apex = try #require(bogus.first { $0["type"] as? String == "DNSKEY" })
            #expect((apex["message"] as? String ?? "").contains("the RRSIG expired on 2020-02-01 00:00:00 UTC (signature expired)"), "\(apex)")
            let srv = try #require(bogus.first { $0["name"] as? String == "_sipfederationtls._tcp.contoso.com." })
            let message = srv["message"] as? String ?? ""
            #expect(message.contains("the zone's DNSKEY set (key tag "), "\(message)")
            #expect(srv["severity"] as? String == "error")
            let location = srv["location"] as? [String: Any]
            #expect(location?["file"] as? String == c.file)
            #expect(location?["line"] as? Int == line(of: ["_sipfederationtls", "\tSRV\t"], in: signed), "\(signed)")
            #expect(c.dnssec("_sipfederationtls._tcp.contoso.com.") == "bogus")
            #expect(c.dnssec("sip.contoso.com.") == "bogus")
            #expect(c.summary?["bogus"] == 2)
            let status = c.records.first { $0["name"] as? String == "sip.contoso.com." }?["status"] as? String
            #expect(status == "error")

            let knot = try run("kzonecheck", ["-o", "contoso.com", c.file])
            #expect(knot.code != 0)
            #expect((knot.stdout + knot.stderr).contains("no valid signature"), "\(knot.stdout)\(knot.stderr)")

            // The text report says why, at the line.
            let text = try run(fedplanBinary, ["dns", "check", folder.appendingPathComponent("fedplan.yaml").path, "--zone-file", c.file])
            #expect(text.code == 1)
            #expect(text.stdout.contains("[dnssec-bogus]"), "\(text.stdout)")
            #expect(text.stdout.contains("the RRSIG expired on 2020-02-01 00:00:00 UTC"))
            // Its summary counts the DNSSEC statuses as JSON's summary.dnssec does.
            #expect(text.stdout.contains("\nDNSSEC: 0 secure, 0 insecure, 2 bogus, 0 indeterminate (of 2 planned records judged)\n2 records: 0 ok, 3 errors"),
                    "\(text.stdout)")
        }
    }

    @Test func signaturesNotYetValidAreBogus() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", inception: "20350101000000", expiration: "20370101000000")
            let c = try check(signed, in: folder)
            #expect(c.output.code == 1)
            let messages = c.findings("dnssec-bogus").compactMap { $0["message"] as? String }
            #expect(messages.count == 3, "the two records and the key set at the apex")
            #expect(messages.filter { $0.contains("the RRSIG is not valid before 2035-01-01 00:00:00 UTC (signature not yet valid)") }.count == 1, "\(messages)")
        }
    }

    /// A signed zone (it has a DNSKEY) where one planned RRset lost its RRSIG.
    @Test func aMissingRRSIGInASignedZoneIsBogus() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", expiration: "20370101000000")
            let stripped = signed.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !($0.contains("\tRRSIG\t") && $0.contains("RRSIG\tSRV ")) }.joined(separator: "\n")
            #expect(stripped != signed)
            let c = try check(stripped, in: folder)
            #expect(c.output.code == 1)
            let bogus = c.findings("dnssec-bogus")
            #expect(bogus.map { $0["name"] as? String } == ["_sipfederationtls._tcp.contoso.com."], "\(c.findings)")
            let message: String = bogus.first?["message"] as? String ?? ""
            #expect(message.contains("no RRSIG covers the RRset, in a signed zone"), "\(message)")
            #expect(c.dnssec("_sipfederationtls._tcp.contoso.com.") == "bogus")
            #expect(c.dnssec("sip.contoso.com.") == "secure")
        }
    }

    /// Signed with a key whose DNSKEY is not in the zone (the zone publishes another key).
    @Test func aSignatureByAKeyNotInTheDNSKEYSetIsBogus() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", expiration: "20370101000000")
            let key = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", "contoso.com"], in: folder)
            let other = try String(contentsOf: folder.appendingPathComponent(
                key.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + ".key"), encoding: .utf8)
                .split(separator: "\n").first { $0.contains("DNSKEY") }
            let replacement = try #require(other)
            let swapped = signed.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.contains("\tDNSKEY\t") ? replacement : $0 }.joined(separator: "\n")
            let tag = try #require(signed.split(separator: "\n").first { $0.contains("RRSIG\tSRV ") }?
                .split(whereSeparator: { $0 == " " || $0 == "\t" })[10])
            let c = try check(swapped, in: folder)
            #expect(c.output.code == 1)
            let messages = c.findings("dnssec-bogus").compactMap { $0["message"] as? String }
            #expect(messages.count == 3, "the two records and the key set at the apex")
            #expect(messages.filter { $0.contains("no DNSKEY of the zone has the key tag \(tag) that the RRSIG names") }.count == 1, "\(messages)")
        }
    }

    /// RRSIGs that expire in 3 days: a warning with the default horizon (7 days), none with 1 day.
    @Test func signaturesExpiringWithinTheHorizonWarn() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", inception: Self.stamp(days: -1),
                                        expiration: Self.stamp(days: 3))
            let c = try check(signed, in: folder)
            #expect(c.output.code == 0, "warnings do not fail the check without --strict")
            let expiring = c.findings("dnssec-signature-expiring")
            #expect(expiring.count == 3, "the two records and the key set: \(c.findings)")
            #expect(expiring.allSatisfy { $0["severity"] as? String == "warning" })
            // The key set's comes first (it concerns the whole zone), then the records'.
            #expect(expiring.first?["type"] as? String == "DNSKEY", "\(expiring)")
            let record = expiring.first { $0["type"] as? String != "DNSKEY" }
            let message = record?["message"] as? String ?? ""
            #expect(message.contains("the RRSIG expires on ") && message.contains("within 7 days"), "\(message)")
            let location = record?["location"] as? [String: Any]
            #expect(location?["file"] as? String == c.file, "the warning points at the zone file")
            #expect(c.dnssec("sip.contoso.com.") == "secure")

            let shorter = try check(signed, in: folder, ["--signature-horizon", "1d"])
            #expect(shorter.findings.isEmpty, "\(shorter.findings)")
            #expect(shorter.output.code == 0)
            let strict = try check(signed, in: folder, ["--strict"])
            #expect(strict.output.code == 1)

            // The CI formats agree with the exit code. JUnit: with --strict the two records'
            // warnings fail their test cases; without, the test cases pass and carry the
            // warning in <system-out>.
            let yaml = folder.appendingPathComponent("fedplan.yaml").path
            func output(_ extra: [String]) throws -> Output {
                try run(fedplanBinary, ["dns", "check", yaml, "--zone-file", c.file] + extra)
            }
            let failing = try output(["--format", "junit", "--strict"])
            #expect(failing.code == 1)
            let failures = try XMLDocument(xmlString: failing.stdout).nodes(forXPath: "//testcase/failure[@type='dnssec-signature-expiring']")
            #expect(failures.count == 3, "the two records' and the key set's: \(failing.stdout)")
            // The totals count the key set's suite too (names outside the plan).
            #expect(failing.stdout.contains("<testsuites name=\"fedplan dns check\" tests=\"3\" failures=\"3\""), "\(failing.stdout)")
            #expect(failing.stdout.contains("message=\"warning (--strict): the RRSIG expires on "), "\(failing.stdout)")
            let passing = try output(["--format", "junit"])
            #expect(passing.code == 0)
            let xml = try XMLDocument(xmlString: passing.stdout)
            #expect(try xml.nodes(forXPath: "//testcase/failure").isEmpty, "\(passing.stdout)")
            // The two records' warnings, and the key set's under the names outside the plan.
            #expect(try xml.nodes(forXPath: "//testcase/system-out").count == 3, "\(passing.stdout)")
            #expect(passing.stdout.contains("<testsuites name=\"fedplan dns check\" tests=\"3\" failures=\"0\""), "\(passing.stdout)")
            #expect(passing.stdout.contains("<system-out>warning: [dnssec-signature-expiring] the RRSIG expires on "), "\(passing.stdout)")
            // GitHub: the warnings stay warnings; with --strict the closing line is an error
            // that says why the step fails.
            let github = try output(["--format", "github", "--strict"])
            #expect(github.code == 1)
            let lines = github.stdout.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 3, "\(github.stdout)")
            #expect(lines.last?.hasPrefix("::error title=fedplan dns check::2 records: ") == true
                    && lines.last?.contains(", 3 warnings, ") == true
                    && lines.last?.hasSuffix("--strict: the warnings fail the check") == true, "\(github.stdout)")
            let plain = try output(["--format", "github"])
            #expect(plain.code == 0 && plain.stdout.split(separator: "\n").last?.hasPrefix("::notice title=fedplan dns check::") == true,
                    "\(plain.stdout)")
        }
    }

    /// A horizon in hours is said in hours: with `--signature-horizon 12h`, RRSIGs that expire
    /// in 6 hours are "within 12 hours" (it said "within 0 days").
    @Test func aHorizonInHoursIsSaidInHours() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", inception: Self.stamp(days: -1),
                                        expiration: Self.stamp(days: 0.25))
            let c = try check(signed, in: folder, ["--signature-horizon", "12h"])
            let messages = c.findings("dnssec-signature-expiring").compactMap { $0["message"] as? String }
            #expect(messages.count == 3, "the two records and the key set: \(c.findings)")
            #expect(messages.allSatisfy { $0.contains("within 12 hours;") && !$0.contains("days") }, "\(messages)")
        }
    }

    @Test func anUnsignedZoneIsInsecureWithoutFindings() throws {
        try withFolder { folder in
            let c = try check(Self.zone, in: folder)
            #expect(c.output.code == 0)
            #expect(c.findings.isEmpty, "\(c.findings)")
            #expect(c.dnssec("_sipfederationtls._tcp.contoso.com.") == "insecure")
            #expect(c.dnssec("sip.contoso.com.") == "insecure")
            #expect(c.summary == ["secure": 0, "insecure": 2, "bogus": 0, "indeterminate": 0])
        }
    }

    /// A DNSKEY written after the records it signs: the records read before it are read again
    /// with their wire forms, and verify.
    @Test func aDNSKEYAfterTheRecordsStillVerifies() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", expiration: "20370101000000")
            let lines = signed.split(separator: "\n")
            let key = lines.filter { $0.contains("\tDNSKEY\t") }
            #expect(key.count == 1)
            let moved = (lines.filter { !$0.contains("\tDNSKEY\t") } + key).joined(separator: "\n") + "\n"
            let c = try check(moved, in: folder)
            #expect(c.output.code == 0, "\(c.findings)")
            #expect(c.dnssec("_sipfederationtls._tcp.contoso.com.") == "secure")
            #expect(c.dnssec("sip.contoso.com.") == "secure")
            // Read twice, not kept twice: no record looks written twice.
            #expect(c.findings("duplicate-record").isEmpty)
        }
    }

    /// `--no-dnssec` judges nothing in files either: no finding, no `dnssec` status.
    @Test func noDNSSECSkipsTheSignatures() throws {
        try withFolder { folder in
            let signed = try signedZone(Self.zone, origin: "contoso.com", inception: "20200101000000", expiration: "20200201000000")
            #expect(try check(signed, in: folder).findings("dnssec-bogus").count == 3)
            let c = try check(signed, in: folder, ["--no-dnssec"])
            #expect(c.output.code == 0, "\(c.findings)")
            #expect(c.findings.isEmpty)
            #expect(c.dnssec("sip.contoso.com.") == nil)
            #expect(c.summary == nil)
        }
    }

    @Test func aBadHorizonIsRefusedClearly() throws {
        for bad in ["7x", "-1d", "d", "1.5d", "99999999999999d", "3651d"] {
            let result = try fedplan("dns", "check", example("single-edge"), "--zone-file", "x.zone", "--signature-horizon=\(bad)")
            #expect(result.code == 2, "\(bad): \(result.stderr)")
            let why = bad.hasSuffix("99d") || bad == "3651d" ? "at most 3650 days (10 years), found '\(bad)'"
                : "expected days (7d), hours (12h) or seconds (3600), found '\(bad)'"
            #expect(result.stderr.contains("--signature-horizon: \(why)"), "\(bad): \(result.stderr)")
        }
    }
}
