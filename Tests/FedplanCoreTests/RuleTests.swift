import FedplanCore
import Foundation
import Testing

/// Each rule's own examples are its tests (SwiftLint style).
@Suite struct RuleExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let rule: String
        let yaml: String
        let triggers: Bool
        var testDescription: String { "\(rule) \(triggers ? "triggers" : "stays quiet")" }
    }

    static let cases: [Case] = RuleCatalog.descriptionRules.flatMap { rule in
        rule.description.triggeringExamples.map { Case(rule: rule.description.name, yaml: $0, triggers: true) }
            + rule.description.nonTriggeringExamples.map { Case(rule: rule.description.name, yaml: $0, triggers: false) }
    }

    @Test(arguments: cases)
    func example(_ c: Case) throws {
        let deployment = try load(c.yaml)
        let findings = RuleCatalog.check(deployment, plan: try Planner.plan(deployment))
        let hits = findings.filter { $0.rule == c.rule }
        #expect(hits.isEmpty != c.triggers, "\(c.rule): \(findings.map(\.message))")
        for hit in hits {
            #expect(hit.name.hasSuffix("."), "names are absolute")
            #expect(hit.location?.line != nil, "description findings point at a line")
            #expect(hit.severity == RuleCatalog.named(c.rule)?.severity)
        }
    }

    @Test func everyDescriptionRuleHasExamplesBothWays() {
        for rule in RuleCatalog.descriptionRules {
            #expect(!rule.description.triggeringExamples.isEmpty, "\(rule.description.name)")
            #expect(!rule.description.nonTriggeringExamples.isEmpty, "\(rule.description.name)")
        }
    }

    @Test func ruleNamesAreUniqueAndKebabCase() {
        let names = RuleCatalog.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { $0.range(of: "^[a-z]+(-[a-z0-9]+)*$", options: .regularExpression) != nil })
    }

    @Test func specRuleNamesAreAllKnown() {
        let spec = ["record-missing", "srv-target-mismatch", "srv-port-mismatch", "srv-unexpected-target",
                    "srv-priority-weight-mismatch", "srv-target-disabled", "srv-target-cname", "srv-target-no-address",
                    "srv-target-outside-domain", "address-missing", "address-unexpected", "address-private",
                    "ttl-mismatch", "name-missing-trailing-dot", "name-near-miss", "servers-disagree",
                    "soa-serial-mismatch", "query-failed", "partner-srv-missing", "xmpp-negotiation-invalid",
                    "xmpp-negotiation-warning", "dns-lb-failover-lost", "edge-pool-too-large"]
        for rule in spec { #expect(RuleCatalog.named(rule) != nil, "\(rule)") }
    }
}

/// Reference §5: every cell of the TLS / SASL / dialback matrix, written out from the table
/// there (not from the implementation) and checked through the description rules.
@Suite struct XMPPMatrixTests {
    static let reference: [(String, String)] = [
        ("Req/Req/F", "valid"), ("Req/Opt/F", "valid"), ("Req/Req/T", "warning"), ("Req/Opt/T", "valid"),
        ("Req/NS/T", "valid"), ("Opt/NS/T", "valid"), ("NS/NS/T", "valid"),
        ("Opt/Req/T", "warning"), ("Opt/Opt/T", "warning"), ("Opt/Req/F", "warning"), ("Opt/Opt/F", "warning"),
        ("NS/Req/T", "warning"), ("NS/Opt/T", "warning"),
        ("NS/Req/F", "invalid"), ("NS/Opt/F", "invalid"), ("Req/NS/F", "invalid"), ("Opt/NS/F", "invalid"),
        ("NS/NS/F", "invalid"),
    ]

    @Test func coversAll18Cells() {
        #expect(Set(Self.reference.map(\.0)).count == 18)
        #expect(XMPPNegotiationMatrix.cells.count == 18)
    }

    @Test(arguments: reference)
    func cell(_ cell: String, _ outcome: String) throws {
        let parts = cell.split(separator: "/").map(String.init)
        let value = ["Req": "required", "Opt": "optional", "NS": "not_supported"]
        let yaml = LoaderTests.minimal + """

            federation:
              xmpp:
                partners:
                  - {domain: jabber.example.org, tls: \(value[parts[0]]!), sasl: \(value[parts[1]]!), dialback: \(parts[2] == "T")}
            """
        let deployment = try load(yaml)
        let rules = Set(RuleCatalog.check(deployment, plan: try Planner.plan(deployment)).map(\.rule))
            .filter { $0.hasPrefix("xmpp-negotiation") }
        let expected: Set<String> = switch outcome {
        case "invalid": ["xmpp-negotiation-invalid"]
        case "warning": ["xmpp-negotiation-warning"]
        default: []
        }
        #expect(rules == expected, "\(cell)")
    }
}
