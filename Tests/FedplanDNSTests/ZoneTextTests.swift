import FedplanCore
@testable import FedplanDNS
import Foundation
import Testing

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

@Suite struct ZoneTextTests {
    @Test(arguments: ["single-edge", "dns-lb-pool", "hosting"])
    func exportReadsBackThroughLDNSAsThePlan(example: String) throws {
        let url = packageRoot.appendingPathComponent("examples/\(example)/fedplan.yaml")
        let deployment = try DescriptionLoader.load(data: try Data(contentsOf: url), file: "fedplan.yaml").get()
        let plan = try Planner.plan(deployment)
        for zone in plan.zones {
            let text = ExportRenderer.zoneFile(zone, deployment: deployment)
            let records = try ZoneText.parse(text, name: "\(zone.zone)zone").get()
            #expect(records.map(\.presentation) == zone.records.map { "\($0.name) \($0.ttl) IN \($0.type.rawValue) \($0.data)" })
            #expect(records.allSatisfy { ($0.location?.line ?? 0) > 0 })
        }
    }

    @Test func relativeNamesUseTheOrigin() throws {
        let records = try ZoneText.parse("""
            $ORIGIN contoso.com.
            $TTL 300
            _sipfederationtls._tcp IN SRV 0 0 5061 sip
            sip IN A 131.107.155.10
            """, name: "z").get()
        #expect(records.map(\.presentation) == [
            "_sipfederationtls._tcp.contoso.com. 300 IN SRV 0 0 5061 sip.contoso.com.",
            "sip.contoso.com. 300 IN A 131.107.155.10",
        ])
        #expect(records.map { $0.location?.line } == [3, 4])
    }

    @Test func linesSurviveBlanksCommentsAndParentheses() throws {
        let records = try ZoneText.parse("""
            $TTL 300

            ; the federation record
            _sipfederationtls._tcp.contoso.com. IN SRV (
                0 0 5061
                sip.contoso.com. )

            sip.contoso.com. IN A 131.107.155.10
            """, name: "z").get()
        #expect(records.map { $0.location?.line } == [4, 8])
    }

    @Test func everySyntaxErrorIsReportedWithItsLine() {
        let result = ZoneText.parse("""
            sip.contoso.com. 3600 IN A 131.107.155.300
            ok.contoso.com. 3600 IN A 131.107.155.10
            _sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 sip.contoso.com.
            """, name: "bad.zone")
        guard case .failure(let problems) = result else {
            Issue.record("ldns accepted a bad address")
            return
        }
        #expect(problems.diagnostics.map { $0.location.line } == [1, 3])
        #expect(problems.diagnostics.allSatisfy { $0.location.file == "bad.zone" })
    }
}

/// The zone-file examples in docs/rules.md are real master-file text (Knot's scanner reads
/// them), and the file check finds what each example shows: the triggering example fires the
/// rule, the example that does not trigger leaves it silent.
@Suite struct RuleExampleZoneTextTests {
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
        let deployment = try! DescriptionLoader.load(text: yaml, file: "fedplan.yaml").get()
        return try! Planner.plan(deployment)
    }()

    @Test(arguments: RuleCatalog.all.filter { $0.scope != .description && $0.scope != .certificate }.map(\.name))
    func examplesParse(rule: String) throws {
        let description = try #require(RuleCatalog.named(rule))
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let records = try ZoneText.parse(example, name: rule, origin: "contoso.com.").get()
            #expect(!records.isEmpty)
        }
    }

    /// Rules a zone file alone can show (not those that need several servers or partners).
    static let fileRules = RuleCatalog.all.filter {
        ($0.scope == .dns || $0.scope == .zoneFile) && $0.implemented && !$0.triggeringExamples.isEmpty
    }.map(\.name)

    @Test(arguments: fileRules)
    func examplesTriggerInTheFileCheck(rule: String) throws {
        let description = try #require(RuleCatalog.named(rule))
        let plan = try description.exampleDescription.map {
            try Planner.plan(try DescriptionLoader.load(text: $0, file: "fedplan.yaml").get())
        } ?? Self.plan
        for (example, triggers) in description.triggeringExamples.map({ ($0, true) })
            + description.nonTriggeringExamples.map({ ($0, false) }) {
            let rules = try fileCheck(example, plan: plan, checkTime: description.exampleCheckTime).map(\.rule)
            #expect(rules.contains(rule) == triggers, "\(rule) \(triggers ? "should" : "should not") fire on:\n\(example)\nfound \(rules)")
        }
    }

    /// The example read as the zone its `$ORIGIN` names (contoso.com without one).
    /// `checkTime`: the time signatures are checked at (the rule's `exampleCheckTime`), else now.
    func fileCheck(_ example: String, plan: Plan = Self.plan, checkTime: Int64? = nil) throws -> [Finding] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-rule-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = example.split(separator: "\n").first ?? ""
        let zone = first.hasPrefix("$ORIGIN ") ? String(first.dropFirst(8)) : "contoso.com."
        let file = folder.appendingPathComponent("\(zone)zone").path
        try Data(example.utf8).write(to: URL(fileURLWithPath: file))
        let collector = ZoneCollector(plan: plan)
        let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: file, origin: zone)], into: collector)
        #expect(problems.isEmpty, "\(problems)")
        let clock = checkTime.map { SignatureClock(now: UInt32($0)) } ?? SignatureClock()
        return ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: files, collector: collector,
                                    signatures: SignatureCheckOptions(verifier: ZoneSignatureVerifier(), clock: clock)).findings
    }
}

/// Owners written with the parent of the owner before copied: the same text as writing them whole.
@Suite struct OwnerTextTests {
    @Test func sameAsWrittenWhole() throws {
        let zone = """
            $ORIGIN Example.NET.
            host1 A 192.0.2.1
            HOST2 A 192.0.2.2
            www.host2 A 192.0.2.3
            a\\.b A 192.0.2.4
            a\\\\ A 192.0.2.5
            x.a\\\\ A 192.0.2.6
            \\200x A 192.0.2.7
            y.\\200x A 192.0.2.8
            z.\\200X A 192.0.2.9
            @ A 192.0.2.10
            q.example.org. A 192.0.2.11
            r.Example.Org. A 192.0.2.12
            . A 192.0.2.13
            com. A 192.0.2.14
            s.com. A 192.0.2.15
            s.com. AAAA 2001:db8::1
            _sip._tcp.T1.example.net. A 192.0.2.16
            www.t1.EXAMPLE.net. A 192.0.2.17
            _sipfederationtls._tcp.t1.example.net. A 192.0.2.18
            mail.t1.example.net. A 192.0.2.19
            t1.example.net. A 192.0.2.20
            a.b.c.d.e.f.example.net. A 192.0.2.21
            x.c.d.e.f.example.net. A 192.0.2.22
            d\\.e.f.example.net. A 192.0.2.23
            e.f.example.net. A 192.0.2.24

            """
        let bytes = Array(zone.utf8)
        var seen = 0
        try bytes.withUnsafeBytes { buffer in
            let scanner = try #require(ZoneScanner(bytes: buffer, origin: ".", ttl: 3600, directory: "."))
            while case .record = scanner.next() {
                let text = String(decoding: scanner.lowercasedOwner, as: UTF8.self)
                #expect(text == WireName.string(scanner.owner), "\(text)")
                seen += 1
            }
        }
        #expect(seen == 25)
    }

    /// Labels written 8 bytes at a time where they can be (`WireName.plainWord`) against the
    /// rule byte by byte: every byte value at every position of labels up to 24 bytes long, in
    /// both cases.
    @Test func labelsByWordSameAsByteByByte() {
        func reference(_ label: [UInt8], lowercased: Bool) -> [UInt8] {
            var out: [UInt8] = []
            for c in label {
                if [0x2E, 0x5C, 0x28, 0x29, 0x3B].contains(c) {
                    out += [0x5C, c]
                } else if c >= 0x21 && c <= 0x7E {
                    out.append(lowercased && c >= 0x41 && c <= 0x5A ? c + 32 : c)
                } else {
                    out += [0x5C, 0x30 + c / 100, 0x30 + c / 10 % 10, 0x30 + c % 10]
                }
            }
            return out + [0x2E]
        }
        var out = [UInt8](repeating: 0, count: 4 * 64 + 1)
        for length in 1...24 {
            let base = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) &- ($0 % 3 == 0 ? 32 : 0) }  // "AbcDef…"
            for position in 0..<length {
                for c in 0...255 {
                    var label = base
                    label[position] = UInt8(c)
                    let wire = [UInt8(length)] + label
                    for lowercased in [true, false] {
                        let n = wire.withUnsafeBufferPointer { w in
                            out.withUnsafeMutableBufferPointer { WireName.writeLabel(w.baseAddress!, lowercased: lowercased, to: $0.baseAddress!) }
                        }
                        if Array(out[..<n]) != reference(label, lowercased: lowercased) {
                            Issue.record("label \(label), lower-cased: \(lowercased): \(String(decoding: out[..<n], as: UTF8.self))")
                            return
                        }
                    }
                }
            }
        }
    }
}
