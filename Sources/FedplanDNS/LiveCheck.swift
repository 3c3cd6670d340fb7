import FedplanCore

/// `dns check` against live servers: two rounds of queries (the planned RRsets, then the
/// addresses of every SRV target seen), all servers at once, then the pure checker.
public enum LiveCheck {
    /// `followUpsInside`: ask for SRV target addresses only inside this zone (authoritative
    /// servers answer for their own zone only).
    public static func run(plan: Plan, description: String, servers: [ServerAddress], options: QueryOptions,
                           followUpsInside: DomainName? = nil) -> CheckReport {
        let engine = QueryEngine(options: options)
        let first = RecordChecker.questions(for: plan)
        var outcomes = ask(engine, first, servers)
        var followUps: [ServerAddress: [Question]] = [:]
        for server in servers {
            followUps[server] = RecordChecker.followUps(for: plan, outcomes: outcomes[server] ?? [:]).filter { q in
                guard let zone = followUpsInside else { return true }
                return q.name == zone.description || q.name.hasSuffix("." + zone.description)
            }
        }
        let second = engine.run(servers.flatMap { s in followUps[s, default: []].map { Query($0, to: s) } })
        for (query, outcome) in second { outcomes[query.server, default: [:]][query.question] = outcome }
        let perServer = servers.map { (server: $0.description, outcomes: outcomes[$0] ?? [:]) }
        let checks = perServer.map { RecordChecker.check(plan: plan, server: $0.server, outcomes: $0.outcomes) }
        return CheckReport.combine(description: description, plan: plan, checks: checks, outcomes: perServer)
    }

    static func ask(_ engine: QueryEngine, _ questions: [Question], _ servers: [ServerAddress]) -> [ServerAddress: [Question: QueryOutcome]] {
        // Interleave servers so that every server gets work from the start.
        let queries = questions.flatMap { q in servers.map { Query(q, to: $0) } }
        var byServer: [ServerAddress: [Question: QueryOutcome]] = [:]
        for (query, outcome) in engine.run(queries) { byServer[query.server, default: [:]][query.question] = outcome }
        return byServer
    }
}
