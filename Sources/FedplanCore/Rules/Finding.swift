public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case error, warning, notice

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .notice: 2
        }
    }

    /// Errors sort first: "worst first".
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One problem (docs/rules.md). `name` is the owner name with its trailing dot.
public struct Finding: Hashable, Sendable {
    public var rule: String
    public var severity: Severity
    public var name: String
    public var type: String?
    public var message: String
    public var expected: String?
    public var observed: String?
    /// When `observed` is a list cut to `ObservedList.shown` items: how many there were.
    public var observedTotal: Int?
    public var server: String?
    public var location: SourceLocation?
    /// What to change, in one line (`add …`, `remove …`), when fedplan can tell.
    public var fix: String?
    /// The reason the description's `acknowledge:` gives for accepting this finding; such a
    /// finding is shown as acknowledged and never sets the exit code.
    public var acknowledged: String?

    public init(rule: String, severity: Severity, name: String, type: String? = nil, message: String,
                expected: String? = nil, observed: String? = nil, server: String? = nil,
                location: SourceLocation? = nil, fix: String? = nil, observedTotal: Int? = nil) {
        self.fix = fix
        self.observedTotal = observedTotal
        self.rule = rule
        self.severity = severity
        self.name = name
        self.type = type
        self.message = message
        self.expected = expected
        self.observed = observed
        self.server = server
        self.location = location
    }
}

/// The exit code (docs/json.md) for a set of findings (no usage or input problem).
public enum ExitStatus {
    public static let ok: Int32 = 0
    public static let findings: Int32 = 1
    public static let badInput: Int32 = 2
    public static let unverified: Int32 = 3

    /// Rules that say "could not look", not "wrong": exit 3 unless something is wrong too.
    public static let unverifiedRules: Set<String> = ["query-failed", "cert-check-failed"]

    public static func code(for findings: [Finding], strict: Bool) -> Int32 {
        let findings = findings.filter { $0.acknowledged == nil }
        if findings.contains(where: { $0.severity == .error && !unverifiedRules.contains($0.rule) }) { return Self.findings }
        if strict && findings.contains(where: { $0.severity == .warning }) { return Self.findings }
        if findings.contains(where: { unverifiedRules.contains($0.rule) }) { return Self.unverified }
        return Self.ok
    }
}

extension [Acknowledgement] {
    /// `finding`, marked with the reason of the first acknowledgement that covers it.
    public func mark(_ finding: Finding) -> Finding {
        guard !isEmpty, let ack = first(where: { $0.covers(finding) }) else { return finding }
        var marked = finding
        marked.acknowledged = ack.reason
        return marked
    }
}
