import Foundation
import Testing

/// `dns check --zone-file` judges each zone's DNSKEY set once, at its apex, as a live check does
/// (docs/dnssec.md, docs/zone-files.md): its RRSIG expired, missing or expiring soon, RRSIGs
/// without a DNSKEY, more keys than are read, keys without any signature. Zones are signed by
/// ldns-signzone with a key-signing key (it alone signs the DNSKEY set) and a zone-signing key.
@Suite(.ownThread) struct ZoneKeySetTests {
    /// The same one-record-set plan and zone as the record signatures' tests.
    static let description = ZoneSignatureTests.description
    static let zone = ZoneSignatureTests.zone
    static let srv = "_sipfederationtls._tcp.contoso.com."
    static let sip = "sip.contoso.com."

    /// Two keys made once per signer, and zones signed with them at chosen dates.
    struct Signer {
        let folder: URL
        let ksk: String, zsk: String
        var kskTag: String { String(ksk.split(separator: "+").last!) }

        init() throws {
            folder = try temporaryFolder()
            let k = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", "contoso.com"], in: folder)
            let z = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "contoso.com"], in: folder)
            guard k.code == 0, z.code == 0 else { throw ToolFailed(tool: "ldns-keygen", stderr: k.stderr + z.stderr) }
            ksk = k.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            zsk = z.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// `text` signed with both keys, RRSIGs from `inception` to `expiration` (YYYYMMDDhhmmss).
        func sign(_ text: String = ZoneKeySetTests.zone, inception: String = ZoneSignatureTests.stamp(days: -1),
                  expiration: String = "20370101000000") throws -> String {
            try text.write(to: folder.appendingPathComponent("zone"), atomically: true, encoding: .utf8)
            let sign = try run("ldns-signzone", ["-i", inception, "-e", expiration, "-o", "contoso.com", "zone", ksk, zsk], in: folder)
            guard sign.code == 0 else { throw ToolFailed(tool: "ldns-signzone", stderr: sign.stderr) }
            return try String(contentsOf: folder.appendingPathComponent("zone.signed"), encoding: .utf8)
        }

        func keyFile(_ name: String) -> String { folder.appendingPathComponent(name + ".key").path }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    static func lines(_ zone: String) -> [String] { zone.split(separator: "\n").map(String.init) }
    static func isKeySetSignature(_ line: String) -> Bool { line.contains("\tRRSIG\tDNSKEY ") }

    /// The zone with its RRSIG over the DNSKEY set replaced by `other`'s, written at the end
    /// of the file (after the records, as an edit by hand leaves it).
    static func withKeySetSignature(of other: String, in zone: String) -> String {
        let replacement = lines(other).filter(isKeySetSignature)
        return (lines(zone).filter { !isKeySetSignature($0) } + replacement).joined(separator: "\n") + "\n"
    }

    func check(_ zoneText: String, _ more: [String] = [], description: String = Self.description) throws -> ZoneSignatureTests.Checked {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("contoso.com.zone").path
        try zoneText.write(toFile: file, atomically: true, encoding: .utf8)
        let yaml = folder.appendingPathComponent("fedplan.yaml").path
        try description.write(toFile: yaml, atomically: true, encoding: .utf8)
        let output = try run(fedplanBinary, ["dns", "check", yaml, "--zone-file", file, "--format", "json"] + more)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any],
                                "\(output.stdout)\n\(output.stderr)")
        return ZoneSignatureTests.Checked(output: output, json: json, file: file)
    }

    /// The one finding at the apex's DNSKEY (name = apex, type DNSKEY).
    func apex(_ c: ZoneSignatureTests.Checked, _ rule: String) -> [String: Any]? {
        let found = c.findings(rule).filter { $0["name"] as? String == "contoso.com." && $0["type"] as? String == "DNSKEY" }
        #expect(found.count <= 1, "\(found)")
        return found.first
    }

    func line(_ f: [String: Any]?) -> Int? { (f?["location"] as? [String: Any])?["line"] as? Int }

    /// The line (1-based) of the first line of `zone` that contains `text`.
    func lineNumber(of text: String, in zone: String) -> Int? {
        zone.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) }.map { $0 + 1 }
    }

    func kzonecheck(_ zone: String) throws -> Output {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("contoso.com.zone").path
        try zone.write(toFile: file, atomically: true, encoding: .utf8)
        return try run("kzonecheck", ["-o", "contoso.com", "-d", "on", file])
    }

    @Test func aZoneSignedWithTwoKeysIsSecure() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let c = try check(try signer.sign())
        #expect(c.output.code == 0, "\(c.findings)")
        #expect(c.findings.isEmpty, "\(c.findings)")
        #expect(c.dnssec(Self.srv) == "secure" && c.dnssec(Self.sip) == "secure")
    }

    /// The trial's kskexpired.zone: every RRset validly signed, the DNSKEY set's RRSIG expired
    /// in 2020. kzonecheck refuses it; validators see nothing in the zone.
    @Test func anExpiredRRSIGOverTheKeySetIsBogusAtTheApex() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let good = try signer.sign()
        let old = try signer.sign(inception: "20200101000000", expiration: "20200201000000")
        let zone = Self.withKeySetSignature(of: old, in: good)
        let c = try check(zone)
        #expect(c.output.code == 1, "\(c.output.stdout)")
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        let message = finding["message"] as? String ?? ""
        #expect(message.contains("the zone's DNSKEY set (its RRSIG by key tag \(Int(signer.kskTag)!)) fails: the RRSIG expired on 2020-02-01 00:00:00 UTC (signature expired)"),
                "\(message)")
        #expect(line(finding) == lineNumber(of: "\tDNSKEY\t", in: zone), "at the apex's DNSKEY")
        #expect((finding["fix"] as? String)?.contains("sign the zone again") == true)
        // The records under it are bogus too, and say why in one place.
        #expect(c.dnssec(Self.srv) == "bogus" && c.dnssec(Self.sip) == "bogus")
        let records = c.findings("dnssec-bogus").filter { $0["type"] as? String != "DNSKEY" }
        #expect(records.count == 2)
        #expect(records.allSatisfy { ($0["message"] as? String ?? "").contains("the zone's DNSKEY set (key tag ") }, "\(records)")
        #expect(try kzonecheck(zone).code != 0)
    }

    @Test func noRRSIGOverTheKeySetIsBogusAtTheApex() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let zone = Self.lines(try signer.sign()).filter { !Self.isKeySetSignature($0) }.joined(separator: "\n") + "\n"
        let c = try check(zone)
        #expect(c.output.code == 1)
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("the zone's DNSKEY set has no RRSIG") == true, "\(finding)")
        let fix = finding["fix"] as? String ?? ""
        #expect(fix.contains("its DNSKEY set has an RRSIG") && !fix.contains("DS"), "a zone file's fix: \(fix)")
        #expect(c.dnssec(Self.sip) == "bogus")
        #expect(try kzonecheck(zone).code != 0)
    }

    /// The trial's kskexp10h.zone: the DNSKEY set's RRSIG expires in 10 hours, the records' in 2037.
    @Test func aKeySetRRSIGExpiringSoonWarnsAtTheApex() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let soon = try signer.sign(expiration: ZoneSignatureTests.stamp(days: 10.0 / 24))
        let zone = Self.withKeySetSignature(of: soon, in: try signer.sign())
        let c = try check(zone)
        #expect(c.output.code == 0, "a warning")
        let finding = try #require(apex(c, "dnssec-signature-expiring"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("the RRSIG over the zone's DNSKEY set expires on ") == true)
        #expect(line(finding) == lineNumber(of: "\tDNSKEY\t", in: zone))
        #expect(c.findings.count == 1, "only the key set expires soon: \(c.findings)")
        #expect(c.dnssec(Self.sip) == "secure")
        #expect(try check(zone, ["--signature-horizon", "1h"]).findings.isEmpty)
        // docs/zone-files.md: 0 turns the warning off; units in either case.
        #expect(try check(zone, ["--signature-horizon", "0"]).findings.isEmpty)
        #expect(try check(zone, ["--signature-horizon", "1D"]).findings("dnssec-signature-expiring").count == 1)
    }

    /// The trial's many-dnskey.zone: keys added after signing, more than the 16 read.
    @Test func moreKeysThanAreReadIsBogusAndSaysTheLimit() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let zone = try signer.sign()
        let key = try #require(Self.lines(zone).first { $0.contains("\tDNSKEY\t257 ") })
        let more = (1...20).map { key.replacingOccurrences(of: "\tDNSKEY\t257 3 13 ", with: "\tDNSKEY\t\(256 + $0 * 2) 3 13 ") }
        let c = try check(zone + more.joined(separator: "\n") + "\n")
        #expect(c.output.code == 1)
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("the zone's DNSKEY set has 22 keys, more than the 16 fedplan reads") == true,
                "\(finding)")
        #expect(c.dnssec(Self.srv) == "bogus" && c.dnssec(Self.sip) == "bogus")
    }

    /// The trial's nokey.zone: the DNSKEYs deleted, the RRSIGs left. kzonecheck refuses it;
    /// fedplan says dnssec-bogus at the apex (docs/zone-files.md says why).
    @Test func signaturesWithoutKeysAreBogusAtTheApex() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let signed = try signer.sign()
        let zone = Self.lines(signed).filter { !$0.contains("\tDNSKEY\t") }.joined(separator: "\n") + "\n"
        let c = try check(zone)
        #expect(c.output.code == 1, "\(c.output.stdout)")
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        let message = finding["message"] as? String ?? ""
        #expect(message.contains("the zone is signed (its RRSIGs name key tag ") && message.contains("but publishes no DNSKEY at its apex"),
                "\(message)")
        #expect(line(finding) == lineNumber(of: "\tRRSIG\tDNSKEY ", in: zone), "at the RRSIG over the lost keys")
        #expect(c.dnssec(Self.srv) == "bogus" && c.dnssec(Self.sip) == "bogus")
        #expect(try kzonecheck(zone).code != 0)
        // A truly unsigned zone stays insecure and quiet.
        let unsigned = try check(Self.zone)
        #expect(unsigned.findings.isEmpty && unsigned.dnssec(Self.sip) == "insecure")
    }

    /// The trial's src-with-keys.zone: the unsigned source that `$INCLUDE`s its key files.
    @Test func keysWithoutAnySignatureSayToCheckTheSignedFile() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let source = Self.zone + "$INCLUDE \(signer.keyFile(signer.ksk))\n$INCLUDE \(signer.keyFile(signer.zsk))\n"
        let c = try check(source)
        #expect(c.output.code == 1)
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("the zone publishes DNSKEYs and carries no RRSIG at all") == true, "\(finding)")
        #expect((finding["fix"] as? String)?.contains("--no-dnssec") == true)
        let quiet = try check(source, ["--no-dnssec"])
        #expect(quiet.output.code == 0 && quiet.findings.isEmpty, "\(quiet.findings)")
    }

    /// A planned record at the apex: the RRSIG over the DNSKEY set is among the apex's kept
    /// records, and is judged all the same.
    @Test func theKeySetIsJudgedWhenTheApexIsPlanned() throws {
        let signer = try Signer()
        defer { signer.remove() }
        let atApex = Self.zone.replacingOccurrences(of: "sip A 131.107.155.10", with: "@ A 131.107.155.10")
            .replacingOccurrences(of: "SRV 0 0 5061 sip", with: "SRV 0 0 5061 contoso.com.")
        let description = Self.description.replacingOccurrences(of: "access_edge: sip.contoso.com", with: "access_edge: contoso.com")
        let good = try signer.sign(atApex)
        #expect(try check(good, description: description).findings.isEmpty)
        let old = try signer.sign(atApex, inception: "20200101000000", expiration: "20200201000000")
        let c = try check(Self.withKeySetSignature(of: old, in: good), description: description)
        let finding = try #require(apex(c, "dnssec-bogus"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("the RRSIG expired on 2020-02-01 00:00:00 UTC") == true, "\(finding)")
        #expect(c.dnssec("contoso.com.") == "bogus")
    }
}

/// The trial's zone files on the one verifier: far-future expirations, an unsupported
/// algorithm, and reasons and fixes that fit a zone file.
@Suite(.ownThread) struct ZoneSignatureReasonTests {
    let keySets = ZoneKeySetTests()

    /// far2038b.zone (`-e 20380201`) and far2090.zone: secure, as kzonecheck and
    /// named-checkzone say; they were "expiration date earlier than inception date".
    @Test(arguments: ["20380201000000", "20900101000000"])
    func expirationsAfter2038AreSecure(expiration: String) throws {
        let signer = try ZoneKeySetTests.Signer()
        defer { signer.remove() }
        let zone = try signer.sign(expiration: expiration)
        let c = try keySets.check(zone)
        #expect(c.output.code == 0 && c.findings.isEmpty, "\(c.findings)")
        #expect(c.dnssec(ZoneKeySetTests.srv) == "secure" && c.dnssec(ZoneKeySetTests.sip) == "secure")
        #expect(try keySets.kzonecheck(zone).code == 0)
    }

    /// The retrial's dnskeysig253.zone: the keys are of algorithm 13, the DNSKEY set's RRSIG is
    /// relabelled 253. Validators find no key for it ("broken trust chain"), kzonecheck refuses
    /// it: bogus at the apex, every record with it; not an unsigned zone.
    @Test func aKeySetRRSIGOfAnotherAlgorithmIsBogus() throws {
        let signer = try ZoneKeySetTests.Signer()
        defer { signer.remove() }
        let zone = ZoneKeySetTests.lines(try signer.sign()).map { line -> String in
            guard ZoneKeySetTests.isKeySetSignature(line) else { return line }
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            var data = fields[4].split(separator: " ").map(String.init)
            data[1] = "253"
            fields[4] = data.joined(separator: " ")
            return fields.joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
        #expect(zone.contains("\tRRSIG\tDNSKEY 253 "))
        let c = try keySets.check(zone)
        #expect(c.output.code == 1, "\(c.output.stdout)")
        let finding = try #require(keySets.apex(c, "dnssec-bogus"), "\(c.findings)")
        #expect((finding["message"] as? String)?.contains("none of algorithm 253 is published") == true, "\(finding)")
        #expect(c.dnssec(ZoneKeySetTests.srv) == "bogus" && c.dnssec(ZoneKeySetTests.sip) == "bogus")
        #expect(try keySets.kzonecheck(zone).code != 0)
    }

    /// alg253.zone: every key and RRSIG of algorithm 253 (private), which ldns does not
    /// support: insecure, as live (RFC 4035 §5.2, RFC 6840 §5.2), not five dnssec-bogus.
    @Test func anUnsupportedAlgorithmIsInsecure() throws {
        let signer = try ZoneKeySetTests.Signer()
        defer { signer.remove() }
        let zone = try signer.sign().split(separator: "\n").map { line -> String in
            var fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { return String(line) }
            var data = fields[4].split(separator: " ").map(String.init)
            if fields[3] == "DNSKEY", data.count > 2 { data[2] = "253" }
            if fields[3] == "RRSIG", data.count > 1 { data[1] = "253" }
            fields[4] = data.joined(separator: " ")
            return fields.joined(separator: "\t")
        }.joined(separator: "\n") + "\n"
        #expect(zone.contains("\tDNSKEY\t257 3 253 "))
        let c = try keySets.check(zone)
        #expect(c.output.code == 0 && c.findings.isEmpty, "\(c.findings)")
        #expect(c.dnssec(ZoneKeySetTests.srv) == "insecure" && c.dnssec(ZoneKeySetTests.sip) == "insecure")
    }

    /// A zone file's findings are fixed in the file: no DS, trust anchor or resolver log in
    /// their fixes (short-sig.zone said "find what the resolver's validator says").
    @Test func zoneFileFixesTalkAboutTheZone() throws {
        let signer = try ZoneKeySetTests.Signer()
        defer { signer.remove() }
        let signed = try signer.sign()
        var cases: [String: String] = [:]
        // A cut signature, a wrong signer name, a key tag no key has, a missing RRSIG.
        cases["short"] = signed.split(separator: "\n").map { line -> String in
            guard line.contains("\tRRSIG\tA ") && line.hasPrefix("sip.") else { return String(line) }
            var parts = line.split(separator: " ").map(String.init)
            parts[parts.count - 1] = "AA=="
            return parts.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
        cases["signer"] = signed.split(separator: "\n").map { line -> String in
            guard line.contains("\tRRSIG\tA ") && line.hasPrefix("sip.") else { return String(line) }
            return line.replacingOccurrences(of: " contoso.com. ", with: " fabrikam.com. ")
        }.joined(separator: "\n") + "\n"
        cases["missing"] = signed.split(separator: "\n").filter { !($0.contains("\tRRSIG\tA ") && $0.hasPrefix("sip.")) }
            .joined(separator: "\n") + "\n"
        for (name, zone) in cases {
            let c = try keySets.check(zone)
            let bogus = c.findings("dnssec-bogus")
            #expect(bogus.count == 1 && bogus[0]["name"] as? String == ZoneKeySetTests.sip, "\(name): \(c.findings)")
            let fix = bogus.first?["fix"] as? String ?? ""
            let message = bogus.first?["message"] as? String ?? ""
            #expect(!fix.contains("DS") && !fix.contains("trust anchor") && !fix.contains("val-log-level"), "\(name): \(fix)")
            #expect(!message.contains("memory") && !message.contains("SSL"), "\(name): \(message)")
            switch name {
            case "short": #expect(message.contains("the RRSIG's signature is malformed (1 bytes for algorithm 13"), "\(message)")
            case "signer": #expect(message.contains("the RRSIG names the signer fabrikam.com., but the zone's DNSKEY with key tag "), "\(message)")
            default: #expect(fix == "sign the zone again so that every RRset has its RRSIG", "\(fix)")
            }
        }
    }
}
