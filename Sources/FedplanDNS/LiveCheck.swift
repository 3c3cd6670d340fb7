import FedplanCore

/// `dns check` against live servers: two rounds of queries (the planned RRsets, then the
/// addresses of every SRV target seen), all servers at once, then the pure checker. No query
/// names anything above the plan's zones (`ZoneBounds`).
public enum LiveCheck {
    /// `followUpsInside`: ask for SRV target addresses only inside this zone (authoritative
    /// servers answer for their own zone only). `engine`: the check's engine, when the caller
    /// asks other queries too (one progress line for all). `firstRound`: the planned questions'
    /// outcomes, when the caller has asked them already (`AuthoritativeCheck`, to find zone cuts).
    public static func run(plan: Plan, description: String, servers: [ServerAddress], options: QueryOptions,
                           followUpsInside: DomainName? = nil, engine: QueryEngine? = nil,
                           firstRound: [ServerAddress: [Question: QueryOutcome]]? = nil) -> CheckReport {
        var servers = servers
        servers.removeDuplicates()  // `--resolver` given twice: asked, checked and reported once
        let engine = engine ?? QueryEngine(options: options)
        let rrsets = PlanRRsets(plan)
        let bounds = ZoneBounds(plan)
        let clock = options.trustChain?.clock ?? SignatureClock()
        var zoneDNSSEC: [String: DNSSECVerdict] = [:]
        var outcomes = firstRound ?? ask(engine, rrsets.questions, servers)
        if let chain = options.trustChain {
            // DNSSEC: each zone's DNSKEY set, once per zone, of the servers that answered for it
            // (a resolver, which does not, is judged by its AD bit); then every answer's verdict.
            let answering = servers.filter { server in
                (outcomes[server] ?? [:]).values.contains { if case .answer(let a) = $0 { a.authoritative && a.referral == nil } else { false } }
            }
            chain.prepare(zones: plan.zones.map(\.zone.description), servers: answering, engine: engine)
            chain.judge(&outcomes)
            zoneDNSSEC = chain.zoneVerdicts
        }
        var followUps: [ServerAddress: [Question]] = [:]
        for server in servers {
            var asked: [Question] = []
            for q in RecordChecker.followUps(for: plan, outcomes: outcomes[server] ?? [:], rrsets: rrsets) {
                if let zone = followUpsInside, q.name != zone.description && !q.name.hasSuffix("." + zone.description) { continue }
                // An SRV target above the zones (`com.`): never asked; the SRV is unverified.
                if let apex = bounds.below(q.name) {
                    outcomes[server, default: [:]][q] = .failed("not asked: \(q.name) lies above the zone \(apex) being checked")
                    continue
                }
                asked.append(q)
            }
            followUps[server] = asked
        }
        let second = engine.run(servers.flatMap { s in followUps[s, default: []].map { Query($0, to: s) } })
        for (query, outcome) in second { outcomes[query.server, default: [:]][query.question] = outcome }
        var perServer = servers.map { (server: $0.description, outcomes: outcomes[$0] ?? [:]) }
        var checks = perServer.map {
            RecordChecker.check(plan: plan, server: $0.server, outcomes: $0.outcomes, rrsets: rrsets, clock: clock, zoneDNSSEC: zoneDNSSEC)
        }
        // Findings about data: was it a wildcard's? A third round, then the check again.
        let label = "fedplan-probe-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let probes = zip(servers, checks).flatMap { server, check in
            WildcardProbe.questions(findings: check.findings, outcomes: outcomes[server] ?? [:], label: label,
                                    apex: bounds.apex).map { Query($0, to: server) }
        }
        if !probes.isEmpty {
            // Lookups: a probe without an answer leaves the finding as the answer gave it.
            for (query, outcome) in engine.run(probes, lookups: true) { outcomes[query.server, default: [:]][query.question] = outcome }
            for (k, server) in servers.enumerated() {
                let marked = WildcardProbe.mark(outcomes[server] ?? [:], findings: checks[k].findings, label: label)
                perServer[k].outcomes = marked
                checks[k] = RecordChecker.check(plan: plan, server: perServer[k].server, outcomes: marked, rrsets: rrsets,
                                                clock: clock, zoneDNSSEC: zoneDNSSEC)
            }
        }
        let report = CheckReport.combine(description: description, plan: plan, checks: checks, outcomes: perServer)
        if options.processEndsAfter {
            for leftover in [outcomes, perServer, engine, checks] as [Any] { Leftovers.keep(leftover) }
        }
        return report
    }

    static func ask(_ engine: QueryEngine, _ questions: [Question], _ servers: [ServerAddress]) -> [ServerAddress: [Question: QueryOutcome]] {
        // Interleave servers so that every server gets work from the start. The questions and
        // the servers are distinct (`run` made them so), and so are the queries.
        let queries = questions.flatMap { q in servers.map { Query(q, to: $0) } }
        let outcomes = engine.run(distinct: queries)
        var byServer: [ServerAddress: [Question: QueryOutcome]] = [:]
        for (k, server) in servers.enumerated() {
            var answers: [Question: QueryOutcome] = [:]
            answers.reserveCapacity(questions.count)
            for (q, question) in questions.enumerated() { answers[question] = outcomes[q * servers.count + k] }
            byServer[server] = answers
        }
        return byServer
    }
}

extension Array where Element: Equatable {
    /// Keeps the first of equal elements, in order (for short lists: a linear search each).
    mutating func removeDuplicates() {
        var kept: [Element] = []
        for e in self where !kept.contains(e) { kept.append(e) }
        self = kept
    }
}
