import FedplanCore
import FedplanDNS
import Foundation
import Testing

/// DNSKEYs and RRSIGs in a zone file are untrusted input: a bounded number of each is used, and
/// an unsigned zone keeps no wire forms at all.
@Suite struct ZoneSignatureBoundsTests {
    static let plan: Plan = {
        let yaml = """
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - name: edge01
                  access_ip: [131.107.155.10]
            """
        return try! Planner.plan(try! DescriptionLoader.load(text: yaml, file: "fedplan.yaml").get())
    }()

    /// contoso.com signed until 2037 (the rule's example that does not trigger).
    static let signed = RuleCatalog.named("dnssec-bogus")!.nonTriggeringExamples[0]

    func read(_ text: String) throws -> (ZoneCollector, CheckReport) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-sig-\(UUID().uuidString).zone")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let collector = ZoneCollector(plan: Self.plan)
        let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: file.path, origin: "contoso.com.")], into: collector)
        #expect(problems.isEmpty, "\(problems)")
        let report = ZoneFileCheck.report(plan: Self.plan, description: "fedplan.yaml", files: files, collector: collector,
                                          signatures: SignatureCheckOptions(verifier: ZoneSignatureVerifier()))
        return (collector, report)
    }

    func dnssec(_ report: CheckReport, _ name: String) -> DNSSECStatus? {
        report.records.first { $0.record.name.description == name }?.dnssec
    }

    @Test func atMostSixteenKeysAtAName() throws {
        let key = try #require(Self.signed.split(separator: "\n").first { $0.contains(" DNSKEY ") })
        // 20 more keys (other flags: other key tags), after the real one.
        let more = (1...20).map { key.replacingOccurrences(of: " 257 3 13 ", with: " \(256 + $0 * 2) 3 13 ") }
        let (collector, report) = try read(Self.signed + "\n" + more.joined(separator: "\n") + "\n")
        #expect(collector.keys["contoso.com."]?.count == ZoneCollector.keysPerName)
        #expect(collector.keysDropped == 21 - ZoneCollector.keysPerName)
        #expect(collector.keyCount["contoso.com."] == 21)
        // A set larger than what is read is not verified: bogus, once at the apex, saying so.
        #expect(dnssec(report, "sip.contoso.com.") == .bogus)
        let apex = report.findings.filter { $0.rule == "dnssec-bogus" && $0.type == "DNSKEY" }
        #expect(apex.count == 1 && apex[0].message.contains("has 21 keys, more than the 16 fedplan reads"), "\(report.findings)")
    }

    /// RRSIGs over the DNSKEY set at the apex: at most 16 kept, all counted.
    @Test func atMostSixteenKeySetSignatures() throws {
        let sig = try #require(Self.signed.split(separator: "\n").first { $0.contains(" RRSIG DNSKEY ") })
        let tag = sig.split(separator: " ")[10]
        let more = (1...30).map { sig.replacingOccurrences(of: " \(tag) contoso.com. ", with: " \($0) contoso.com. ") }
        let (collector, report) = try read(Self.signed + "\n" + more.joined(separator: "\n") + "\n")
        #expect(collector.keySignatures["contoso.com."]?.count == ZoneCollector.keysPerName)
        #expect(collector.keySignatureCount["contoso.com."] == 31)
        #expect(dnssec(report, "sip.contoso.com.") == .secure, "the good one comes first")
    }

    /// Only the first 8 RRSIGs over an RRset are tried: a good one after 8 bad ones is not.
    @Test func atMostEightSignaturesPerRRset() throws {
        let lines = Self.signed.split(separator: "\n").map(String.init)
        let good = try #require(lines.first { $0.contains(" RRSIG SRV ") })
        let tag = good.split(separator: " ")[10]
        func bad(_ n: Int) -> [String] { (1...n).map { good.replacingOccurrences(of: " \(tag) contoso.com. ", with: " \($0) contoso.com. ") } }
        func zone(badBefore n: Int) -> String {
            lines.flatMap { $0 == good ? bad(n) + [good] : [$0] }.joined(separator: "\n") + "\n"
        }
        let (_, seven) = try read(zone(badBefore: 7))
        #expect(dnssec(seven, "_sipfederationtls._tcp.contoso.com.") == .secure)
        let (_, eight) = try read(zone(badBefore: SignatureCheck.signaturesPerRRset))
        #expect(dnssec(eight, "_sipfederationtls._tcp.contoso.com.") == .bogus)
        let finding = eight.findings.first { $0.rule == "dnssec-bogus" }
        #expect(finding?.message.contains("no DNSKEY of the zone has the key tag 1 that the RRSIG names") == true, "\(eight.findings)")
        // The trial's many-rrsig-first.zone: the finding says that only the first 8 were tried.
        #expect(finding?.message.contains("none of the first 8 of the 9 RRSIGs over the RRset verifies") == true, "\(eight.findings)")
    }

    /// No DNSKEY: nothing keeps its wire form, nothing is verified, every record is insecure.
    @Test func anUnsignedZoneKeepsNoWireForms() throws {
        let unsigned = Self.signed.split(separator: "\n").filter { !$0.contains(" DNSKEY ") && !$0.contains(" RRSIG ") }
            .joined(separator: "\n") + "\n"
        let (collector, report) = try read(unsigned)
        #expect(!collector.keepsWire)
        #expect(collector.keptFrom.values.joined().allSatisfy { $0.wire == nil })
        #expect(report.records.allSatisfy { $0.dnssec == .insecure })
        #expect(report.findings.isEmpty, "\(report.findings)")
    }
}
