import Foundation

/// The status of one planned record after a check (docs/json.md).
public enum RecordStatus: String, Sendable, Codable, Comparable {
    case ok, error, warning, notice, unverified, notCovered = "not-covered"

    /// Worst first: error, unverified, warning, notice, ok, not covered.
    private var rank: Int {
        switch self {
        case .error: 0
        case .unverified: 1
        case .warning: 2
        case .notice: 3
        case .ok: 4
        case .notCovered: 5
        }
    }

    public static func < (lhs: RecordStatus, rhs: RecordStatus) -> Bool { lhs.rank < rhs.rank }

    init(_ severity: Severity) {
        switch severity {
        case .error: self = .error
        case .warning: self = .warning
        case .notice: self = .notice
        }
    }
}

/// What one server said about the plan: findings, and per planned record (by its index in
/// `plan.records`) a status and what was seen.
public struct ServerCheck: Sendable {
    public var server: String
    public var findings: [Finding]
    public var status: [Int: RecordStatus]
    public var observed: [Int: String]
    /// Per planned record whose `observed` is a list cut to `ObservedList.shown` items: how
    /// many there were.
    public var observedTotal: [Int: Int] = [:]
    /// Findings past `CheckLimits.findingsPerName` of one rule at one name: counted, never built.
    public var omitted: [CheckReport.Omitted] = []
    /// Per planned record whose answer was judged (docs/dnssec.md): its DNSSEC status.
    public var dnssec: [Int: DNSSECStatus] = [:]
}

/// Compares DNS answers with the plan: the rules of docs/rules.md that need DNS data. Pure: the
/// answers come in as values, whoever asked for them (live servers now, zone files later).
public enum RecordChecker {
    /// The first round of questions: every planned RRset.
    public static func questions(for plan: Plan) -> [Question] {
        PlanRRsets(plan).questions
    }

    /// The second round: A and AAAA of every SRV target a server returned, so that targets can
    /// be checked for aliases and missing addresses.
    /// Bounded (`CheckLimits`): the first `targetsPerName` targets of each answer, and at most
    /// `followUps(plannedQuestions:)` questions in all, planned targets first.
    /// `outcomes` are the first round's: what was asked already, and how many questions that was.
    public static func followUps(for plan: Plan, outcomes: [Question: QueryOutcome], rrsets: PlanRRsets? = nil) -> [Question] {
        let rrsets = rrsets ?? PlanRRsets(plan)
        var planned: Set<String> = [], seen: Set<String> = []
        // A hosting plan has thousands of SRV records with one target, and answers that say so:
        // a target like the one before is not hashed again.
        var lastPlanned = "", lastSeen: [String] = []
        for set in rrsets.sets where set.type == .srv {
            for i in set.indices {
                if case .srv(let s) = rrsets.records[i].data, s.target.description != lastPlanned {
                    lastPlanned = s.target.description
                    planned.insert(lastPlanned)
                }
            }
            guard case .answer(let a)? = outcomes[set.question] else { continue }
            let answer = Observed(answer: a, name: set.question.name)
            // The usual answer, one SRV record at the name (or at the end of its alias chain, a
            // DNAME's): its target, without building lists.
            if let only = answer.soleAtEnd(.srv), case .srv(_, _, _, let target) = only.fields {
                if target != ".", !(lastSeen.count == 1 && lastSeen[0] == target) {
                    seen.insert(target)
                    lastSeen = [target]
                }
                continue
            }
            let targets = followedTargets(answer.srvTargets)
            if targets != lastSeen {
                seen.formUnion(targets)
                lastSeen = targets
            }
        }
        // Microsoft 365's published names (a teams-only domain's targets) are Microsoft's to
        // serve: asking for their addresses would check Microsoft, not the zones given.
        planned = planned.filter { !TeamsOnlyRecord.isMicrosoftName($0) }
        seen = seen.filter { !TeamsOnlyRecord.isMicrosoftName($0) }
        // A teams-only domain's sip/lyncdiscover name without its CNAME: what it holds instead
        // (the on-premises A records) is what the finding shows.
        for set in rrsets.sets where set.type == .cname {
            guard case .teamsOnly = rrsets.records[set.indices[0]].why, case .answer(let a)? = outcomes[set.question],
                  a.rcode != .nxDomain, !a.records.contains(where: { $0.code == .cname }) else { continue }
            planned.insert(set.question.name)
        }
        let ordered = planned.sorted() + seen.subtracting(planned).sorted()
        let all = ordered.lazy.flatMap { [Question($0, "A"), Question($0, "AAAA")] }.filter { outcomes[$0] == nil }
        return Array(all.prefix(CheckLimits.followUps(plannedQuestions: outcomes.count)))
    }

    /// The targets of one SRV answer whose addresses are checked: distinct, not `.`, in answer
    /// order, at most `CheckLimits.targetsPerName`. `targets`: lower-cased, in answer order.
    static func followedTargets(_ targets: [String]) -> [String] {
        var followed: [String] = []  // at most targetsPerName: a linear search is cheaper than a set
        for target in targets where target != "." && !followed.contains(target) {
            followed.append(target)
            if followed.count == CheckLimits.targetsPerName { break }
        }
        return followed
    }

    /// `fromZoneFiles`: the answers were read from zone files, so a target that is a planned name
    /// with the origin appended is the file mistake `name-missing-trailing-dot`, and findings
    /// point at the file lines the records came from.
    /// `rrsets`: the plan's, when the caller has them already (several servers, two rounds).
    /// `explained`: zone files only, what the file findings already say (they are worked out
    /// first); the checker's findings there are left out, and the records still get their status.
    /// `clock`: when signatures are judged, and how far ahead `dnssec-signature-expiring` looks.
    /// `zoneDNSSEC`: by zone, the verdict of the authoritative answers that carry none of
    /// their own (an unsigned zone's: judged once per zone, not per answer); `everyZoneDNSSEC`,
    /// the same for every zone at once (zone files of which none is signed).
    /// `keySets`: by zone, the verdict on its DNSKEY set (reported once at the zone's apex;
    /// zone files: at `keySetPlaces`, its DNSKEY's line).
    public static func check(plan: Plan, server: String, outcomes: [Question: QueryOutcome],
                             fromZoneFiles: Bool = false, rrsets: PlanRRsets? = nil, explained: Explained = Explained(),
                             clock: SignatureClock = SignatureClock(), zoneDNSSEC: [String: DNSSECVerdict] = [:],
                             everyZoneDNSSEC: DNSSECVerdict? = nil, keySets: [String: DNSSECVerdict] = [:],
                             keySetPlaces: [String: SourceLocation] = [:]) -> ServerCheck {
        var run = Run(rrsets: rrsets ?? PlanRRsets(plan), server: server, outcomes: outcomes, fromZoneFiles: fromZoneFiles,
                      explained: explained)
        run.clock = clock
        run.zoneDNSSEC = zoneDNSSEC
        run.everyZoneDNSSEC = everyZoneDNSSEC
        // The key sets first: a zone's bogus DNSKEY set is why every record in it is bogus, and
        // the reports keep this order (GitHub shows the first ten annotations of each level).
        run.judgeKeySets(keySets, places: keySetPlaces)
        run.checkAll()
        return ServerCheck(server: server, findings: run.findings, status: run.status, observed: run.observed,
                           observedTotal: run.observedTotal, omitted: CheckReport.summed(run.omitted), dnssec: run.dnssec)
    }
}

extension RecordChecker {
    /// What file findings say already (zone files): findings at these zone-file lines follow from
    /// the mistake there (a target written without its final dot has no address either), and
    /// the planned RRsets in `missing` are explained by a record written at the wrong name.
    public struct Explained: Sendable {
        public var locations: Set<SourceLocation> = []
        public var missing: Set<Question> = []

        public init() {}
    }
}

/// One server's check, RRset by RRset (internal only for the checks kept in files of their own).
struct Run {
    let rrsets: PlanRRsets
    var allRecords: [PlannedRecord] { rrsets.records }
    let server: String
    let outcomes: [Question: QueryOutcome]
    let fromZoneFiles: Bool
    var findings: [Finding] = []
    var status: [Int: RecordStatus] = [:]
    var observed: [Int: String] = [:]
    var observedTotal: [Int: Int] = [:]
    var dnssec: [Int: DNSSECStatus] = [:]
    var clock = SignatureClock()
    var zoneDNSSEC: [String: DNSSECVerdict] = [:]
    /// Zone files without any DNSKEY: the verdict of every authoritative answer that carries
    /// none of its own (insecure), without a lookup per answer.
    var everyZoneDNSSEC: DNSSECVerdict?
    /// Findings per rule and name so far: past `CheckLimits.findingsPerName` they are counted in
    /// `omitted` and not built (a thousand extra SRV records make a thousand findings).
    var perRuleName: [RuleName: Int] = [:]
    var omitted: [CheckReport.Omitted] = []
    struct RuleName: Hashable { let rule: String, name: String }
    var targetVerdicts: [String: TargetVerdict] = [:]
    /// The verdict asked for last: consecutive SRV records mostly share their target.
    var lastVerdict: (target: String, verdict: TargetVerdict)?
    var lastPlannedText: (data: SRVData, text: String)?
    var plannedHosts: Set<String>?

    var explained: RecordChecker.Explained
    /// The DNAME that answered the question being checked, and the name it substitutes.
    var through: (name: String, dname: DNSRecord, owner: String, target: String, substituted: String)?

    init(rrsets: PlanRRsets, server: String, outcomes: [Question: QueryOutcome], fromZoneFiles: Bool,
         explained: RecordChecker.Explained) {
        self.rrsets = rrsets
        self.server = server
        self.outcomes = outcomes
        self.fromZoneFiles = fromZoneFiles
        self.explained = explained
    }

    /// Whether a finding follows from a mistake another finding names at its zone-file line, or
    /// is a missing record that a misplaced one explains.
    func isExplained(_ rule: String, name: String, type: String, at place: SourceLocation?) -> Bool {
        if rule == "record-missing", explained.missing.contains(Question(name, type)) { return true }
        guard let place, rule != "name-missing-trailing-dot" else { return false }
        return explained.locations.contains(place)
    }

    mutating func checkAll() {
        status.reserveCapacity(allRecords.count)
        observed.reserveCapacity(allRecords.count)
        for set in rrsets.sets {
            if case .teamsOnly = allRecords[set.indices[0]].why {
                checkTeamsOnly(set.question, set.indices)
                continue
            }
            switch set.type {
            case .srv: checkSRV(set.question, set.indices)
            case .a, .aaaa: checkAddresses(set.question, set.indices)
            case .cname: break
            }
        }
        for i in allRecords.indices where status[i] == nil { status[i] = .ok }
    }

    /// Records a finding and marks the planned records it concerns. It points at `at` (the zone-file
    /// line of the record concerned) when there is one, else at the description line.
    mutating func report(_ rule: String, _ severity: Severity, name: String, type: String, _ message: String,
                         expected: String? = nil, observed seen: String? = nil, observedTotal: Int? = nil, fix: String? = nil,
                         at place: SourceLocation? = nil, wildcard: String? = nil, records: [Int], near: [Int] = []) {
        let mark: RecordStatus = rule == "query-failed" ? .unverified : RecordStatus(severity)
        var place = place, message = message, fix = fix
        if let through, through.name == name {
            // Nothing can be added below a DNAME (RFC 6672 §2.4: servers refuse such a zone):
            // what the plan wants at the name belongs at the name the DNAME substitutes.
            let dname = through.dname
            message += " (\(name) is answered through the DNAME \(through.owner) → \(through.target)\(dname.location.map { " at \($0)" } ?? ""), as \(through.substituted))"
            // Only a fix that writes a record at the name moves; one about the SRV target's
            // addresses stays as it is.
            if let written = fix, written.contains("`\(name) ") {
                fix = written.replacingOccurrences(of: "`\(name) ", with: "`\(through.substituted) ")
                    + ", at the DNAME's target (no record can sit below the DNAME \(through.owner)); or change the DNAME"
            }
            if rule == "record-missing" { place = dname.location ?? place }
        }
        // `near`: the planned records a stray record sits beside, whose line it points at
        // without changing their status.
        let origin = place ?? (records.first ?? near.first).map { allRecords[$0].origin }
        if let wildcard {
            // The record is not written at the name: the wildcard answers for it. Removing or
            // editing a record there would not help.
            message += " (answered by the wildcard \(wildcard)\(place.map { " at \($0)" } ?? ""))"
            fix = "publish the planned records at \(name) itself (they take precedence over the wildcard), or narrow the wildcard \(wildcard)"
        }
        if fromZoneFiles {
            if isExplained(rule, name: name, type: type, at: place) {
                for i in records { status[i] = min(status[i] ?? .ok, mark) }
                return
            }
            // What follows from a target written without its final dot is said by this finding.
            if rule == "name-missing-trailing-dot", let place { explained.locations.insert(place) }
        }
        for i in records { status[i] = min(status[i] ?? .ok, mark) }
        let key = RuleName(rule: rule, name: name)
        let count = perRuleName[key, default: 0] + 1
        perRuleName[key] = count
        if count > CheckLimits.findingsPerName {
            if let k = omitted.lastIndex(where: { $0.rule == rule && $0.severity == severity }) {
                omitted[k].count += 1
            } else {
                omitted.append(CheckReport.Omitted(rule: rule, severity: severity, count: 1))
            }
            return
        }
        findings.append(Finding(rule: rule, severity: severity, name: name, type: type, message: message,
                                expected: expected, observed: seen, server: fromZoneFiles ? nil : server,
                                location: origin, fix: fix, observedTotal: observedTotal))
    }

    func line(_ i: Int) -> String {
        let r = allRecords[i]
        return "\(r.name) \(r.ttl) IN \(r.type.rawValue) \(r.data)"
    }

    /// The answer to a question, or nil after reporting the failure.
    mutating func answer(_ question: Question, records: [Int]) -> Observed? {
        let name = question.name, type = question.type
        through = nil
        switch outcomes[question] {
        // One pattern for every kind of answer, told apart inside: a pattern per kind (with a
        // `where`) copied the outcome once per pattern tried, three times for the usual answer
        // (callgrind: 100 instructions an RRset saved; the lookup's own copy remains).
        case .answer(let a)?:
            if let referral = a.referral {
                // A referral may name a thousand servers: the list is cut as every list from an answer is.
                let servers = ObservedList.cut(referral.nameServers.lazy.compactMap { $0.rdata.first }).text
                if fromZoneFiles {
                    report("name-below-delegation", .error, name: name, type: type,
                           "not served by this zone: \(name) lies at or below the delegation of \(referral.zoneCut) to \(servers), so a server loading this zone answers with a referral, not the record",
                           observed: "referral to \(referral.zoneCut)",
                           fix: "publish the record in the \(referral.zoneCut) zone, or remove the delegation (the NS records of \(referral.zoneCut))",
                           at: referral.nameServers.first?.location, records: records)
                    for i in records { observed[i] = "referral to \(referral.zoneCut)" }
                    return nil
                }
                report("query-failed", .error, name: name, type: type,
                       "could not verify: the server referred the question to \(referral.zoneCut) (\(servers)) instead of answering",
                       observed: "referral", fix: "ask a resolver, or the servers of \(referral.zoneCut)", records: records)
            } else if let left = a.leftZonesAt, Observed(answer: a, name: name).records(type).isEmpty {
                // The alias leads out of the zones given: what it points to was not read.
                for i in records {
                    status[i] = .notCovered
                    observed[i] = "alias to \(left), outside the zone files given"
                }
                return nil
            } else {
                let seen = Observed(answer: a, name: name)
                through = seen.dname.map { d in
                    (name, d.record, d.owner, d.target, name.dnameSubstituted(below: d.owner, by: d.target))
                }
                // Zone files: the findings point at the RRset's line (looked up only for a finding).
                let fromFiles = fromZoneFiles
                judgeDNSSEC(a.dnssec ?? (a.authoritative ? everyZoneDNSSEC ?? (zoneDNSSEC.isEmpty ? nil : zoneDNSSEC[allRecords[records[0]].zone.description]) : nil),
                            name: name, type: type, records: records,
                            at: fromFiles ? (a.records.first { $0.type == type } ?? a.records.first)?.location : nil)
                guard let broken = seen.brokenChain else { return seen }
                report("query-failed", .error, name: name, type: type, "could not verify: \(broken)", observed: "query failed",
                       fix: "make \(name) hold its \(type) records itself, or end the chain at a name that does", records: records)
            }
        case .failed(let why)?:
            report("query-failed", .error, name: name, type: type, "could not verify: \(why)", observed: "query failed",
                   fix: Self.hint(why, server: server, name: name, type: type), records: records)
        case .notCovered?:
            for i in records {
                status[i] = .notCovered
                observed[i] = "not covered"
            }
            return nil
        case nil:
            report("query-failed", .error, name: name, type: type, "could not verify: the question was not asked",
                   records: records)
        }
        for i in records { observed[i] = "query failed" }
        return nil
    }

    mutating func checkTTL(_ name: String, _ type: String, observedTTL: UInt32, authoritative: Bool, at place: SourceLocation?,
                           records: [Int]) {
        let planned = allRecords[records[0]].ttl
        // A resolver's cache counts TTLs down; only a larger TTL, or an authoritative answer,
        // shows a real difference.
        if observedTTL == 0 && planned != 0 {
            // Not a matter of taste: a record with TTL 0 is never cached (RFC 1035 §3.2.1), so
            // every partner's lookup goes to the authoritative servers.
            report("ttl-zero", .warning, name: name, type: type,
                   "TTL is 0, the plan says \(planned): resolvers cannot cache the record (RFC 1035 §3.2.1), so every lookup by a partner goes to the authoritative servers",
                   expected: String(planned), observed: "0", fix: "set the TTL to \(planned)", at: place, records: records)
            return
        }
        guard observedTTL != planned, authoritative || observedTTL > planned else { return }
        report("ttl-mismatch", .notice, name: name, type: type, "TTL is \(observedTTL), the plan says \(planned)",
               expected: String(planned), observed: String(observedTTL), fix: "set the TTL to \(planned)", at: place,
               records: records)
    }

    /// What to do about a failed query, by why it failed: a server that answered and then went
    /// silent is pacing us, one that refuses wants an ACL, one that never answered is unreachable.
    static func hint(_ why: String, server: String, name: String, type: String) -> String {
        if why.contains("limiting the rate") {
            return "ask more slowly (--qps, --concurrency) or more patiently (--retries, --timeout), or have \(server)'s rate limit raised (Unbound ip-ratelimit, NSD and BIND rrl)"
        }
        if why.hasPrefix("lame delegation") {
            return "have every server the delegation names serve the zone, or remove the ones that do not from its NS records (at the parent and in the zone)"
        }
        if why.contains("REFUSED") {
            return "\(server) refuses the question: allow this client (access-control, allow-query), or ask a server that serves the zone"
        }
        // A resolver may send several: the most precise (6 is the generic "DNSSEC Bogus").
        let codes = ExtendedDNSError.dnssecCodes.filter { why.contains("Extended DNS Error \($0) (") }
        if let code = codes.first(where: { $0 != 6 }) ?? codes.first {
            return "the resolver's DNSSEC validation fails (Extended DNS Error \(code)), not the network: \(ExtendedDNSError.fix(code)); run without --no-dnssec to have it reported as dnssec-bogus"
        }
        if why.contains("class") || why.contains("contradictory") {
            return "\(server) answers incorrectly: ask another resolver, or have the server fixed"
        }
        return "make sure \(server) answers \(name) \(type) (firewall, forwarder, zone loaded?)"
    }

    mutating func checkSRV(_ question: Question, _ indices: [Int]) {
        let owner = question.name
        guard let seen = answer(question, records: indices) else { return }
        // The usual answer: the one planned record, exactly (at the name, or at the end of its
        // alias chain: through a DNAME). Then the general comparison below
        // finds nothing, and only the TTL and the target's addresses are left to check.
        if indices.count == 1, case .srv(let e) = allRecords[indices[0]].data, let srv = seen.soleAtEnd(.srv).flatMap(ObservedSRV.init),
           srv.target == e.target.description, srv.port == Int(e.port), srv.priority == Int(e.priority),
           srv.weight == Int(e.weight) {
            observed[indices[0]] = plannedText(e)
            checkTTL(owner, "SRV", observedTTL: srv.ttl, authoritative: seen.answer.authoritative, at: srv.location,
                     records: indices)
            checkTarget(srv.target, of: owner, at: srv.location, records: indices)
            return
        }
        let srvs = seen.records(.srv).compactMap(ObservedSRV.init)
        let expected: [(Int, SRVData)] = indices.compactMap { i in
            if case .srv(let s) = allRecords[i].data { return (i, s) }
            return nil
        }
        let planned = expected.map(\.0)
        if srvs.isEmpty {
            let absent = seen.absence("SRV")
            for (i, _) in expected {
                observed[i] = absent.short
                report("record-missing", .error, name: owner, type: "SRV", "no SRV record: \(absent.long)",
                       expected: allRecords[i].data.description, observed: absent.short,
                       fix: "add `\(line(i))`", at: seen.answer.zoneLocation, records: [i])
            }
            return
        }
        if srvs.count == 1, srvs[0].target == "." {
            for (i, _) in expected { observed[i] = srvs[0].text }
            report("srv-target-disabled", .error, name: owner, type: "SRV",
                   "the target is `.`: the record says the service is not available at this domain",
                   expected: expected.map { $0.1.target.description }.joined(separator: ", "), observed: srvs[0].text,
                   fix: "replace it with `\(line(expected[0].0))`", at: srvs[0].location, wildcard: srvs[0].wildcard,
                   records: planned)
            return
        }
        var unmatched: [Int] = []
        for (i, e) in expected {
            guard let match = srvs.first(where: { $0.target == e.target.description }) else {
                unmatched.append(i)
                continue
            }
            observed[i] = match.port == Int(e.port) && match.priority == Int(e.priority) && match.weight == Int(e.weight)
                ? plannedText(e) : match.text
            if match.port != Int(e.port) {
                report("srv-port-mismatch", .error, name: owner, type: "SRV", "port is \(match.port), the plan says \(e.port)",
                       expected: String(e.port), observed: String(match.port), fix: "replace it with `\(line(i))`",
                       at: match.location, wildcard: match.wildcard, records: [i])
            }
            if match.priority != Int(e.priority) || match.weight != Int(e.weight) {
                report("srv-priority-weight-mismatch", .warning, name: owner, type: "SRV",
                       "priority/weight are \(match.priority) \(match.weight), the plan says \(e.priority) \(e.weight)",
                       expected: "\(e.priority) \(e.weight)", observed: "\(match.priority) \(match.weight)",
                       fix: "replace it with `\(line(i))`", at: match.location, wildcard: match.wildcard, records: [i])
            }
        }
        var extras = srvs.filter { srv in !expected.contains { $0.1.target.description == srv.target } }
        // Cut once for every unmatched record: a server may send a thousand.
        let others: (text: String, total: Int?) = unmatched.isEmpty ? ("", nil) : ObservedList.cut(extras.lazy.map(\.text))
        let otherTargets = unmatched.isEmpty ? "" : ObservedList.cut(extras.lazy.map(\.target)).text
        for i in unmatched {
            observed[i] = others.text
            observedTotal[i] = others.total
            // `sip.contoso.com.fabrikam.com.` is `sip.contoso.com` written without its final
            // dot in the fabrikam.com zone file.
            let plannedTarget = srvTarget(i)
            let dotted = extras.first { $0.target.hasPrefix(plannedTarget) && $0.target.count > plannedTarget.count }
            if fromZoneFiles, let dotted {
                report("name-missing-trailing-dot", .error, name: owner, type: "SRV",
                       "the target \(dotted.target) is \(plannedTarget) written without its final dot, so the origin was appended",
                       expected: allRecords[i].data.description, observed: dotted.text,
                       fix: "write the target as `\(plannedTarget)` (with the final dot)", at: dotted.location, records: [i])
                continue
            }
            let dotHint = dotted != nil ? " (a missing trailing dot in the zone file?)" : ""
            report("srv-target-mismatch", .error, name: owner, type: "SRV",
                   "points at \(otherTargets), the plan says \(plannedTarget)\(dotHint)",
                   expected: allRecords[i].data.description, observed: others.text, observedTotal: others.total,
                   fix: "replace it with `\(line(i))`", at: extras.first?.location, wildcard: extras.first?.wildcard,
                   records: [i])
        }
        // One wrong record where one was planned is a mismatch, already said; more are extras.
        if unmatched.count == 1 && extras.count == 1 { extras = [] }
        for extra in extras {
            report("srv-unexpected-target", .error, name: owner, type: "SRV",
                   "an extra record points at \(extra.target), which the plan does not have (a retired Edge?)",
                   observed: extra.text, fix: "remove `\(owner) IN SRV \(extra.text)`", at: extra.location,
                   wildcard: extra.wildcard, records: [], near: planned)
        }
        checkTTL(owner, "SRV", observedTTL: srvs[0].ttl, authoritative: seen.answer.authoritative, at: srvs[0].location,
                 records: planned)
        let followed = RecordChecker.followedTargets(srvs.map(\.target))
        for target in followed {
            checkTarget(target, of: owner, at: srvs.first { $0.target == target }?.location, records: planned)
        }
        let targets = srvs.count > followed.count ? Set(srvs.map(\.target)).subtracting(["."]).count : followed.count
        if targets > followed.count {
            report("srv-too-many-targets", .warning, name: owner, type: "SRV",
                   "\(srvs.count) SRV records with \(targets) targets; the addresses of the first \(followed.count) were checked",
                   observed: "\(srvs.count) records", fix: "remove the SRV records the plan does not have",
                   at: srvs[0].location, records: planned)
        }
    }

    /// The presentation of planned SRV data, which is what was seen when the answer matches
    /// it: formatted once for a run of records with the same data (a hosting plan's 20,000).
    mutating func plannedText(_ data: SRVData) -> String {
        if let last = lastPlannedText, last.data == data { return last.text }
        let text = RecordData.srv(data).description
        lastPlannedText = (data, text)
        return text
    }

    func srvTarget(_ i: Int) -> String {
        if case .srv(let s) = allRecords[i].data { return s.target.description }
        return ""
    }

    /// What the A and AAAA answers say about an SRV target.
    enum TargetVerdict {
        case fine
        case alias([String])
        case noAddress(String)
        /// A target the plan does not have, whose address question failed: nothing else
        /// reports that failure, so the SRV record is unverified.
        case unverified(String)
    }

    /// Judged once per target: in a hosting plan, thousands of SRV records share one target.
    mutating func targetVerdict(_ target: String) -> TargetVerdict {
        if let last = lastVerdict, last.target == target { return last.verdict }
        defer { lastVerdict = (target, targetVerdicts[target]!) }
        if let known = targetVerdicts[target] { return known }
        let replies = ["A", "AAAA"].compactMap { type -> Observed? in
            if case .answer(let a)? = outcomes[Question(target, type)], a.referral == nil { return Observed(answer: a, name: target) }
            return nil
        }
        var verdict = TargetVerdict.fine
        if replies.count < 2, let why = failure(of: target), !isPlannedHost(target) {
            verdict = .unverified(why)
        } else if replies.count == 2 {  // a planned host's failed or referred lookup is reported on the host itself
            if let chain = replies.first(where: { !$0.aliases.isEmpty })?.aliases {
                verdict = .alias(chain)
            } else if replies.allSatisfy({ $0.records(.a).isEmpty && $0.records(.aaaa).isEmpty }) {
                verdict = .noAddress(replies[0].absence("A").short)
            }
        }
        targetVerdicts[target] = verdict
        return verdict
    }

    /// Why the A or AAAA question about a name failed, if one did.
    func failure(of name: String) -> String? {
        for type in ["A", "AAAA"] {
            if case .failed(let why)? = outcomes[Question(name, type)] { return why }
        }
        return nil
    }

    /// Whether the plan has address records at `name` (their questions are its own, and so are
    /// their failures). Worked out on the first failed target lookup only.
    mutating func isPlannedHost(_ name: String) -> Bool {
        if plannedHosts == nil {
            plannedHosts = Set(rrsets.sets.lazy.filter { $0.type == .a || $0.type == .aaaa }.map(\.question.name))
        }
        return plannedHosts!.contains(name)
    }

    /// RFC 2782: an SRV target must have addresses and must not be an alias.
    mutating func checkTarget(_ target: String, of owner: String, at place: SourceLocation?, records: [Int]) {
        switch targetVerdict(target) {
        case .fine:
            break
        case .unverified(let why):
            report("query-failed", .error, name: owner, type: "SRV",
                   "could not verify the addresses of the target \(target): \(why)", observed: "query failed",
                   fix: Self.hint(why, server: server, name: target, type: "A"), at: place, records: records)
        case .alias(let chain):
            report("srv-target-cname", .error, name: owner, type: "SRV",
                   "the target \(target) is an alias (CNAME to \(chain.joined(separator: " → "))); RFC 2782 forbids aliases as SRV targets",
                   observed: "\(target) CNAME \(chain[0])",
                   fix: "point the SRV record at \(chain.last!), or replace the CNAME with A/AAAA records", at: place,
                   records: records)
        case .noAddress(let absence):
            if let meant = RelativeTarget.meant(target, planned: records.map(srvTarget), zone: allRecords[records[0]].zone.description) {
                report("srv-target-no-address", .error, name: owner, type: "SRV",
                       "the target \(target) has no A or AAAA record (\(absence)); it looks like \(meant) written without its final dot, so the zone's origin was appended to a relative name",
                       observed: absence, fix: "write the target as `\(meant)` (with the final dot)", at: place,
                       records: records)
                return
            }
            report("srv-target-no-address", .error, name: owner, type: "SRV",
                   "the target \(target) has no A or AAAA record (\(absence))",
                   observed: absence, fix: "publish A/AAAA records for \(target)", at: place,
                   records: records)
        }
    }

    mutating func checkAddresses(_ question: Question, _ indices: [Int]) {
        let host = question.name, type = question.type
        guard let seen = answer(question, records: indices) else { return }
        let found = seen.records(type)
        let observedIPs = found.compactMap(\.address)
        if observedIPs.isEmpty {
            let absent = seen.absence(type)
            for i in indices {
                observed[i] = absent.short
                report("record-missing", .error, name: host, type: type, "no \(type) record: \(absent.long)",
                       expected: allRecords[i].data.description, observed: absent.short, fix: "add `\(line(i))`",
                       at: seen.answer.zoneLocation, records: [i])
            }
            return
        }
        let planned: [(Int, IPAddress)] = indices.compactMap { i in
            if case .address(let ip) = allRecords[i].data { return (i, ip) }
            return nil
        }
        let published = Set(observedIPs)
        var observedList: (text: String, total: Int?)?
        for (i, ip) in planned {
            if published.contains(ip) {
                observed[i] = ip.description
            } else {
                let list = observedList ?? ObservedList.cut(observedIPs.map(\.description).sorted())
                observedList = list
                observed[i] = list.text
                observedTotal[i] = list.total
                report("address-missing", .error, name: host, type: type, "\(ip) is not published (found \(list.text))",
                       expected: ip.description, observed: list.text, observedTotal: list.total, fix: "add `\(line(i))`",
                       at: found[0].location, wildcard: found[0].wildcard, records: [i])
            }
        }
        let plannedIPs = Set(planned.map(\.1))
        let addressRecords = found.filter { $0.address != nil }
        for (ip, record) in zip(observedIPs, addressRecords) where !plannedIPs.contains(ip) {
            report("address-unexpected", .error, name: host, type: type,
                   "\(ip) is published but not planned\(record.wildcard == nil ? " (a retired Edge server?)" : "")",
                   observed: ip.description, fix: "remove `\(host) IN \(type) \(ip)`", at: record.location,
                   wildcard: record.wildcard, records: [], near: planned.map(\.0))
        }
        for (ip, record) in zip(observedIPs, addressRecords) {
            if let sentence = ip.unreachableSentence {
                report("address-private", .warning, name: host, type: type, sentence, observed: ip.description,
                       fix: "publish the public address", at: record.location,
                       records: planned.filter { $0.1 == ip }.map(\.0))
            }
        }
        checkTTL(host, type, observedTTL: found[0].ttl, authoritative: seen.answer.authoritative, at: found[0].location,
                 records: indices)
    }
}
