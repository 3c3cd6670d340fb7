/// The result of `dns check`: every planned record with its status, and every finding, over
/// all servers asked.
public struct CheckReport: Sendable {
    public struct RecordResult: Sendable {
        public var record: PlannedRecord
        public var status: RecordStatus
        public var observed: String?
    }

    public var description: String
    public var servers: [String]
    public var records: [RecordResult]
    /// Worst first, then in plan order.
    public var findings: [Finding]
    /// Why the check ended before every answer came (Ctrl-C, `--deadline`); nil when it did not.
    public var stopped: String?

    /// Combines the checks of each server; answers that differ between servers are
    /// `servers-disagree`.
    public static func combine(description: String, plan: Plan, checks: [ServerCheck],
                               outcomes: [(server: String, outcomes: [Question: QueryOutcome])]) -> CheckReport {
        var findings = checks.flatMap(\.findings)
        var status: [Int: RecordStatus] = [:]
        for check in checks {
            for (i, s) in check.status { status[i] = status[i].map { min($0, s) } ?? s }
        }
        for finding in disagreements(plan: plan, outcomes: outcomes) {
            findings.append(finding)
            for (i, r) in plan.records.enumerated() where r.name.description == finding.name && r.type.rawValue == finding.type {
                status[i] = .error
            }
        }
        let records = plan.records.enumerated().map { i, r in
            let seen = checks.compactMap { $0.observed[i] }
            let observed = Set(seen).count <= 1 ? seen.first
                : zip(checks, seen).map { "\($0.server): \($1)" }.joined(separator: "; ")
            return RecordResult(record: r, status: status[i] ?? .ok, observed: observed)
        }
        let order = findings.indices.sorted { (findings[$0].severity, $0) < (findings[$1].severity, $1) }
        return CheckReport(description: description, servers: outcomes.map(\.server), records: records,
                           findings: order.map { findings[$0] }, stopped: nil)
    }

    /// Reports of separate zones (each asked of its own servers) as one.
    public static func merge(_ reports: [CheckReport], extraFindings: [Finding] = [], description: String) -> CheckReport {
        let findings = reports.flatMap(\.findings) + extraFindings
        let order = findings.indices.sorted { (findings[$0].severity, $0) < (findings[$1].severity, $1) }
        var servers: [String] = []
        for s in reports.flatMap(\.servers) where !servers.contains(s) { servers.append(s) }
        return CheckReport(description: description, servers: servers, records: reports.flatMap(\.records),
                           findings: order.map { findings[$0] }, stopped: reports.compactMap(\.stopped).first)
    }

    /// One finding per question whose answers differ between servers (TTLs aside).
    static func disagreements(plan: Plan, outcomes: [(server: String, outcomes: [Question: QueryOutcome])]) -> [Finding] {
        guard outcomes.count > 1 else { return [] }
        var findings: [Finding] = []
        for question in RecordChecker.questions(for: plan) {
            let said: [(String, String)] = outcomes.compactMap { entry in
                guard case .answer(let a)? = entry.outcomes[question] else { return nil }
                let data = a.records.filter { $0.type == question.type || $0.type == "CNAME" }
                    .map { "\($0.type) \($0.rdata.joined(separator: " ").lowercased())" }.sorted()
                return (entry.server, data.isEmpty ? a.rcode == "NXDOMAIN" ? "NXDOMAIN" : "NODATA" : data.joined(separator: ", "))
            }
            guard Set(said.map(\.1)).count > 1 else { continue }
            let origin = plan.records.first { $0.name.description == question.name }?.origin
            findings.append(Finding(
                rule: "servers-disagree", severity: .error, name: question.name, type: question.type,
                message: "servers give different answers: " + said.map { "\($0.0) says \($0.1)" }.joined(separator: "; "),
                observed: said.map { "\($0.0): \($0.1)" }.joined(separator: "; "), location: origin,
                fix: "make every server serve the same data (a stale secondary, or a forwarder with its own zone?)"))
        }
        return findings
    }

    public struct Summary: Sendable, Codable, Equatable {
        public var records: Int
        public var ok: Int
        public var errors: Int
        public var warnings: Int
        public var notices: Int
        public var unverified: Int
        /// Zone files only: planned records outside every zone given.
        public var notCovered: Int

        enum CodingKeys: String, CodingKey {
            case records, ok, errors, warnings, notices, unverified
            case notCovered = "not_covered"
        }
    }

    /// `records`, `ok` and `unverified` count planned records; the others count findings.
    public var summary: Summary {
        Summary(records: records.count,
                ok: records.filter { $0.status == .ok }.count,
                errors: findings.filter { $0.severity == .error && $0.rule != "query-failed" }.count,
                warnings: findings.filter { $0.severity == .warning }.count,
                notices: findings.filter { $0.severity == .notice }.count,
                unverified: records.filter { $0.status == .unverified }.count,
                notCovered: records.filter { $0.status == .notCovered }.count)
    }
}
