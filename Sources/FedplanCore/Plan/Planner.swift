/// Works out the federation DNS records (README, "A short tour") from a deployment and groups them into zones.
public enum Planner {
    static let sipFederationSource = "\(PublicSources.federationPlanning): _sipfederationtls._tcp SRV, port 5061, target the Access Edge"
    static let xmppSource = "\(PublicSources.xmppDNSSummary); RFC 6120 §3.2: _xmpp-server._tcp SRV, port 5269"
    static let hostSource = "\(PublicSources.federationPlanning): one A/AAAA record per Edge server (DNS LB) or per VIP (hardware LB)"
    static let remoteSource = "\(PublicSources.remoteAccess): _sip._tls SRV 443 and sip.<domain>"

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
            let discoverable = deployment.federation.sip.discoverable
            if discoverable || pushDomains.contains(d) {
                builder.add(d.prepending("_sipfederationtls._tcp"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 5061, target: accessEdge)),
                            why: .sipFederation(domain: d, discoverable: discoverable), source: sipFederationSource,
                            origin: domain.location)
            }
        }
        if let xmpp = deployment.federation.xmpp {
            for d in xmpp.domains {
                builder.add(d.prepending("_xmpp-server._tcp"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 5269, target: xmpp.proxy.value)),
                            why: .xmppFederation(domain: d), source: xmppSource, origin: xmpp.location)
            }
        }
        if deployment.remoteAccess {
            for domain in deployment.sipDomains {
                builder.add(domain.value.prepending("_sip._tls"),
                            .srv(SRVData(priority: srv.priority, weight: srv.weight, port: 443, target: accessEdge)),
                            why: .remoteAccess(domain: domain.value), source: remoteSource, origin: domain.location)
            }
        }
        for server in edge.servers {
            builder.addHost(accessEdge, server, \.accessIPs, role: "Access Edge address", pool: pool, source: hostSource)
        }
        if let xmpp = deployment.federation.xmpp, xmpp.proxy.value != accessEdge {
            for server in edge.servers {
                builder.addHost(xmpp.proxy.value, server, \.accessIPs, role: "XMPP proxy on the Access Edge",
                                pool: "target of _xmpp-server._tcp", source: xmppSource)
            }
        }
        if deployment.remoteAccess {
            for domain in deployment.sipDomains {
                let host = domain.value.prepending("sip")
                guard host != accessEdge else { continue }
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
        try checkLengths(builder.records)
        return try ZoneGrouping.group(builder.records, deployment: deployment)
    }

    /// A SIP domain may be valid on its own and still too long once `_sipfederationtls._tcp.`
    /// is put in front of it: refuse what could never be published.
    static func checkLengths(_ records: [PlannedRecord]) throws(DiagnosticList) {
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

    static func poolDescription(_ edge: Edge) -> String {
        switch edge.loadBalancing {
        case .dns: edge.servers.count == 1 ? "single Edge server" : "DNS load balancing, one record per Edge server"
        case .hardware: "hardware load balancing, the VIP"
        }
    }
}

/// Collects records in plan order and drops exact repeats (the same name, type and data
/// reached for two reasons, e.g. an XMPP proxy name that is also sip.<domain>).
struct RecordListBuilder {
    let ttl: UInt32
    private(set) var records: [PlannedRecord] = []
    private var seen: Set<Key> = []

    private struct Key: Hashable {
        let name: DomainName
        let data: RecordData
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
        records.append(PlannedRecord(name: name, ttl: ttl, data: data, zone: .root, why: why, server: server, source: source,
                                     origin: origin))
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
    static func group(_ records: [PlannedRecord], deployment: Deployment) throws(DiagnosticList) -> Plan {
        let zones = deployment.zones?.map(\.value) ?? defaultZones(records, deployment: deployment)
        let index = ZoneIndex(zones)
        var byZone: [[PlannedRecord]] = Array(repeating: [], count: zones.count)
        var problems: [Diagnostic] = []
        var reported: Set<DomainName> = []
        // Only when a record is left out: the zones fedplan would use without `zones:`, to
        // name the zone to add (`wingtiptoys.com` for `_sipfederationtls._tcp.wingtiptoys.com`).
        var fallback: (zones: [DomainName], index: ZoneIndex)?
        for record in records {
            guard let zone = index.deepest(containing: record.name) else {
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
            byZone[zone].append(record.placed(in: zones[zone]))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return Plan(zones: zones.indices.compactMap { byZone[$0].isEmpty ? nil : ZonePlan(zone: zones[$0], records: byZone[$0]) })
    }

    /// The default zones: each SIP domain, plus the parent zone of each host that falls outside them.
    static func defaultZones(_ records: [PlannedRecord], deployment: Deployment) -> [DomainName] {
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
