import FedplanCore

/// `dns check --authoritative`: for each zone, its NS set (through the resolver), every
/// address of every NS, and each address asked directly without recursion. Answers are
/// compared between the servers, and so are SOA serials (RFC 1982).
///
/// Zone cuts are found, not assumed from `zones:`: when a zone's servers refer a planned name
/// to the servers of a zone below (a delegation, RFC 1034 §4.3.2), the records at and below
/// the cut are checked at the child's servers, named by the referral (every address of every
/// NS: the glue in the referral, else resolved through the resolvers; bounded as the NS set is).
/// A listed server that answers REFUSED for its own zone, or refers the question upward, is a
/// lame delegation.
public enum AuthoritativeCheck {
    /// Zone cuts followed below a zone of the plan, one below the other (a hostile server could
    /// refer each question one label further down).
    static let cutsFollowed = 4

    /// `engine`: the check's engine, when the caller asks more (`--partners`); its options are
    /// `options` again when this returns.
    public static func run(plan: Plan, description: String, resolvers: [ServerAddress], options: QueryOptions,
                           port: UInt16 = 53, engine: QueryEngine? = nil) -> CheckReport {
        // One engine for every query of the check: one progress line, counted once.
        let engine = engine ?? QueryEngine(options: options)
        defer { engine.options = options }
        var reports: [CheckReport] = []
        for zone in plan.zones {
            let name = zone.zone.description
            engine.options.recursionDesired = options.recursionDesired
            let servers = nameServers(of: name, resolvers: resolvers, engine: engine, port: port)
            let zonePlan = Plan(zones: [zone])
            guard !servers.addresses.isEmpty else {
                reports.append(unverified(zonePlan, description: description, why: servers.problem))
                continue
            }
            // It has an NS set: a zone, whatever the description assumed.
            var known = zone
            known.assumed = false
            reports += check(known, servers: servers, description: description, resolvers: resolvers, engine: engine,
                             port: port, depth: 0)
        }
        return CheckReport.merge(reports, description: description)
    }

    /// The name servers of a zone: their addresses, and the name each address was found for.
    struct Servers {
        var addresses: [ServerAddress] = []
        var names: [ServerAddress: String] = [:]
        var problem = ""

        /// `ns1.contoso.com. (192.0.2.53)`, as a lame delegation names it.
        func label(_ server: ServerAddress) -> String {
            names[server].map { "\($0) (\(server))" } ?? server.description
        }
    }

    /// Checks one zone's records at its servers. Records the servers refer to a zone cut below
    /// are checked at the cut's servers instead, one report per zone.
    static func check(_ zone: ZonePlan, servers: Servers, description: String, resolvers: [ServerAddress],
                      engine: QueryEngine, port: UInt16, depth: Int) -> [CheckReport] {
        let apex = zone.zone.description
        var direct = engine.options
        direct.recursionDesired = false
        engine.options = direct
        let rrsets = PlanRRsets(Plan(zones: [zone]))
        var outcomes = LiveCheck.ask(engine, rrsets.questions, servers.addresses)
        // The cuts below the apex that planned names were referred to, with what each referral said.
        var cuts: [String: [Referral]] = [:]
        for server in servers.addresses {
            for (question, outcome) in outcomes[server] ?? [:] {
                guard case .answer(let a) = outcome, let referral = a.referral else { continue }
                let cut = referral.zoneCut.dnsLowercased
                if cut != apex && cut.hasSuffix("." + apex) && depth < cutsFollowed {
                    cuts[cut, default: []].append(referral)
                } else if !(cut != apex && cut.hasSuffix("." + apex)) {
                    outcomes[server]![question] = .failed(lame(servers.label(server), zone: apex,
                                                               "refers the question to \(Escape.text(referral.zoneCut)) instead of answering for its own zone"))
                }
            }
        }
        for server in servers.addresses {
            for (question, outcome) in outcomes[server] ?? [:] {
                // (Extended DNS Errors may follow the rcode in the message.)
                if case .failed(let why) = outcome, why.hasPrefix("the server answered REFUSED") {
                    outcomes[server]![question] = .failed(lame(servers.label(server), zone: apex, "answers REFUSED"))
                }
            }
        }
        // The deepest cut first: a name below two cuts belongs to the lower one.
        let order = cuts.keys.sorted { ($0.count, $0) > ($1.count, $1) }
        var below: [[PlannedRecord]] = Array(repeating: [], count: order.count)
        var here: [PlannedRecord] = []
        for record in zone.records {
            let name = record.name.description
            if let k = order.firstIndex(where: { name == $0 || name.hasSuffix("." + $0) }) {
                below[k].append(record)
            } else {
                here.append(record)
            }
        }
        var reports: [CheckReport] = []
        if !here.isEmpty {
            let plan = Plan(zones: [ZonePlan(zone: zone.zone, records: here, assumed: zone.assumed)])
            let questions = Set(PlanRRsets(plan).questions)
            let first = outcomes.mapValues { $0.filter { questions.contains($0.key) } }
            var report = LiveCheck.run(plan: plan, description: description, servers: servers.addresses, options: direct,
                                       followUpsInside: zone.zone, engine: engine, firstRound: first)
            report.findings += serials(zone: apex, servers: servers.addresses, engine: engine)
            reports.append(report)
        }
        for (k, cut) in order.enumerated() where !below[k].isEmpty {
            guard case .success(let name) = DomainName.parse(cut, allowUnderscore: true) else {
                reports.append(unverified(Plan(zones: [ZonePlan(zone: zone.zone, records: below[k])]), description: description,
                                          why: "the servers of \(apex) refer it to \(Escape.text(cut)), which is not a usable zone name"))
                continue
            }
            let child = ZonePlan(zone: name, records: below[k])
            let childServers = referredServers(cut, cuts[cut]!, resolvers: resolvers, engine: engine, port: port)
            engine.options = direct
            guard !childServers.addresses.isEmpty else {
                reports.append(unverified(Plan(zones: [child]), description: description, why: childServers.problem))
                continue
            }
            reports += check(child, servers: childServers, description: description, resolvers: resolvers, engine: engine,
                             port: port, depth: depth + 1)
        }
        return reports
    }

    /// "lame delegation: ns1.contoso.com. (192.0.2.53) is a name server of contoso.com. but …"
    static func lame(_ server: String, zone: String, _ what: String) -> String {
        "lame delegation: \(server) is a name server of \(zone) but \(what)"
    }

    /// The servers a referral names: every name server (in name order, at most
    /// `CheckLimits.nameServersPerZone`), with its glue, or else its addresses through the
    /// resolvers (at most `CheckLimits.addressesPerNameServer` each).
    static func referredServers(_ cut: String, _ referrals: [Referral], resolvers: [ServerAddress], engine: QueryEngine,
                                port: UInt16) -> Servers {
        var names: Set<String> = []
        var glue: [String: [IPAddress]] = [:]
        for referral in referrals {
            for ns in referral.nameServers { if let n = ns.target { names.insert(n) } }
            for g in referral.glue {
                guard let ip = g.address else { continue }
                if !(glue[g.owner.dnsLowercased]?.contains(ip) ?? false) { glue[g.owner.dnsLowercased, default: []].append(ip) }
            }
        }
        let asked = Array(names.sorted().prefix(CheckLimits.nameServersPerZone))
        let unglued = asked.filter { glue[$0] == nil }
        var resolved: [String: [IPAddress]] = [:]
        if !unglued.isEmpty {
            engine.options.recursionDesired = true
            resolved = addresses(of: unglued, resolvers: resolvers, engine: engine)
        }
        var servers = Servers(problem: "the referral to \(Escape.text(cut)) names no name server with an address")
        for ns in asked {
            var mine = 0
            // -4 / -6: glue of the other version is not used either.
            for ip in glue[ns] ?? resolved[ns] ?? [] where mine < CheckLimits.addressesPerNameServer
                && engine.options.ipVersion?.allows(ip) ?? true {
                let server = ServerAddress(address: ip, port: port)
                guard servers.names[server] == nil else { continue }
                servers.addresses.append(server)
                servers.names[server] = ns
                mine += 1
            }
        }
        return servers
    }

    /// The NS set of a zone and every address of every name server, as the resolvers see them.
    static func nameServers(of zone: String, resolvers: [ServerAddress], engine: QueryEngine, port: UInt16) -> Servers {
        let nsQueries = resolvers.map { Query(Question(zone, "NS"), to: $0) }
        var names: Set<String> = []
        var servers = Servers(problem: "no resolver returned an NS set for \(zone)")
        for (_, outcome) in engine.run(nsQueries, lookups: true) {
            switch outcome {
            case .answer(let a):
                for r in a.records where r.code == .ns { if let ns = r.target { names.insert(ns) } }
            case .failed(let why):
                servers.problem = "cannot find the NS set of \(zone): \(why)"
            case .notCovered:
                break  // zone files only
            }
        }
        // Bounded (CheckLimits): a zone with a thousand NS records, each with dozens of
        // addresses, must not turn one check into tens of thousands of queries.
        let asked = Array(names.sorted().prefix(CheckLimits.nameServersPerZone))
        let found = addresses(of: asked, resolvers: resolvers, engine: engine)
        for ns in asked {
            var mine = 0
            for ip in found[ns] ?? [] where mine < CheckLimits.addressesPerNameServer {
                let server = ServerAddress(address: ip, port: port)
                guard servers.names[server] == nil else { continue }
                servers.addresses.append(server)
                servers.names[server] = ns
                mine += 1
            }
        }
        if servers.addresses.isEmpty, !asked.isEmpty, let version = engine.options.ipVersion {
            servers.problem = "no name server of \(zone) has an \(version.rawValue) address (-\(version == .v4 ? "4" : "6"))"
        }
        return servers
    }

    /// The A and AAAA addresses of each name, through the first resolver, distinct, in answer order.
    static func addresses(of names: [String], resolvers: [ServerAddress], engine: QueryEngine) -> [String: [IPAddress]] {
        // -4 / -6: only the addresses of that version are asked for.
        let types = [("A", IPAddress.Version.v4), ("AAAA", .v6)].filter { engine.options.ipVersion ?? $0.1 == $0.1 }.map(\.0)
        let queries = names.flatMap { ns in resolvers.prefix(1).flatMap { r in types.map { Query(Question(ns, $0), to: r) } } }
        let answers = engine.run(queries, lookups: true)
        var result: [String: [IPAddress]] = [:]
        for query in queries {
            guard case .answer(let a)? = answers[query] else { continue }
            let code = RRType(mnemonic: query.question.type)
            for r in a.records where r.isOf(code, named: query.question.type) {
                guard let ip = r.address else { continue }
                if !(result[query.question.name]?.contains(ip) ?? false) { result[query.question.name, default: []].append(ip) }
            }
        }
        return result
    }

    static func serials(zone: String, servers: [ServerAddress], engine: QueryEngine) -> [Finding] {
        let queries = servers.map { Query(Question(zone, "SOA"), to: $0) }
        let outcomes = engine.run(queries, lookups: true)
        let serials: [(String, UInt32)] = servers.compactMap { server in
            guard case .answer(let a)? = outcomes[Query(Question(zone, "SOA"), to: server)],
                  let soa = a.records.first(where: { $0.code == .soa }), soa.rdata.count >= 3,
                  let serial = UInt32(soa.rdata[2]) else { return nil }
            return (server.description, serial)
        }
        return SerialArithmetic.findings(zone: zone, serials: serials)
    }

    static func unverified(_ plan: Plan, description: String, why: String) -> CheckReport {
        let outcomes: [Question: QueryOutcome] = Dictionary(uniqueKeysWithValues: RecordChecker.questions(for: plan).map {
            ($0, QueryOutcome.failed(why))
        })
        let check = RecordChecker.check(plan: plan, server: "authoritative servers", outcomes: outcomes)
        return CheckReport.combine(description: description, plan: plan, checks: [check],
                                   outcomes: [(server: "authoritative servers", outcomes: outcomes)])
    }
}
