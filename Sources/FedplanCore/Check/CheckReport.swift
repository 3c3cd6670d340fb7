/// The result of `dns check`: every planned record with its status, and every finding, over
/// all servers asked.
public struct CheckReport: Sendable {
    public struct RecordResult: Sendable {
        public var record: PlannedRecord
        public var status: RecordStatus
        public var observed: String?
        /// When `observed` is a list cut to `ObservedList.shown` items: how many there were.
        public var observedTotal: Int?
        /// Live checks: the record's DNSSEC status (docs/dnssec.md), the worst over the servers
        /// asked; nil when nothing was judged (validation off, the query failed).
        public var dnssec: DNSSECStatus?
    }

    /// A record a server publishes at a planned name that the plan does not have (an extra
    /// address, an extra SRV target): an entry of its own beside the planned records, with the
    /// status of its finding. Only those whose finding is listed (the first
    /// `CheckLimits.findingsPerName` of a rule at a name); the rest are counted in `omitted`.
    public struct Stray: Sendable, Equatable {
        public var name: String
        public var type: String
        public var data: String
        public var status: RecordStatus
        /// The finding that says so.
        public var rule: String
        public var server: String?
    }

    public var description: String
    public var servers: [String]
    public var records: [RecordResult]
    /// Worst first, then in plan order.
    public var findings: [Finding]
    /// Why the check ended before every answer came (Ctrl-C, `--deadline`); nil when it did not.
    public var stopped: String?
    /// Findings beyond `CheckLimits.findingsPerName` of one rule at one name: counted, not listed.
    public var omitted: [Omitted] = []
    /// Records published at planned names beyond the plan, in the order of their findings.
    public var strays: [Stray] { Self.strays(findings) }

    /// Rules whose finding is about one record the plan does not have, named by `observed`.
    static let strayRules: Set<String> = ["address-unexpected", "srv-unexpected-target"]

    static func strays(_ findings: [Finding]) -> [Stray] {
        var seen: Set<String> = [], result: [Stray] = []
        for f in findings where strayRules.contains(f.rule) {
            guard let type = f.type, let data = f.observed, seen.insert("\(f.name) \(type) \(data)").inserted else { continue }
            result.append(Stray(name: f.name, type: type, data: data, status: RecordStatus(f.severity), rule: f.rule,
                                server: f.server))
        }
        return result
    }

    /// `--zone-file` only: each file given, with the zone it holds and the origin it was read with.
    public var zoneFiles: [ZoneFileRead] = []

    /// How one zone file was read: its zone, and the origin its relative names were read with
    /// and where that origin came from (docs/zone-files.md).
    public struct ZoneFileRead: Sendable, Equatable {
        public enum OriginSource: Sendable, Equatable {
            /// `$ORIGIN` before the file's first record, at this line.
            case directive(line: Int)
            /// `--origin` given for this file.
            case option
            /// The file's name (`<zone>`, `<zone>.zone`, `<zone>.db`, `db.<zone>`).
            case fileName
            /// None was needed: every name in the file is absolute.
            case none

            /// As JSON's `origin_from` shows it.
            public var name: String {
                switch self {
                case .directive: "$ORIGIN"
                case .option: "--origin"
                case .fileName: "file name"
                case .none: "absolute names"
                }
            }
        }

        public var file: String
        /// The zone the file holds (its SOA owner, else its origin); nil when it cannot be told.
        public var zone: String?
        /// The origin relative names were read with; nil when none was needed.
        public var origin: String?
        public var originSource: OriginSource

        public init(file: String, zone: String?, origin: String?, originSource: OriginSource) {
            self.file = file
            self.zone = zone
            self.origin = origin
            self.originSource = originSource
        }
    }

    public struct Omitted: Sendable, Codable, Equatable {
        public var rule: String
        public var severity: Severity
        public var count: Int
    }

    /// Keeps the first `CheckLimits.findingsPerName` findings of each rule at each name (they
    /// come worst first) and counts the rest, added to `earlier` counts. A plan's own findings
    /// are a few per name; only what a server sends beyond the plan (a thousand extra SRV
    /// targets) reaches the bound.
    static func bounded(_ findings: [Finding], earlier: [Omitted] = []) -> (kept: [Finding], omitted: [Omitted]) {
        struct Key: Hashable { let rule: String, name: String }
        var perName: [Key: Int] = [:]
        var omitted = earlier
        var kept: [Finding] = []
        for f in findings {
            let key = Key(rule: f.rule, name: f.name)
            perName[key, default: 0] += 1
            if perName[key]! <= CheckLimits.findingsPerName {
                kept.append(f)
            } else if let i = omitted.firstIndex(where: { $0.rule == f.rule && $0.severity == f.severity }) {
                omitted[i].count += 1
            } else {
                omitted.append(Omitted(rule: f.rule, severity: f.severity, count: 1))
            }
        }
        return (kept, omitted)
    }

    /// `983 more srv-unexpected-target errors were left out of the list (16 per rule and name are
    /// listed)`: what every format says of findings counted but not listed.
    public static func omittedSentence(_ o: Omitted) -> String {
        "\(o.count) more \(o.rule) \(o.severity.rawValue)\(o.count == 1 ? " was" : "s were") left out of the list (16 per rule and name are listed; the summary counts them)"
    }

    /// The report with the findings the description's `acknowledge:` accepts marked with its
    /// reason: decided once, before anything renders or counts the report (the exit code leaves
    /// them out). Findings come from every part of a check (servers, zone files, partners,
    /// serials), and all of them pass here on their way out.
    public func acknowledging(_ acknowledgements: [Acknowledgement]) -> CheckReport {
        guard !acknowledgements.isEmpty else { return self }
        var marked = self
        marked.findings = findings.map(acknowledgements.mark)
        return marked
    }

    /// Combines the checks of each server; answers that differ between servers are
    /// `servers-disagree`. `extraFindings` (zone files: the mistakes only files make) join the
    /// list, and a planned record at a name they concern gets their severity as its status.
    public static func combine(description: String, plan: Plan, checks: [ServerCheck],
                               outcomes: [(server: String, outcomes: [Question: QueryOutcome])],
                               extraFindings: [Finding] = []) -> CheckReport {
        var findings = checks.flatMap(\.findings)
        var status = checks.count == 1 ? checks[0].status : [:]  // one server: its statuses as they are
        for check in checks where checks.count > 1 {
            for (i, s) in check.status { status[i] = status[i].map { min($0, s) } ?? s }
        }
        if !extraFindings.isEmpty {
            let severity = Dictionary(extraFindings.map { ($0.name, $0.severity) }, uniquingKeysWith: min)
            for (i, r) in plan.records.enumerated() {
                if let s = severity[r.name.description] { status[i] = min(status[i] ?? .ok, RecordStatus(s)) }
            }
            findings += extraFindings
        }
        for finding in disagreements(plan: plan, outcomes: outcomes) {
            findings.append(finding)
            for (i, r) in plan.records.enumerated() where r.name.description == finding.name && r.type.rawValue == finding.type {
                status[i] = .error
            }
        }
        let anyCut = checks.contains { !$0.observedTotal.isEmpty }
        let planned = plan.records
        // The findings worst first, bounded, beside the records.
        func finish(_ records: [RecordResult]) -> CheckReport {
            let order = findings.indices.sorted { (findings[$0].severity, $0) < (findings[$1].severity, $1) }
            let (kept, omitted) = bounded(order.map { findings[$0] }, earlier: summed(checks.flatMap(\.omitted)))
            return CheckReport(description: description, servers: outcomes.map(\.server), records: records,
                               findings: kept, stopped: nil, omitted: summed(omitted))
        }
        // One server, the usual live check: its observations as they are. The general path
        // below gathers what every server saw into an array per record to compare them, which
        // for a single server was 1,200 instructions a record for nothing.
        if checks.count == 1 {
            let only = checks[0]
            var records: [RecordResult] = []
            records.reserveCapacity(planned.count)
            for (i, r) in planned.enumerated() {
                records.append(RecordResult(record: r, status: status[i] ?? .ok, observed: only.observed[i],
                                            observedTotal: anyCut ? only.observedTotal[i] : nil,
                                            dnssec: only.dnssec.isEmpty ? nil : only.dnssec[i]))
            }
            return finish(records)
        }
        let records = planned.enumerated().map { i, r in
            let seen = checks.compactMap { $0.observed[i] }
            let observed = seen.allSatisfy({ $0 == seen[0] }) ? seen.first
                : zip(checks, seen).map { "\($0.server): \($1)" }.joined(separator: "; ")
            let total = anyCut ? checks.compactMap { $0.observedTotal[i] }.max() : nil
            let dnssec = checks.reduce(nil as DNSSECStatus?) { DNSSECStatus.worst($0, $1.dnssec[i]) }
            return RecordResult(record: r, status: status[i] ?? .ok, observed: observed, observedTotal: total, dnssec: dnssec)
        }
        return finish(records)
    }

    /// Reports of separate zones (each asked of its own servers) as one.
    public static func merge(_ reports: [CheckReport], extraFindings: [Finding] = [], description: String) -> CheckReport {
        let findings = reports.flatMap(\.findings) + extraFindings
        let order = findings.indices.sorted { (findings[$0].severity, $0) < (findings[$1].severity, $1) }
        var servers: [String] = []
        for s in reports.flatMap(\.servers) where !servers.contains(s) { servers.append(s) }
        let (kept, omitted) = bounded(order.map { findings[$0] }, earlier: reports.flatMap(\.omitted))
        return CheckReport(description: description, servers: servers, records: reports.flatMap(\.records),
                           findings: kept, stopped: reports.compactMap(\.stopped).first, omitted: Self.summed(omitted))
    }

    /// One finding per question whose answers differ between servers (TTLs aside).
    static func disagreements(plan: Plan, outcomes: [(server: String, outcomes: [Question: QueryOutcome])]) -> [Finding] {
        guard outcomes.count > 1 else { return [] }
        var findings: [Finding] = []
        for question in RecordChecker.questions(for: plan) {
            // Compared whole, shown cut: a server may send a thousand records.
            let code = RRType(mnemonic: question.type)
            let said: [(String, String, String)] = outcomes.compactMap { entry in
                guard case .answer(let a)? = entry.outcomes[question] else { return nil }
                let data = a.records.filter { $0.isOf(code, named: question.type) || $0.code == .cname }
                    .map { "\($0.type) \($0.rdata.joined(separator: " ").lowercased())" }.sorted()
                if data.isEmpty {
                    let absent = a.rcode == .nxDomain ? "NXDOMAIN" : "NODATA"
                    return (entry.server, absent, absent)
                }
                return (entry.server, data.joined(separator: ", "), ObservedList.cut(data).text)
            }
            guard Set(said.map(\.1)).count > 1 else { continue }
            let origin = plan.records.first { $0.name.description == question.name }?.origin
            findings.append(Finding(
                rule: "servers-disagree", severity: .error, name: question.name, type: question.type,
                message: "servers give different answers: " + said.map { "\($0.0) says \($0.2)" }.joined(separator: "; "),
                observed: said.map { "\($0.0): \($0.2)" }.joined(separator: "; "), location: origin,
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
        /// Planned records per DNSSEC status; nil when no record was judged.
        public var dnssec: DNSSECCounts?

        enum CodingKeys: String, CodingKey {
            case records, ok, errors, warnings, notices, unverified, dnssec
            case notCovered = "not_covered"
        }
    }

    /// `summary.dnssec`: how many planned records have each DNSSEC status.
    public struct DNSSECCounts: Sendable, Codable, Equatable {
        public var secure = 0, insecure = 0, bogus = 0, indeterminate = 0

        public init() {}

        mutating func add(_ status: DNSSECStatus) {
            switch status {
            case .secure: secure += 1
            case .insecure: insecure += 1
            case .bogus: bogus += 1
            case .indeterminate: indeterminate += 1
            }
        }
    }

    /// One entry per rule and severity.
    static func summed(_ omitted: [Omitted]) -> [Omitted] {
        var result: [Omitted] = []
        for o in omitted {
            if let i = result.firstIndex(where: { $0.rule == o.rule && $0.severity == o.severity }) {
                result[i].count += o.count
            } else {
                result.append(o)
            }
        }
        return result
    }

    /// `records`, `ok` and `notCovered` count planned records; `errors`, `warnings` and
    /// `notices` count every finding, those omitted from the list and those about partners
    /// included. `unverified` counts planned records that could not be verified plus the
    /// partner names whose queries failed, so that it is never 0 when the exit code is 3.
    public var summary: Summary {
        func count(_ severity: Severity) -> Int {
            findings.filter { $0.severity == severity && !ExitStatus.unverifiedRules.contains($0.rule) }.count
                + omitted.filter { $0.severity == severity && !ExitStatus.unverifiedRules.contains($0.rule) }.map(\.count).reduce(0, +)
        }
        let failures = findings.filter { ExitStatus.unverifiedRules.contains($0.rule) }
        // The planned names, only when some query failed: a healthy check has nothing to subtract.
        let planned = failures.isEmpty ? [] : Set(records.map { $0.record.name.description })
        let partnerFailures = Set(failures.filter { !planned.contains($0.name) }.map { "\($0.name) \($0.type ?? "")" }).count
        // The records counted in one pass: `filter { … }.count` three times copied the rows
        // (and retained every record) into three arrays, 500 instructions a record.
        var dnssec: DNSSECCounts?
        var ok = 0, unverified = 0, notCovered = 0
        for r in records {
            switch r.status {
            case .ok: ok += 1
            case .unverified: unverified += 1
            case .notCovered: notCovered += 1
            default: break
            }
            if let s = r.dnssec {
                if dnssec == nil { dnssec = DNSSECCounts() }
                dnssec!.add(s)
            }
        }
        return Summary(records: records.count, ok: ok,
                       errors: count(.error), warnings: count(.warning), notices: count(.notice),
                       unverified: unverified + partnerFailures, notCovered: notCovered, dnssec: dnssec)
    }
}
