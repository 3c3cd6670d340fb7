import FedplanCore
import FedplanDNS
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

/// The zone-file examples in docs/rules.md are real master-file text (ldns reads them).
@Suite struct RuleExampleZoneTextTests {
    @Test(arguments: RuleCatalog.all.filter { $0.scope != .description && $0.scope != .certificate }.map(\.name))
    func examplesParse(rule: String) throws {
        let description = try #require(RuleCatalog.named(rule))
        for example in description.triggeringExamples + description.nonTriggeringExamples {
            let records = try ZoneText.parse(example, name: rule, origin: "contoso.com.").get()
            #expect(!records.isEmpty)
        }
    }
}
