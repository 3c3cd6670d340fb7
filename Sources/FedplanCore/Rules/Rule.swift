/// Where a rule looks: the description alone, or DNS data (zone files and live servers).
public enum RuleScope: String, Sendable, Codable {
    case description, dns, zoneFile = "zone-file", live
}

/// Everything a user (and `docs/rules.md`) should know about a rule. The examples are real
/// inputs: descriptions for description rules, zone-file text for DNS rules. The tests run
/// each description example and check that it triggers, or does not trigger, the rule.
public struct RuleDescription: Sendable {
    public var name: String
    public var severity: Severity
    public var scope: RuleScope
    public var summary: String
    public var rationale: String
    public var source: String
    public var triggeringExamples: [String]
    public var nonTriggeringExamples: [String]

    public init(name: String, severity: Severity, scope: RuleScope, summary: String, rationale: String,
                source: String, triggeringExamples: [String] = [], nonTriggeringExamples: [String] = []) {
        self.name = name
        self.severity = severity
        self.scope = scope
        self.summary = summary
        self.rationale = rationale
        self.source = source
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
    }
}

/// A rule checked on the description and its plan, needing no DNS.
public protocol DescriptionRule: Sendable {
    static var description: RuleDescription { get }
    static func check(_ deployment: Deployment, plan: Plan) -> [Finding]
}

extension DescriptionRule {
    static func finding(_ name: String, type: String? = nil, _ message: String, expected: String? = nil,
                        observed: String? = nil, at location: SourceLocation?) -> Finding {
        Finding(rule: description.name, severity: description.severity, name: name, type: type, message: message,
                expected: expected, observed: observed, location: location)
    }
}

/// The rules fedplan knows, in the order `docs/rules.md` lists them.
public enum RuleCatalog {
    public static let descriptionRules: [any DescriptionRule.Type] = [
        XMPPNegotiationInvalidRule.self,
        XMPPNegotiationWarningRule.self,
        DNSLoadBalancingFailoverRule.self,
        EdgePoolTooLargeRule.self,
        SRVTargetOutsideDomainRule.self,
        AddressPrivateRule.self,
    ]

    public static var all: [RuleDescription] { descriptionRules.map { $0.description } + DNSRules.all }

    public static func named(_ name: String) -> RuleDescription? { all.first { $0.name == name } }

    /// Runs every description rule; findings ordered worst first, then by line.
    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        descriptionRules.flatMap { $0.check(deployment, plan: plan) }.sorted {
            ($0.severity, $0.location?.line ?? 0) < ($1.severity, $1.location?.line ?? 0)
        }
    }
}
