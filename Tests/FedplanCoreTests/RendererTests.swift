@testable import FedplanCore
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

    /// A hoster's check: 3,000 zones. Zones are grouped once (sorting them by their worst
    /// record used to filter every record per comparison), the zone with a finding is shown
    /// with it, the fine zones collapse into one line, and JUnit has a suite per zone with the
    /// failure in it.
    @Test func checkReportsOfThousandsOfZones() throws {
        let domains = (1...3000).map { "t\($0).example.net" }
        let yaml = """
            version: 1
            sip_domains: [\(domains.joined(separator: ", "))]
            edge:
              access_edge: sip.edge.example.org
              servers:
                - name: edge01
                  access_ip: [131.107.155.10]
            """
        let plan = try Planner.plan(try DescriptionLoader.load(text: yaml, file: "fedplan.yaml").get())
        let last = try #require(plan.records.indices.last { plan.records[$0].name.description == "_sipfederationtls._tcp.t3000.example.net." })
        let finding = Finding(rule: "record-missing", severity: .error, name: "_sipfederationtls._tcp.t3000.example.net.",
                              type: "SRV", message: "no SRV record")
        let check = ServerCheck(server: "192.0.2.53", findings: [finding], status: [last: .error], observed: [last: "NXDOMAIN"])
        let report = CheckReport.combine(description: "fedplan.yaml", plan: plan, checks: [check], outcomes: [("192.0.2.53", [:])])

        let text = CheckRenderer.text(report)
        // The zone with the error is shown; the 2,999 fine zones and the Edge's zone are one line.
        let zoneLines = text.split(separator: "\n").filter { $0.hasSuffix("example.net.") && !$0.hasPrefix(" ") }
        #expect(zoneLines == ["t3000.example.net."], "\(text)")
        #expect(text.contains("\n3000 zones with every record ok, 3000 records: t1.example.net., t2.example.net., t3.example.net. and 2997 more\n"), "\(text)")
        #expect(text.split(separator: "\n").count < 15)
        let errorZone = try #require(text.range(of: "\nt3000.example.net.\n"))
        #expect(text[errorZone.upperBound...].hasPrefix("  error   _sipfederationtls._tcp.t3000.example.net. SRV"))

        let junit = CheckRenderer.junit(report)
        #expect(junit.components(separatedBy: "<testsuite name=").count - 1 == plan.zones.count)
        #expect(junit.contains("failures=\"1\""))
        #expect(junit.contains("[record-missing] no SRV record"))
    }

    /// Failed partner queries are unverified in the summary: exit 3 never comes with "0 unverified".
    @Test func partnerQueryFailuresCountAsUnverified() throws {
        let yaml = """
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        let plan = try Planner.plan(try DescriptionLoader.load(text: yaml, file: "fedplan.yaml").get())
        let ok = ServerCheck(server: "192.0.2.53", findings: [], status: [:], observed: [:])
        let report = CheckReport.combine(description: "fedplan.yaml", plan: plan, checks: [ok], outcomes: [("192.0.2.53", [:])])
        let failed = Finding(rule: "query-failed", severity: .error, name: "_sipfederationtls._tcp.partner.example.", type: "SRV",
                             message: "could not verify: no answer")
        let merged = CheckReport.merge([report], extraFindings: [failed], description: "fedplan.yaml")
        #expect(merged.summary.unverified == 1 && merged.summary.errors == 0)
        #expect(ExitStatus.code(for: merged.findings, strict: false) == ExitStatus.unverified)
    }

    /// Many failed queries with one cause are one group in text, with the count and the first names.
    @Test func failedQueriesWithOneCauseAreOneGroup() throws {
        let findings = (1...40).map { k in
            Finding(rule: "query-failed", severity: .error, name: "_sipfederationtls._tcp.t\(k).example.", type: "SRV",
                    message: "could not verify: no answer within 2 s", server: "192.0.2.53",
                    fix: "make sure 192.0.2.53 answers _sipfederationtls._tcp.t\(k).example. SRV (firewall, forwarder, zone loaded?)")
        }
        let report = CheckReport(description: "fedplan.yaml", servers: ["192.0.2.53"], records: [], findings: findings)
        let text = CheckRenderer.text(report)
        #expect(text.contains("  unverified 40 queries failed: could not verify: no answer within 2 s [query-failed]\n"), "\(text)")
        #expect(text.contains("_sipfederationtls._tcp.t1.example. SRV, _sipfederationtls._tcp.t2.example. SRV, _sipfederationtls._tcp.t3.example. SRV and 37 more"))
        #expect(text.contains("fix: make sure 192.0.2.53 answers these names"))
        #expect(text.split(separator: "\n").count < 10, "\(text)")
        // Wrapped to a narrow terminal: no line longer than it.
        let narrow = CheckRenderer.text(report, width: 60)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(narrow)")
    }
}
