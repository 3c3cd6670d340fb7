/// Works out the federation DNS records (README, "A short tour") from a deployment and groups them into zones.
public enum Planner {
    static let sipFederationSource = "\(PublicSources.federationPlanning): _sipfederationtls._tcp SRV, port 5061, target the Access Edge"
    static let xmppSource = "\(PublicSources.xmppDNSSummary); RFC 6120 §3.2: _xmpp-server._tcp SRV, port 5269"
    static let hostSource = "\(PublicSources.federationPlanning): one A/AAAA record per Edge server (DNS LB) or per VIP (hardware LB)"
    static let remoteSource = "\(PublicSources.remoteAccess): _sip._tls SRV 443 and sip.<domain>"
    static let reverseProxySource = "\(PublicSources.dnsRequirements): external web services, lyncdiscover, meet and dialin to the reverse proxy"
    static let teamsOnlySource = "\(PublicSources.teamsOnlyDNS): Microsoft 365's values for a Teams Only domain"
    static let hybridSource = "\(PublicSources.hybrid); \(sipFederationSource)"

    /// A hybrid domain's record keeps its on-premises reason and says that hybrid keeps it there.
    static func hosted(_ reason: RecordReason, _ hosting: DomainHosting) -> RecordReason {
        hosting == .hybrid ? .hybrid(reason) : reason
    }

    /// The plan, or the problems that keep records from being placed in a zone.
    public static func plan(_ deployment: Deployment) throws(DiagnosticList) -> Plan {
        var builder = RecordListBuilder(ttl: deployment.ttl)
        builder.reserve(2 * deployment.sipDomains.count + (deployment.federation.xmpp?.domains.count ?? 0)
                        + 4 * deployment.edge.servers.count)
        let edge = deployment.edge
        let accessEdge = edge.accessEdge.value
        let srv = deployment.srv
        let pool = poolDescription(edge)
        let pushDomains = Set(deployment.federation.sip.mobilePush)

        for domain in deployment.sipDomains {
            let d = domain.value
            let hosting = deployment.hosting(of: d)
            if hosting == .teamsOnly {
                for record in TeamsOnlyRecord.allCases {
                    builder.add(d.prepending(record.label), record.data, why: .teamsOnly(domain: d, record: record),
                                source: teamsOnlySource, origin: deployment.domainSettings[d]?.location ?? domain.location)
                }
                continue
            }
            let discoverable = deployment.federation.sip.discoverable
            if discoverable || pushDomains.contains(d) {
                builder.add(d.prepending("_sipfederationtls._tcp"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 5061, target: deployment.accessEdge(for: d))),
                            why: hosted(.sipFederation(domain: d, discoverable: discoverable), hosting),
                            source: hosting == .hybrid ? hybridSource : sipFederationSource, origin: domain.location)
            }
        }
        if let xmpp = deployment.federation.xmpp {
            for d in xmpp.domains {
                builder.add(d.prepending("_xmpp-server._tcp"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 5269, target: xmpp.proxy.value)),
                            why: hosted(.xmppFederation(domain: d), deployment.hosting(of: d)), source: xmppSource,
                            origin: xmpp.location)
            }
        }
        if deployment.remoteAccess {
            for domain in deployment.sipDomains where deployment.hosting(of: domain.value) != .teamsOnly {
                let d = domain.value
                builder.add(d.prepending("_sip._tls"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 443, target: deployment.accessEdge(for: d))),
                            why: hosted(.remoteAccess(domain: d), deployment.hosting(of: d)), source: remoteSource,
                            origin: domain.location)
            }
        }
        for server in edge.servers {
            builder.addHost(accessEdge, server, \.accessIPs, role: "Access Edge address", pool: pool, source: hostSource)
        }
        // A SIP domain's own name on the Access Edge (`access_edge:` in its sip_domains entry).
        for domain in deployment.sipDomains {
            guard let own = deployment.domainSettings[domain.value]?.accessEdge, own.value != accessEdge else { continue }
            for server in edge.servers {
                builder.addHost(own.value, server, \.accessIPs, role: "Access Edge name of \(domain.value.text)",
                                pool: "target of its SRV records, \(pool)", source: hostSource)
            }
        }
        if let xmpp = deployment.federation.xmpp, xmpp.proxy.value != accessEdge {
            for server in edge.servers {
                builder.addHost(xmpp.proxy.value, server, \.accessIPs, role: "XMPP proxy on the Access Edge",
                                pool: "target of _xmpp-server._tcp", source: xmppSource)
            }
        }
        if deployment.remoteAccess {
            for domain in deployment.sipDomains where deployment.hosting(of: domain.value) != .teamsOnly {
                let host = domain.value.prepending("sip")
                guard host != accessEdge, host != deployment.accessEdge(for: domain.value) else { continue }
                for server in edge.servers {
                    builder.addHost(host, server, \.accessIPs, role: "remote user access: sip.\(domain.value.text) on the Access Edge",
                                    pool: pool, source: remoteSource)
                }
            }
        }
        if let webcon = edge.webConferencing {
            for server in edge.servers {
                builder.addHost(webcon.value, server, \.webConferencingIPs, role: "web conferencing Edge address",
                                pool: pool, source: hostSource)
            }
        }
        if let av = edge.av {
            for server in edge.servers {
                builder.addHost(av.value, server, \.avIPs, role: "A/V Edge address", pool: pool, source: hostSource)
            }
        }
        if let proxy = deployment.reverseProxy { planReverseProxy(proxy, deployment: deployment, into: &builder) }
        try checkLengths(builder.records)
        try checkAliases(builder.records, deployment: deployment)
        return try ZoneGrouping.group(builder.records, ttl: deployment.ttl, deployment: deployment)
    }

    /// A SIP domain may be valid on its own and still too long once `_sipfederationtls._tcp.`
    /// is put in front of it: refuse what could never be published.
    static func checkLengths(_ records: [DraftRecord]) throws(DiagnosticList) {
        var problems: [Diagnostic] = []
        var seen: Set<DomainName> = []
        for record in records where record.name.octets > 253 && seen.insert(record.name).inserted {
            let octets = record.name.octets
            if octets > 253 {
                problems.append(Diagnostic("the planned name \(record.name.labels.prefix(2).joined(separator: ".")).… would be \(octets) octets long; DNS allows at most 253",
                                           at: record.origin, suggestion: "use a shorter domain name"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
    }

    /// The names clients and meeting links reach through the reverse proxy: the pool's external
    /// web services, `lyncdiscover` and `meet` of every SIP domain the Edge serves, the dial-in
    /// and Office Web Apps names, each on the proxy's addresses. Teams-only domains have
    /// Microsoft's `lyncdiscover` instead.
    static func planReverseProxy(_ proxy: ReverseProxy, deployment: Deployment, into builder: inout RecordListBuilder) {
        func add(_ name: DomainName, _ role: String) {
            for address in proxy.addresses {
                builder.add(name, .address(address.value), why: .text(reason: "\(role), on the reverse proxy", purpose: "\(role), on the reverse proxy"),
                            source: reverseProxySource, origin: address.location)
            }
        }
        add(proxy.externalWebServices.value, "external web services of the pool (mobility, address book, meeting content)")
        for domain in deployment.sipDomains where deployment.hosting(of: domain.value) != .teamsOnly {
            add(domain.value.prepending("lyncdiscover"), "lyncdiscover.\(domain.value.text): clients of \(domain.value.text) discover the web services (autodiscover)")
            if proxy.meet { add(domain.value.prepending("meet"), "meet.\(domain.value.text): the meeting simple URL") }
        }
        if let dialin = proxy.dialin { add(dialin.value, "\(dialin.value.text): the dial-in conferencing simple URL") }
        if let owa = proxy.officeWebApps { add(owa.value, "\(owa.value.text): Office Web Apps Server for meeting content") }
    }

    /// A CNAME leaves no room for other data at its name (RFC 1034 §3.6.2, RFC 2181 §10.1): an
    /// Edge name under a teams-only domain's `sip` alias could never be published.
    static func checkAliases(_ records: [DraftRecord], deployment: Deployment) throws(DiagnosticList) {
        var aliases: [DomainName: DraftRecord] = [:]
        for record in records { if case .cname = record.data { aliases[record.name] = record } }
        guard !aliases.isEmpty else { return }
        var problems: [Diagnostic] = []
        var reported: Set<DomainName> = []
        for record in records {
            guard record.type != .cname, let alias = aliases[record.name], reported.insert(record.name).inserted else { continue }
            problems.append(Diagnostic(
                "\(record.name) (\(record.reason)) is also \(alias.reason): a CNAME cannot share its name with other records",
                at: record.origin,
                suggestion: "give the Edge a name outside the teams-only domain's sip and lyncdiscover names, or keep the domain on premises (hosting: hybrid)"))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
    }

    static func poolDescription(_ edge: Edge) -> String {
        switch edge.loadBalancing {
        case .dns: edge.servers.count == 1 ? "single Edge server" : "DNS load balancing, one record per Edge server"
        case .hardware: "hardware load balancing, the VIP"
        }
    }
}

/// A planned record before it is placed in its zone: `ZoneGrouping` makes the `PlannedRecord`
/// once it knows the zone. (Making each record with a placeholder zone and again in its zone
/// allocated and freed every record of a plan twice.)
struct DraftRecord {
    let name: DomainName
    let data: RecordData
    let why: RecordReason
    let server: String?
    let source: String
    let origin: SourceLocation

    var type: RecordType { data.type }
    var reason: String { why.reason }

    func placed(in zone: DomainName, ttl: UInt32) -> PlannedRecord {
        PlannedRecord(name: name, ttl: ttl, data: data, zone: zone, why: why, server: server, source: source, origin: origin)
    }
}

/// Collects records in plan order and drops exact repeats (the same name, type and data
/// reached for two reasons, e.g. an XMPP proxy name that is also sip.<domain>).
struct RecordListBuilder {
    let ttl: UInt32
    private(set) var records: [DraftRecord] = []
    private var seen: Set<Key> = []

    private struct Key: Hashable {
        let name: DomainName
        let data: RecordData

        /// The name, and the address or port: enough to tell a plan's records apart (records
        /// that share a name differ in those). Hashing the SRV target as well, the same Edge
        /// name for every tenant, cost a second string hash per record. Equality still
        /// compares everything.
        func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            switch data {
            case .address(let ip): hasher.combine(ip)
            case .srv(let s): hasher.combine(s.port)
            case .cname: break
            }
        }
    }

    init(ttl: UInt32) {
        self.ttl = ttl
    }

    /// Room for about `count` records, so that a large plan does not grow the set step by step.
    mutating func reserve(_ count: Int) {
        records.reserveCapacity(count)
        seen.reserveCapacity(count)
    }

    mutating func add(_ name: DomainName, _ data: RecordData, why: RecordReason, server: String? = nil, source: String,
                      origin: SourceLocation) {
        guard seen.insert(Key(name: name, data: data)).inserted else { return }
        records.append(DraftRecord(name: name, data: data, why: why, server: server, source: source, origin: origin))
    }

    /// The addresses of one Edge server for one service: "<role> of edge01 (<pool>)".
    mutating func addHost(_ name: DomainName, _ server: EdgeServer, _ addresses: KeyPath<EdgeServer, [Located<IPAddress>]>,
                          role: String, pool: String, source: String) {
        for address in server[keyPath: addresses] {
            add(name, .address(address.value), why: .host(role: role, server: server.name, pool: pool), server: server.name,
                source: source, origin: address.location)
        }
    }
}

/// Puts each record in the deepest zone that contains it.
enum ZoneGrouping {
    static func group(_ records: [DraftRecord], ttl: UInt32, deployment: Deployment) throws(DiagnosticList) -> Plan {
        let zones = deployment.zones?.map(\.value) ?? defaultZones(records, deployment: deployment)
        // Default zones past the SIP domains are parents of hosts outside them: assumed.
        let known = deployment.zones == nil ? deployment.sipDomains.count : zones.count
        let index = ZoneIndex(zones)
        var byZone: [[PlannedRecord]] = Array(repeating: [], count: zones.count)
        var problems: [Diagnostic] = []
        var reported: Set<DomainName> = []
        // Only when a record is left out: the zones fedplan would use without `zones:`, to
        // name the zone to add (`wingtiptoys.com` for `_sipfederationtls._tcp.wingtiptoys.com`).
        var fallback: (zones: [DomainName], index: ZoneIndex)?
        // By index: `for record in records` copied each draft out of the array, a retain and a
        // release of each of its six reference-counted fields.
        for r in records.indices {
            guard let zone = index.deepest(containing: records[r].name) else {
                let record = records[r]
                if reported.insert(record.name).inserted {
                    if fallback == nil {
                        let zones = defaultZones(records, deployment: deployment)
                        fallback = (zones, ZoneIndex(zones))
                    }
                    let suggested = fallback!.index.deepest(containing: record.name).map { fallback!.zones[$0] } ?? record.name.parent
                    problems.append(Diagnostic(
                        "\(record.name) (\(record.reason)) is in none of the zones listed in zones:",
                        at: deployment.zonesLocation ?? record.origin,
                        suggestion: "add \(suggested.text) (or the zone that holds it) to zones"))
                }
                continue
            }
            byZone[zone].append(records[r].placed(in: zones[zone], ttl: ttl))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return Plan(zones: zones.indices.compactMap { byZone[$0].isEmpty ? nil : ZonePlan(zone: zones[$0], records: byZone[$0], assumed: $0 >= known) })
    }

    /// The default zones: each SIP domain, plus the parent zone of each host that falls outside them.
    static func defaultZones(_ records: [DraftRecord], deployment: Deployment) -> [DomainName] {
        var zones = deployment.sipDomains.map(\.value)
        let index = ZoneIndex(zones)
        for record in records where index.deepest(containing: record.name) == nil {
            zones.append(record.name.parent)
            index.add(record.name.parent, at: zones.count - 1)
        }
        return zones
    }
}

/// Zone names in a `NameSet`, the zone-file reader's own, so that finding a record's zone is
/// one backward pass over its name (`NameSuffixes` hashes every suffix at once) and one lookup
/// per label, deepest first. (Looking up every suffix as a `Substring` hashed each one again
/// from its start: 4,800 instructions per name.)
final class ZoneIndex {
    private let names = NameSet()
    /// The caller's position of each name in `names` (the first, for a zone listed twice).
    private var positions: [Int] = []
    private let suffixes = NameSuffixes()

    init(_ zones: [DomainName]) {
        for (i, zone) in zones.enumerated() { add(zone, at: i) }
    }

    deinit { suffixes.deallocate() }

    func add(_ zone: DomainName, at position: Int) {
        if names.insert(zone.description).inserted { positions.append(position) }
    }

    /// The position of the deepest zone at or above `name`.
    func deepest(containing name: DomainName) -> Int? {
        var text = name.description
        return text.withUTF8 { bytes -> Int? in
            suffixes.compute(bytes)
            for k in 0..<suffixes.count {
                if let i = names.index(of: bytes[suffixes.starts[k]...], hash: suffixes.hashes[k]) { return positions[i] }
            }
            return nil
        }
    }
}
