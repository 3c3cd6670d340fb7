import FedplanCore
import Testing

@Suite struct RendererTests {
    @Test func organizationCannotBreakOutOfComments() throws {
        var deployment = try load(LoaderTests.minimal)
        deployment.organization = "Evil\n$ORIGIN attacker.example.\n\u{1B}[2J"
        let plan = try Planner.plan(deployment)
        let zone = ExportRenderer.zoneFile(plan.zones[0], deployment: deployment)
        #expect(!zone.contains("\n$ORIGIN attacker"))
        #expect(zone.components(separatedBy: "\n$ORIGIN ").count == 2)  // only the zone's own
        #expect(!zone.contains("\u{1B}"))
        #expect(zone.contains("; Organization: Evil\\010$ORIGIN"))
    }

    @Test func nsupdateDeletesEachRRsetOnceThenAdds() throws {
        let plan = try Planner.plan(try load(PlannerTests.specExample))
        let script = ExportRenderer.nsupdate(plan.zones[0], deployment: try load(PlannerTests.specExample))
        let lines = script.split(separator: "\n").filter { !$0.hasPrefix(";") }
        #expect(lines.first == "zone contoso.com.")
        #expect(lines.last == "send")
        #expect(lines.filter { $0 == "update delete sip.contoso.com. A" }.count == 1)
        #expect(lines.filter { $0.hasPrefix("update add sip.contoso.com. 3600 IN A ") }.count == 2)
        let lastDelete = lines.lastIndex { $0.hasPrefix("update delete") }!
        let firstAdd = lines.firstIndex { $0.hasPrefix("update add") }!
        #expect(lastDelete < firstAdd)
    }

    @Test func findingsFoldLongRuns() {
        let many = (1...10).map {
            Finding(rule: "srv-target-outside-domain", severity: .warning, name: "_sipfederationtls._tcp.t\($0).example.",
                    type: "SRV", message: "m", observed: "sip.hoster.example.")
        }
        let text = FindingRenderer.text(many)
        #expect(text.split(separator: "\n").filter { $0.contains("[srv-target-outside-domain]") }.count == 3)
        #expect(text.contains("... and 7 more srv-target-outside-domain findings"))
    }

    @Test func findingTextEscapesDNSData() {
        let f = Finding(rule: "x", severity: .error, name: "evil\u{1B}]0;pwned\u{7}.example.", message: "bad\u{1B}[31m")
        let text = FindingRenderer.line(f)
        #expect(!text.contains("\u{1B}") && !text.contains("\u{7}"))
    }

    @Test func exitCodes() {
        let error = Finding(rule: "record-missing", severity: .error, name: "a.", message: "")
        let warning = Finding(rule: "address-private", severity: .warning, name: "a.", message: "")
        let failed = Finding(rule: "query-failed", severity: .error, name: "a.", message: "")
        #expect(ExitStatus.code(for: [], strict: true) == 0)
        #expect(ExitStatus.code(for: [warning], strict: false) == 0)
        #expect(ExitStatus.code(for: [warning], strict: true) == 1)
        #expect(ExitStatus.code(for: [failed], strict: false) == 3)
        #expect(ExitStatus.code(for: [failed, error], strict: false) == 1)
    }
}
