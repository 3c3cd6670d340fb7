import FedplanCore
import Foundation
import Testing

/// Each example's plan is kept in examples/<name>/expected-plan.json. To accept a deliberate
/// change: `FEDPLAN_UPDATE_GOLDEN=1 swift test --filter GoldenTests`, then review the diff.
@Suite struct GoldenTests {
    static let examples = ["single-edge", "dns-lb-pool", "hosting", "hybrid", "teams-cutover"]

    @Test(arguments: examples)
    func planMatchesGolden(example: String) throws {
        let folder = packageRoot.appendingPathComponent("examples/\(example)")
        let data = try Data(contentsOf: folder.appendingPathComponent("fedplan.yaml"))
        let deployment = try DescriptionLoader.load(data: data, file: "fedplan.yaml").get()
        let plan = try Planner.plan(deployment)
        let findings = RuleCatalog.check(deployment, plan: plan)
        let text = JSONDocuments.encode(JSONDocuments.planDocument(file: "fedplan.yaml", deployment: deployment,
                                                                  plan: plan, findings: findings))
        let golden = folder.appendingPathComponent("expected-plan.json")
        if ProcessInfo.processInfo.environment["FEDPLAN_UPDATE_GOLDEN"] != nil {
            try text.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(text == (try String(contentsOf: golden, encoding: .utf8)), "examples/\(example): plan changed")
    }

    @Test func examplesCoverTheIssueScenarios() throws {
        let pool = try DescriptionLoader.load(
            data: try Data(contentsOf: packageRoot.appendingPathComponent("examples/dns-lb-pool/fedplan.yaml")),
            file: "fedplan.yaml").get()
        #expect(pool.edge.servers.count == 3 && pool.edge.loadBalancing == .dns)
        #expect(pool.edge.servers.allSatisfy { s in s.accessIPs.contains { !$0.value.isIPv4 } })
        #expect(pool.sipDomains.count >= 3 && !pool.federation.sip.mobilePush.isEmpty)
        #expect(Set(pool.federation.sip.partners.map(\.kind)) == Set(PartnerKind.allCases))
        #expect(Set(pool.federation.xmpp?.partners.map(\.type) ?? []) == Set(XMPPPartnerType.allCases))
        let hosting = try DescriptionLoader.load(
            data: try Data(contentsOf: packageRoot.appendingPathComponent("examples/hosting/fedplan.yaml")),
            file: "fedplan.yaml").get()
        #expect(hosting.sipDomains.count >= 100)
    }

    @Test func rulesDocumentIsInSync() throws {
        let doc = try String(contentsOf: packageRoot.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        #expect(doc == RulesRenderer.markdown(RuleCatalog.all),
                "docs/rules.md is stale: run `swift run fedplan rules --format markdown > docs/rules.md`")
    }

    @Test func loadsTensOfThousandsOfDomains() throws {
        // Correctness at scale (no quadratic duplicate checks shows up as a timeout in CI,
        // the speed itself is measured by bench/description-load.sh).
        let domains = (1...20_000).map { "  - tenant\($0).example" }.joined(separator: "\n")
        let yaml = "version: 1\nsip_domains:\n\(domains)\n" + LoaderTests.minimal.split(separator: "\n").dropFirst(2)
            .joined(separator: "\n")
        let deployment = try load(yaml)
        let plan = try Planner.plan(deployment)
        #expect(plan.records.count == 20_001)
        #expect(plan.zones.count == 20_001)
    }
}
