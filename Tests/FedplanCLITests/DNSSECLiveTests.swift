import FedplanCore
import Foundation
import Testing

/// DNSSEC on live checks (docs/dnssec.md): zones signed by ldns-signzone, served by one NSD,
/// asked directly with `--trust-anchor` (fedplan validates the chain itself) and through an
/// Unbound that validates with a trust anchor for the zones, `ede: yes` (the resolver's
/// SERVFAIL is asked again with CD set). One server set for the suite.
@Suite(.serialized) struct DNSSECLiveTests {
    /// The planned records of every zone here: the SRV record and the Access Edge's address.
    static let records = "_sipfederationtls._tcp IN SRV 0 0 5061 sip.D.\nsip IN A 131.107.155.10"

    /// One zone of the suite: its name, how it is signed, and what the check must say.
    struct Zone: Sendable {
        let name: String
        /// Days from now of the signatures' inception and expiration; nil: unsigned.
        let validity: (inception: Int, expiration: Int)?
        /// The trust anchor names a key the zone does not have.
        var wrongDS = false
        /// The SRV record's RRSIG is taken out after signing.
        var dropSRVSignature = false
        /// NSD does not serve it (it refuses the questions), while Unbound's stub points there.
        var served = true
        /// The zone's records instead of `records` (D: the domain).
        var zone = DNSSECLiveTests.records
        var nsec3 = false
        var dropNSECSignatures = false
        /// How its keys are made: one key for everything, a ZSK rollover (two ZSKs, one signing
        /// for 3 days, the other for 30), or a KSK and a ZSK with the ZSK's DS as the anchor.
        var keys: Keys = .one
        enum Keys: Sendable { case one, rollover, zskDS }

        init(name: String, validity: (inception: Int, expiration: Int)?, wrongDS: Bool = false,
             dropSRVSignature: Bool = false, served: Bool = true, zone: String = DNSSECLiveTests.records, nsec3: Bool = false,
             dropNSECSignatures: Bool = false, keys: Keys = .one) {
            self.dropNSECSignatures = dropNSECSignatures
            self.keys = keys
            self.name = name
            self.validity = validity
            self.wrongDS = wrongDS
            self.dropSRVSignature = dropSRVSignature
            self.served = served
            self.zone = zone
            self.nsec3 = nsec3
        }

        var scenario: Scenario { Scenario(name: name, zone: zone, expected: []) }
    }

    static let zones: [Zone] = [
        Zone(name: "signed", validity: (-1, 30)),
        Zone(name: "expired", validity: (-40, -10)),
        Zone(name: "future", validity: (10, 40)),
        Zone(name: "wrongds", validity: (-1, 30), wrongDS: true),
        Zone(name: "nosig", validity: (-1, 30), dropSRVSignature: true),
        Zone(name: "soon", validity: (-20, 3)),
        Zone(name: "plain", validity: nil),
        Zone(name: "lost", validity: nil, served: false),
        // The SRV record is missing: the signed denial (NSEC, NSEC3) must verify.
        Zone(name: "gone", validity: (-1, 30), zone: "sip IN A 131.107.155.10"),
        Zone(name: "gone3", validity: (-1, 30), zone: "sip IN A 131.107.155.10", nsec3: true),
        // The same with the NSEC records' signatures taken out: the denial proves nothing.
        Zone(name: "gonenosig", validity: (-1, 30), zone: "sip IN A 131.107.155.10", dropNSECSignatures: true),
        Zone(name: "rollover", validity: (-1, 30), keys: .rollover),
        Zone(name: "zskds", validity: (-1, 30), keys: .zskDS),
    ]

    /// The servers and files every test of the suite shares, made once.
    final class Setup: @unchecked Sendable {
        let folder: URL
        let nsd: NSDServer
        let unbound: UnboundServer

        init() throws {
            folder = try temporaryFolder()
            var served: [String: String] = [:]
            var anchors = ""
            for zone in DNSSECLiveTests.zones {
                let s = zone.scenario
                try s.description.write(to: folder.appendingPathComponent("\(zone.name).yaml"), atomically: true, encoding: .utf8)
                guard zone.served else { continue }
                guard let validity = zone.validity else {
                    served[s.domain] = s.zoneText
                    continue
                }
                if zone.keys != .one {
                    let made = try signZoneKeys(s.zoneText, origin: s.domain, rollover: zone.keys == .rollover)
                    served[s.domain] = made.zone
                    anchors += made.anchors + "\n"
                    continue
                }
                let signed = try signZone(s.zoneText, origin: s.domain, inception: validity.inception,
                                          expiration: validity.expiration, nsec3: zone.nsec3)
                var text = signed.zone
                if zone.dropSRVSignature {
                    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                    text = lines.filter { !($0.hasPrefix("_sipfederationtls._tcp.") && $0.contains("RRSIG\tSRV")) }
                        .joined(separator: "\n")
                    #expect(text.count < signed.zone.count, "no RRSIG over the SRV record was taken out")
                }
                if zone.dropNSECSignatures {
                    text = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("RRSIG\tNSEC") }
                        .joined(separator: "\n")
                    #expect(text.count < signed.zone.count, "no RRSIG over an NSEC record was taken out")
                }
                served[s.domain] = text
                // Each zone's DNSKEY too, as a trust anchor of the other form.
                try signed.key.write(to: folder.appendingPathComponent("\(zone.name).key"), atomically: true, encoding: .utf8)
                anchors += zone.wrongDS ? try signZone(s.zoneText, origin: s.domain, inception: -1, expiration: 30).ds : signed.ds
                anchors += "\n"
            }
            try anchors.write(to: folder.appendingPathComponent("anchors.ds"), atomically: true, encoding: .utf8)
            nsd = try NSDServer(zones: served)
            do {
                unbound = try UnboundServer(stubZones: DNSSECLiveTests.zones.map(\.scenario.domain), to: nsd, options: [
                    "module-config: \"validator iterator\"", "trust-anchor-file: \"\(folder.path)/anchors.ds\"", "ede: yes",
                    "val-log-level: 2",
                ])
            } catch {
                nsd.stop()
                throw error
            }
        }

        deinit {
            unbound.stop()
            nsd.stop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    let setup: Setup

    /// Every case against one server set: started once, stopped at the end.
    @Test static func everyCase() throws {
        let suite = DNSSECLiveTests(setup: try Setup())
        try suite.expiredThroughAValidatingResolverIsBogusWithTheEDE()
        try suite.signedThroughAValidatingResolverIsSecure()
        try suite.expiredAtTheServerIsBogusWithTheDate()
        try suite.notYetValidAtTheServerIsBogus()
        try suite.aDSMatchingNoKeyIsBogus()
        try suite.aMissingSignatureIsBogusForThatRRsetOnly()
        try suite.aCorrectlySignedZoneStaysOK()
        try suite.signaturesExpiringWithinAWeekAreAWarning()
        try suite.anUnsignedZoneIsInsecureForOneQuestionPerZone()
        try suite.withoutAnAnchorAtTheZoneTheChainIsNotFollowed()
        try suite.aTrustAnchorFileThatIsNotOneIsRefusedWithItsLine()
        try suite.aSERVFAILThatCDDoesNotChangeIsAFailedQuery()
        try suite.aMissingRecordsSignedDenialIsSecure()
        try suite.aRolloverIsValidUntilItsLatestSignature()
        try suite.aDSOfTheZoneSigningKeyBlamesTheKeySet()
        try suite.trustAnchorsOfSeveralFilesAreMerged()
        try suite.anAnchorOfAnUnsupportedDigestIsInsecure()
        try suite.withoutValidationADNSSECFailureIsSaidToBeOne()
    }

    /// A ZSK rollover, double-signed: one signature expires in 3 days, the other in 30. The
    /// RRsets stay valid until the later one: no dnssec-signature-expiring.
    func aRolloverIsValidUntilItsLatestSignature() throws {
        let (code, report, output) = try direct("rollover")
        #expect(code == 0, "\(output)")
        #expect(report.findings.isEmpty, "\(output)")
        #expect(report.records.allSatisfy { $0.dnssec == .secure }, "\(report.records)")
    }

    /// The anchor is the DS of the zone-signing key, which does not sign the DNSKEY set: the
    /// key set is blamed once, at the apex, with the key-signing key to name instead.
    func aDSOfTheZoneSigningKeyBlamesTheKeySet() throws {
        let (code, report, output) = try direct("zskds")
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        let apex = found.filter { $0.name == "zskds.test." && $0.type == "DNSKEY" }
        #expect(found.count == 3 && apex.count == 1, "\(output)")
        #expect(apex.first?.message.contains("which is in the zone's DNSKEY set but does not sign it") == true, "\(output)")
        #expect(apex.first?.fix?.contains("the key-signing key that signs the DNSKEY set, key tag") == true, "\(output)")
        for f in found where f.type != "DNSKEY" {
            #expect(f.message.contains("the zone's DNSKEY set (key tag ") && f.message.contains("does not validate"), "\(f.message)")
        }
    }

    /// `--trust-anchor` twice: both files count (the zone's key after the root's: the zone's is kept).
    func trustAnchorsOfSeveralFilesAreMerged() throws {
        try ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
            .write(to: setup.folder.appendingPathComponent("root2.key"), atomically: true, encoding: .utf8)
        let both = try check("signed", ["--resolver", setup.nsd.address, "--trust-anchor", "signed.key", "--trust-anchor", "root2.key"])
        #expect(both.code == 0 && both.report.records.allSatisfy { $0.dnssec == .secure }, "\(both.output)")
    }

    /// An anchor whose only DS has a digest type ldns does not support: the zone is insecure
    /// (RFC 4035 §5.2), not bogus.
    func anAnchorOfAnUnsupportedDigestIsInsecure() throws {
        try "signed.test. 3600 IN DS 1 13 99 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
            .write(to: setup.folder.appendingPathComponent("digest99.ds"), atomically: true, encoding: .utf8)
        let result = try check("signed", ["--resolver", setup.nsd.address, "--trust-anchor", "digest99.ds"])
        #expect(result.code == 0 && result.report.findings.isEmpty, "\(result.output)")
        #expect(result.report.records.allSatisfy { $0.dnssec == .insecure }, "\(result.report.records)")
        let said = try run(fedplanBinary, ["dns", "check", "signed.yaml", "--resolver", setup.nsd.address, "--trust-anchor", "digest99.ds",
                                           "--retries", "0"], in: setup.folder)
        #expect(said.code == 0 && said.stderr.contains("note: the trust anchor for signed.test. has no DS or DNSKEY of a digest type and algorithm ldns supports"),
                "\(said.stderr)")
    }

    /// `--no-dnssec` through the validating resolver: the SERVFAIL carries a DNSSEC EDE (7, or 6
    /// from its cache), so the fix
    /// says DNSSEC, not "firewall, forwarder".
    func withoutValidationADNSSECFailureIsSaidToBeOne() throws {
        let (code, report, output) = try check("expired", ["--resolver", setup.unbound.address, "--no-dnssec"])
        #expect(code == 3, "\(output)")
        let failed = report.findings.filter { $0.rule == "query-failed" }
        #expect(failed.count == 2, "\(output)")
        for f in failed {
            #expect(f.fix?.contains("DNSSEC validation fails (Extended DNS Error ") == true && f.fix?.contains("firewall") == false,
                    "\(f.fix ?? "")")
        }
    }

    /// `--authoritative`: the zone's own server (found through a resolver that does not
    /// validate) is asked directly, and its expired signatures are bogus there, from the
    /// anchor given; through the resolver alone nothing is judged but its (missing) AD bit.
    func aMissingRecordsSignedDenialIsSecure() throws {
        for zone in ["gone", "gone3"] {
            let (code, report, output) = try direct(zone)
            #expect(code == 1, "\(output)")
            #expect(report.findings.map(\.rule) == ["record-missing"], "\(zone): \(output)")
            #expect(report.records.allSatisfy { $0.dnssec == .secure }, "\(zone): \(report.records)")
        }
        let (code, report, output) = try direct("gonenosig")
        #expect(code == 1, "\(output)")
        #expect(Set(report.findings.map(\.rule)) == ["record-missing", "dnssec-bogus"], "\(output)")
        #expect(report.records.first { $0.type == "SRV" }?.dnssec == .bogus && report.records.first { $0.type == "A" }?.dnssec == .secure,
                "\(report.records)")
        // fedplan's own validation found it: no resolver's log to read.
        let fix = Self.bogus(report).first?.fix ?? ""
        #expect(!fix.contains("val-log-level") && fix.hasPrefix("sign the zone again"), "\(fix)")
    }

    @Test static func authoritativeChecksValidateAtTheZonesServer() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = """
            $ORIGIN authsec.test.
            $TTL 3600
            @ IN SOA ns1 hostmaster 2026112101 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 127.0.0.41
            \(records.replacingOccurrences(of: "D", with: "authsec.test"))
            """
        let signed = try signZone(text, origin: "authsec.test", inception: -40, expiration: -10)
        try signed.ds.write(to: folder.appendingPathComponent("anchor.ds"), atomically: true, encoding: .utf8)
        try Scenario(name: "authsec", zone: records, expected: []).description
            .write(to: folder.appendingPathComponent("authsec.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: ["authsec.test": signed.zone], listen: ["127.0.0.41"], port: 53)
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: ["authsec.test"], to: nsd)
        defer { unbound.stop() }
        let (code, doc, output) = try checkJSON(["authsec.yaml", "--resolver", unbound.address, "--authoritative",
                                                 "--trust-anchor", "anchor.ds"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1, "\(output)")
        #expect(report.servers == ["127.0.0.41"])
        let found = report.findings.filter { $0.rule == "dnssec-bogus" }
        // The DNSKEY set expired too: said once at the apex, the records point at it.
        #expect(found.count == 3 && found.allSatisfy { $0.server == "127.0.0.41" }, "\(output)")
        #expect(found.filter { $0.type == "DNSKEY" && $0.name == "authsec.test." && $0.message.contains("(signature expired)") }.count == 1,
                "\(output)")
        #expect(found.filter { $0.message.contains("the zone's DNSKEY set (key tag ") }.count == 2, "\(output)")
        #expect(report.records.allSatisfy { $0.dnssec == .bogus })
        let cached = try checkJSON(["authsec.yaml", "--resolver", unbound.address, "--trust-anchor", "anchor.ds"], in: folder)
        #expect(cached.0 == 0 && cached.1?.records.allSatisfy { $0.dnssec == .indeterminate } == true, "\(cached.2)")
    }

    /// `dns check --format json` of one zone's description.
    func check(_ zone: String, _ arguments: [String]) throws -> (code: Int32, report: CheckRenderer.Document, output: String) {
        let (code, doc, output) = try checkJSON(["\(zone).yaml", "--timeout", "2", "--retries", "0"] + arguments, in: setup.folder)
        return (code, try #require(doc, "\(zone): \(output)"), output)
    }

    func direct(_ zone: String) throws -> (code: Int32, report: CheckRenderer.Document, output: String) {
        try check(zone, ["--resolver", setup.nsd.address, "--trust-anchor", "anchors.ds"])
    }

    static func bogus(_ report: CheckRenderer.Document) -> [JSONDocuments.FindingJSON] {
        report.findings.filter { $0.rule == "dnssec-bogus" }
    }

    // MARK: through a validating resolver

    /// The issue's case: Unbound refuses the expired zone (SERVFAIL, EDE 7); asked again with
    /// CD set it gives the data, so the records are there and partners that validate cannot
    /// see them: dnssec-bogus with the EDE, exit 1 (not query-failed, exit 3).
    func expiredThroughAValidatingResolverIsBogusWithTheEDE() throws {
        let (code, report, output) = try check("expired", ["--resolver", setup.unbound.address])
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        #expect(Set(found.map(\.name)) == ["_sipfederationtls._tcp.expired.test.", "sip.expired.test."], "\(output)")
        for f in found {
            #expect(f.message.hasPrefix("partners that validate cannot see it"), "\(f.message)")
            #expect(f.message.contains("Extended DNS Error 7 (Signature Expired)"), "\(f.message)")
            #expect(f.fix?.contains("signer's clock") == true, "\(f.fix ?? "")")
        }
        #expect(!report.findings.contains { $0.rule == "query-failed" }, "\(output)")
        #expect(report.summary.unverified == 0)
        // The data from the CD answer is checked as usual: it is the plan's.
        #expect(report.records.allSatisfy { $0.observed == $0.expected && $0.dnssec == .bogus && $0.status == .error })
    }

    /// A correctly signed zone through the validating resolver: AD set, secure, nothing to say.
    func signedThroughAValidatingResolverIsSecure() throws {
        let (code, report, output) = try check("signed", ["--resolver", setup.unbound.address])
        #expect(code == 0, "\(output)")
        #expect(report.findings.isEmpty)
        #expect(report.records.allSatisfy { $0.dnssec == .secure }, "\(report.records)")
        #expect(report.summary.dnssec?.secure == report.summary.records)
    }

    /// A SERVFAIL that is no DNSSEC failure (CD set changes nothing) stays query-failed,
    /// exit 3, and says the second question. (FaultTests: one with an Extended DNS Error.)
    func aSERVFAILThatCDDoesNotChangeIsAFailedQuery() throws {
        let (code, report, output) = try check("lost", ["--resolver", setup.unbound.address])
        #expect(code == 3, "\(output)")
        let failed = report.findings.filter { $0.rule == "query-failed" }
        #expect(failed.count == 2 && Self.bogus(report).isEmpty, "\(output)")
        for f in failed {
            #expect(f.message.contains("the server answered SERVFAIL"), "\(f.message)")
            #expect(f.message.contains("asked again with CD set (checking disabled), it answered SERVFAIL too"), "\(f.message)")
        }
    }

    // MARK: at the authoritative server, with --trust-anchor

    func expiredAtTheServerIsBogusWithTheDate() throws {
        let (code, report, output) = try direct("expired")
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        #expect(found.count == 3, "\(output)")
        let expiry = Calendar(identifier: .gregorian).date(byAdding: .day, value: -10, to: Date())!
        let day = ISO8601DateFormatter.string(from: expiry, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        // The DNSKEY set's RRSIG expired: the key set is blamed once, at the apex.
        for f in found {
            if f.type == "DNSKEY" {
                #expect(f.name == "expired.test." && f.message.contains("the zone's DNSKEY set (its RRSIG by key tag "), "\(f.message)")
                #expect(f.message.contains("the RRSIG expired on \(day)") && f.message.contains("(signature expired)"), "\(f.message)")
            } else {
                #expect(f.message.contains("the zone's DNSKEY set (key tag ") && !f.message.contains("the RRSIG expired"), "\(f.message)")
            }
            #expect(f.server == setup.nsd.address)
        }
        #expect(found.filter { $0.type == "DNSKEY" }.count == 1)
        // The apex finding has no planned record of its own: every format still carries it.
        for format in ["text", "junit", "github", "sarif"] {
            let result = try run(fedplanBinary, ["dns", "check", "expired.yaml", "--resolver", setup.nsd.address, "--trust-anchor",
                                                 "anchors.ds", "--retries", "0", "--format", format], in: setup.folder)
            #expect(result.code == 1 && result.stdout.contains("the zone's DNSKEY set (its RRSIG by key tag "), "\(format): \(result.stdout)")
        }
        #expect(report.records.allSatisfy { $0.dnssec == .bogus })
    }

    func notYetValidAtTheServerIsBogus() throws {
        let (code, report, output) = try direct("future")
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        #expect(found.count == 3 && found.filter { $0.type == "DNSKEY" && $0.message.contains("is not valid before") }.count == 1,
                "\(output)")
    }

    /// The anchor's DS names a key the zone does not publish: nothing in the zone can be secure.
    func aDSMatchingNoKeyIsBogus() throws {
        let (code, report, output) = try direct("wrongds")
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        #expect(found.count == 3 && found.filter { $0.type == "DNSKEY" && $0.message.contains("has no key that the DS (or trust anchor) with key tag ") }.count == 1,
                "\(output)")
    }

    func aMissingSignatureIsBogusForThatRRsetOnly() throws {
        let (code, report, output) = try direct("nosig")
        #expect(code == 1, "\(output)")
        let found = Self.bogus(report)
        #expect(found.map(\.name) == ["_sipfederationtls._tcp.nosig.test."], "\(output)")
        #expect(found.first?.message.contains("no RRSIG covers the RRset") == true)
        #expect(report.records.first { $0.type == "A" }?.dnssec == .secure)
    }

    func aCorrectlySignedZoneStaysOK() throws {
        let (code, report, output) = try direct("signed")
        #expect(code == 0, "\(output)")
        #expect(report.findings.isEmpty, "\(output)")
        #expect(report.records.allSatisfy { $0.status == .ok && $0.dnssec == .secure }, "\(report.records)")
        #expect(report.summary.dnssec == {
            var c = CheckReport.DNSSECCounts()
            c.secure = 2
            return c
        }())
        // The text report says the same counts, before its summary line; -q still says nothing.
        let text = try run(fedplanBinary, ["dns", "check", "signed.yaml", "--resolver", setup.nsd.address, "--trust-anchor",
                                           "anchors.ds", "--retries", "0"], in: setup.folder)
        #expect(text.code == 0 && text.stdout.hasSuffix("\nDNSSEC: 2 secure, 0 insecure, 0 bogus, 0 indeterminate (of 2 planned records judged)\n2 records: 2 ok, 0 errors, 0 warnings, 0 notices, 0 unverified\n"),
                "\(text.stdout)")
        let quiet = try run(fedplanBinary, ["dns", "check", "signed.yaml", "--resolver", setup.nsd.address, "--trust-anchor",
                                            "anchors.ds", "--retries", "0", "-q"], in: setup.folder)
        #expect(quiet.code == 0 && quiet.stdout.isEmpty, "\(quiet.stdout)")
        let off = try run(fedplanBinary, ["dns", "check", "signed.yaml", "--resolver", setup.nsd.address, "--retries", "0",
                                          "--no-dnssec"], in: setup.folder)
        #expect(off.code == 0 && !off.stdout.contains("DNSSEC"), "\(off.stdout)")
        // The anchor as the zone's DNSKEY record instead of its DS: the same.
        let byKey = try check("signed", ["--resolver", setup.nsd.address, "--trust-anchor", "signed.key"])
        #expect(byKey.code == 0 && byKey.report.records.allSatisfy { $0.dnssec == .secure }, "\(byKey.output)")
    }

    func signaturesExpiringWithinAWeekAreAWarning() throws {
        let (code, report, output) = try direct("soon")
        #expect(code == 0, "\(output)")
        let found = report.findings.filter { $0.rule == "dnssec-signature-expiring" }
        // The two records, and the DNSKEY set once at the apex (the whole zone goes then).
        #expect(found.count == 3 && found.allSatisfy { $0.severity == "warning" }, "\(output)")
        #expect(found.filter { $0.name == "soon.test." && $0.type == "DNSKEY" && $0.message.contains("the zone's DNSKEY set") }.count == 1,
                "\(output)")
        #expect(report.records.allSatisfy { $0.dnssec == .secure })
        // With --strict the warnings fail the check (exit 1), and JUnit's verdict agrees: the two
        // records' test cases fail, and the apex DNSKEY's warning is a failing test case of its own.
        let junit = try run(fedplanBinary, ["dns", "check", "soon.yaml", "--resolver", setup.nsd.address, "--trust-anchor",
                                            "anchors.ds", "--retries", "0", "--format", "junit", "--strict"], in: setup.folder)
        #expect(junit.code == 1)
        let failures = junit.stdout.components(separatedBy: "<failure type=\"dnssec-signature-expiring\" message=\"warning (--strict): ").count - 1
        #expect(failures == 3, "\(junit.stdout)")
        #expect(junit.stdout.contains("<testcase classname=\"names outside the plan\" name=\"soon.test. DNSKEY\">")
                || junit.stdout.contains("<testcase classname=\"federation partners\" name=\"soon.test. DNSKEY\">"), "\(junit.stdout)")
    }

    /// An unsigned zone is insecure, for one question more per zone (its DNSKEY set), never one
    /// more per record: the queries with and without validation, from `--debug`.
    func anUnsignedZoneIsInsecureForOneQuestionPerZone() throws {
        let (code, report, output) = try direct("plain")
        #expect(code == 0, "\(output)")
        #expect(report.records.allSatisfy { $0.dnssec == .insecure }, "\(report.records)")
        func queries(_ extra: [String]) throws -> [String] {
            let result = try run(fedplanBinary, ["dns", "check", "plain.yaml", "--resolver", setup.nsd.address,
                                                 "--debug", "--retries", "0"] + extra, in: setup.folder)
            return result.stderr.split(separator: "\n").filter { $0.hasPrefix(";; query ") }.map(String.init)
        }
        let validating = try queries(["--trust-anchor", "anchors.ds"]), not = try queries(["--no-dnssec"])
        #expect(validating.count == not.count + 1, "\(validating) vs \(not)")
        #expect(validating.filter { $0.contains("IN DNSKEY") }.count == 1, "\(validating)")
    }

    /// With only the root's key (the default), the chain to a zone would pass through zones
    /// above those checked, which fedplan never asks: signatures that verify with the zone's
    /// own keys are indeterminate, and expired ones still bogus.
    func withoutAnAnchorAtTheZoneTheChainIsNotFollowed() throws {
                let root = setup.folder.appendingPathComponent("root.key")
        try ". 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
            .write(to: root, atomically: true, encoding: .utf8)
        let signed = try check("signed", ["--resolver", setup.nsd.address, "--trust-anchor", "root.key"])
        #expect(signed.code == 0 && signed.report.records.allSatisfy { $0.dnssec == .indeterminate }, "\(signed.output)")
        let expired = try check("expired", ["--resolver", setup.nsd.address, "--trust-anchor", "root.key"])
        #expect(expired.code == 1 && Self.bogus(expired.report).count == 3, "\(expired.output)")
    }

    func aTrustAnchorFileThatIsNotOneIsRefusedWithItsLine() throws {
                try "signed.test. 3600 IN A 192.0.2.1\n".write(to: setup.folder.appendingPathComponent("bad.ds"), atomically: true, encoding: .utf8)
        let result = try run(fedplanBinary, ["dns", "check", "signed.yaml", "--resolver", setup.nsd.address, "--trust-anchor", "bad.ds"],
                             in: setup.folder)
        #expect(result.code == 2)
        #expect(result.stderr.contains("bad.ds:1:1: error: a trust anchor is a DS or DNSKEY record; this is an A record"), "\(result.stderr)")
    }
}

/// `text` (the zone `origin`) signed by ldns-signzone with a fresh ECDSA P-256 key, its
/// signatures valid from `inception` to `expiration` days from now; with the key's DS record.
func signZone(_ text: String, origin: String, inception: Int, expiration: Int,
              nsec3: Bool = false) throws -> (zone: String, ds: String, key: String) {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try text.write(to: folder.appendingPathComponent("zone"), atomically: true, encoding: .utf8)
    let key = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", origin], in: folder)
    guard key.code == 0 else { throw ToolFailed(tool: "ldns-keygen", stderr: key.stderr) }
    let name = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    func stamp(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }
    let sign = try run("ldns-signzone", (nsec3 ? ["-n"] : []) + ["-i", stamp(inception), "-e", stamp(expiration), "-o", origin,
                                                                 "zone", name], in: folder)
    guard sign.code == 0 else { throw ToolFailed(tool: "ldns-signzone", stderr: sign.stderr) }
    return (try String(contentsOf: folder.appendingPathComponent("zone.signed"), encoding: .utf8),
            try String(contentsOf: folder.appendingPathComponent("\(name).ds"), encoding: .utf8),
            try String(contentsOf: folder.appendingPathComponent("\(name).key"), encoding: .utf8))
}

/// `text` signed by ldns-signzone with two ECDSA P-256 keys. `rollover`: two zone-signing keys,
/// the first's signatures expiring in 3 days, the second's in 30 (a ZSK rollover, signed
/// twice), with both keys' DS as anchors. Otherwise a key-signing key (over the DNSKEY set
/// only) and a zone-signing key, with the ZSK's DS as the anchor (the mistake).
func signZoneKeys(_ text: String, origin: String, rollover: Bool) throws -> (zone: String, anchors: String) {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try text.write(to: folder.appendingPathComponent("zone"), atomically: true, encoding: .utf8)
    var names: [String] = []
    for ksk in rollover ? [false, false] : [true, false] {
        let key = try run("ldns-keygen", ["-a", "ECDSAP256SHA256"] + (ksk ? ["-k"] : []) + [origin], in: folder)
        guard key.code == 0 else { throw ToolFailed(tool: "ldns-keygen", stderr: key.stderr) }
        names.append(key.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    func stamp(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }
    func sign(until days: Int) throws -> String {
        let sign = try run("ldns-signzone", ["-i", stamp(-1), "-e", stamp(days), "-o", origin, "zone"] + names, in: folder)
        guard sign.code == 0 else { throw ToolFailed(tool: "ldns-signzone", stderr: sign.stderr) }
        return try String(contentsOf: folder.appendingPathComponent("zone.signed"), encoding: .utf8)
    }
    // ldns-keygen writes a DS for a key-signing key only: any key's, made here.
    func ds(_ name: String) throws -> String {
        let made = try run("ldns-key2ds", ["-f", "-n", "-2", "\(name).key"], in: folder)
        guard made.code == 0 else { throw ToolFailed(tool: "ldns-key2ds", stderr: made.stderr) }
        return made.stdout
    }
    guard rollover else { return (try sign(until: 30), try ds(names[1])) }
    // The second key's signatures from the 30-day run, the rest from the 3-day run.
    let second = String(names[1].split(separator: "+").last!.drop { $0 == "0" })
    func bySecond(_ line: Substring) -> Bool {
        let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        return fields.count > 10 && fields[3] == "RRSIG" && fields[10] == second
    }
    let short = try sign(until: 3).split(separator: "\n").filter { !bySecond($0) }
    let long = try sign(until: 30).split(separator: "\n").filter(bySecond)
    #expect(!long.isEmpty, "no RRSIG of the second key found")
    let anchors = try ds(names[0]) + ds(names[1])
    return ((short + long).joined(separator: "\n") + "\n", anchors)
}
