/// Where a rule looks: the description alone, or DNS data (zone files and live servers).
public enum RuleScope: String, Sendable, Codable {
    case description, dns, zoneFile = "zone-file", live, certificate
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
    /// False for rules whose check is not built yet (`dns check`): the name is reserved and
    /// documented, and no command reports it.
    public var implemented: Bool
    /// DNS rules: the description their zone-file examples are checked against, when not the
    /// usual one (`sip_domains: [contoso.com]`, one Edge server at 131.107.155.10).
    public var exampleDescription: String?
    /// DNS rules: the time (seconds since 1970) their examples' signatures are checked at, when
    /// not the time of the check: an RRSIG expires soon only as seen from some date.
    public var exampleCheckTime: Int64?

    public init(name: String, severity: Severity, scope: RuleScope, summary: String, rationale: String,
                source: String, triggeringExamples: [String] = [], nonTriggeringExamples: [String] = [],
                implemented: Bool = true) {
        self.implemented = implemented
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
                        observed: String? = nil, at location: SourceLocation?, fix: String? = nil) -> Finding {
        Finding(rule: description.name, severity: description.severity, name: name, type: type, message: message,
                expected: expected, observed: observed, location: location, fix: fix)
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
        NameMixedScriptsRule.self,
        NameHomographRule.self,
        XMPPRemovedRule.self,
        ProductOutOfSupportRule.self,
    ]

    public static var all: [RuleDescription] {
        descriptionRules.map { $0.description } + DNSRules.all + CertificateRules.all
    }

    public static func named(_ name: String) -> RuleDescription? { all.first { $0.name == name } }

    /// Runs every description rule; findings ordered worst first, then by line.
    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        // Accepted findings are marked as they are gathered, before anything counts them.
        let acknowledgements = deployment.acknowledgements
        let findings = descriptionRules.flatMap { $0.check(deployment, plan: plan).map(acknowledgements.mark) }
        // Sort small keys, not the findings themselves: copying 100,000 findings around in a
        // sort costs more than finding them. The index keeps the sort stable.
        let order = findings.indices.map { ($0, findings[$0].severity, findings[$0].location?.line ?? 0) }
            .sorted { ($0.1, $0.2, $0.0) < ($1.1, $1.2, $1.0) }
        return order.map { findings[$0.0] }
    }
}
