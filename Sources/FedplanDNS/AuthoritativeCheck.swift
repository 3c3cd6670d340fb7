import FedplanCore

/// `dns check --authoritative`: for each zone, its NS set (through the resolver), every
/// address of every NS, and each address asked directly without recursion. Answers are
/// compared between the servers, and so are SOA serials (RFC 1982).
public enum AuthoritativeCheck {
    public static func run(plan: Plan, description: String, resolvers: [ServerAddress], options: QueryOptions,
                           port: UInt16 = 53) -> CheckReport {
        let engine = QueryEngine(options: options)
        var reports: [CheckReport] = []
        for zone in plan.zones {
            let name = zone.zone.description
            let zonePlan = Plan(zones: [zone])
            let servers = nameServers(of: name, resolvers: resolvers, engine: engine, port: port)
            guard !servers.addresses.isEmpty else {
                reports.append(unverified(zonePlan, description: description, why: servers.problem))
                continue
            }
            var direct = options
            direct.recursionDesired = false
            let report = LiveCheck.run(plan: zonePlan, description: description, servers: servers.addresses,
                                       options: direct, followUpsInside: zone.zone)
            var withSerials = report
            withSerials.findings += serials(zone: name, servers: servers.addresses, options: direct)
            reports.append(withSerials)
        }
        return CheckReport.merge(reports, description: description)
    }

    /// The NS set of a zone and every address of every name server, as the resolvers see them.
    static func nameServers(of zone: String, resolvers: [ServerAddress], engine: QueryEngine,
                            port: UInt16) -> (addresses: [ServerAddress], problem: String) {
        let nsQueries = resolvers.map { Query(Question(zone, "NS"), to: $0) }
        var names: Set<String> = []
        var problem = "no resolver returned an NS set for \(zone)"
        for (_, outcome) in engine.run(nsQueries) {
            switch outcome {
            case .answer(let a):
                for r in a.records where r.type == "NS" { if let ns = r.rdata.first { names.insert(ns.lowercased()) } }
            case .failed(let why):
                problem = "cannot find the NS set of \(zone): \(why)"
            case .notCovered:
                break  // zone files only
            }
        }
        // Bounded (CheckLimits): a zone with a thousand NS records, each with dozens of
        // addresses, must not turn one check into tens of thousands of queries.
        let asked = names.sorted().prefix(CheckLimits.nameServersPerZone)
        // -4 / -6: only the addresses of that version are asked for.
        let types = [("A", IPAddress.Version.v4), ("AAAA", .v6)].filter { engine.options.ipVersion ?? $0.1 == $0.1 }.map(\.0)
        let addressQueries = asked.flatMap { ns in resolvers.prefix(1).flatMap { r in
            types.map { Query(Question(ns, $0), to: r) } } }
        let answers = engine.run(addressQueries)
        var addresses: [ServerAddress] = []
        for ns in asked {
            var mine: [ServerAddress] = []
            for query in addressQueries where query.question.name == ns {
                guard case .answer(let a)? = answers[query] else { continue }
                for r in a.records where r.type == query.question.type && mine.count < CheckLimits.addressesPerNameServer {
                    guard let ip = r.rdata.first.flatMap(IPAddress.init) else { continue }
                    let server = ServerAddress(address: ip, port: port)
                    if !mine.contains(server) && !addresses.contains(server) { mine.append(server) }
                }
            }
            addresses += mine
        }
        if addresses.isEmpty, !asked.isEmpty, let version = engine.options.ipVersion {
            problem = "no name server of \(zone) has an \(version.rawValue) address (-\(version == .v4 ? "4" : "6"))"
        }
        return (addresses, problem)
    }

    static func serials(zone: String, servers: [ServerAddress], options: QueryOptions) -> [Finding] {
        let queries = servers.map { Query(Question(zone, "SOA"), to: $0) }
        let outcomes = QueryEngine(options: options).run(queries)
        let serials: [(String, UInt32)] = servers.compactMap { server in
            guard case .answer(let a)? = outcomes[Query(Question(zone, "SOA"), to: server)],
                  let soa = a.records.first(where: { $0.type == "SOA" }), soa.rdata.count >= 3,
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
