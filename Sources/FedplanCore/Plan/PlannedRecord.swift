/// The record types fedplan plans or reads back.
public enum RecordType: String, Sendable, Codable, CaseIterable, Comparable {
    case srv = "SRV", a = "A", aaaa = "AAAA", cname = "CNAME"

    public static func < (lhs: RecordType, rhs: RecordType) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public struct SRVData: Hashable, Sendable {
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: DomainName

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: DomainName) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }
}

/// The data of one planned resource record.
public enum RecordData: Hashable, Sendable, CustomStringConvertible {
    case srv(SRVData)
    case address(IPAddress)
    /// An alias: only Microsoft 365's published names for teams-only domains.
    case cname(DomainName)

    public var type: RecordType {
        switch self {
        case .srv: .srv
        case .address(let ip): ip.recordType
        case .cname: .cname
        }
    }

    /// Master-file presentation: `0 0 5061 sip.contoso.com.` or `131.107.155.10`.
    public var description: String {
        switch self {
        case .srv(let s): "\(s.priority) \(s.weight) \(s.port) \(s.target)"
        case .address(let ip): ip.description
        case .cname(let target): target.description
        }
    }
}

/// Why a record exists, kept as data and worded only when shown: a check of 20,000 records
/// reads none of them unless something is wrong, and wording each up front was a third of the
/// planner's work.
public enum RecordReason: Sendable, Equatable {
    /// `_sipfederationtls._tcp` of a SIP domain: discoverable federation, or mobile push only.
    case sipFederation(domain: DomainName, discoverable: Bool)
    case xmppFederation(domain: DomainName)
    case remoteAccess(domain: DomainName)
    /// An address of an Edge server for one service: "<role> of <server> (<pool>)".
    case host(role: String, server: String, pool: String)
    /// Worded by the caller.
    case text(reason: String, purpose: String)
    /// A record of a hybrid SIP domain: the on-premises reason, and that hybrid keeps it there.
    indirect case hybrid(RecordReason)
    /// One of Microsoft 365's published records for a teams-only SIP domain.
    case teamsOnly(domain: DomainName, record: TeamsOnlyRecord)

    /// One line: why the record exists.
    public var reason: String {
        switch self {
        case .sipFederation(let d, true): "SIP federation: partners discover \(d.bare)'s Access Edge (federation.sip.discoverable)"
        case .sipFederation(let d, false): "mobile push notifications for \(d.bare) (federation.sip.mobile_push), federation not discoverable"
        case .xmppFederation(let d): "XMPP federation for \(d.bare): partners find the XMPP proxy and dial back to it (XEP-0220)"
        case .remoteAccess(let d): "remote user access: clients signing in as \(d.bare) find the Access Edge on 443"
        case .host(let role, let server, let pool): "\(role) of \(server) (\(pool))"
        case .text(let reason, _): reason
        case .hybrid(let inner):
            "\(inner.reason); hybrid: stays on premises, as Microsoft requires while any user of the domain is homed on premises"
        case .teamsOnly(let d, let record): "Teams Only: \(record.purpose) for \(d.bare) (Microsoft 365's published value)"
        }
    }

    /// The reason shared by the whole RRset (without the server name).
    public var purpose: String {
        switch self {
        case .host(let role, _, let pool): "\(role) (\(pool))"
        case .text(_, let purpose): purpose
        case .hybrid(let inner): "\(inner.purpose); hybrid: stays on premises"
        default: reason
        }
    }
}

/// The records Microsoft publishes for a Teams Only domain ("Update DNS entries to enable your
/// organization to be all Teams Only"): Microsoft's own values, never the Edge's.
public enum TeamsOnlyRecord: String, Sendable, CaseIterable {
    case federation, signIn, sipAlias, discover

    public var label: String {
        switch self {
        case .federation: "_sipfederationtls._tcp"
        case .signIn: "_sip._tls"
        case .sipAlias: "sip"
        case .discover: "lyncdiscover"
        }
    }

    public var data: RecordData {
        switch self {
        case .federation: .srv(SRVData(priority: 100, weight: 1, port: 5061, target: Self.sipfed))
        case .signIn: .srv(SRVData(priority: 100, weight: 1, port: 443, target: Self.sipdir))
        case .sipAlias: .cname(Self.sipdir)
        case .discover: .cname(Self.webdir)
        }
    }

    var purpose: String {
        switch self {
        case .federation: "partners federate with the domain through Microsoft 365"
        case .signIn: "clients sign in through Microsoft 365"
        case .sipAlias: "sip.<domain> is Microsoft 365's SIP directory"
        case .discover: "clients discover Microsoft 365's web services"
        }
    }

    /// One of the names above, lower-case with the final dot.
    public static func isMicrosoftName(_ name: String) -> Bool {
        name == sipfed.description || name == sipdir.description || name == webdir.description
    }

    public static let sipfed = DomainName(uncheckedLabels: ["sipfed", "online", "lync", "com"])
    public static let sipdir = DomainName(uncheckedLabels: ["sipdir", "online", "lync", "com"])
    public static let webdir = DomainName(uncheckedLabels: ["webdir", "online", "lync", "com"])
}

/// One resource record the deployment needs, with why it exists and where that comes from.
/// A class because records are immutable once planned and large plans pass 100,000 of them
/// around: sharing them costs one retain instead of copying fifteen fields.
public final class PlannedRecord: Sendable {
    public let name: DomainName
    public let ttl: UInt32
    public let data: RecordData
    /// The zone the record is published in.
    public let zone: DomainName
    public let why: RecordReason
    /// The Edge server an address belongs to.
    public let server: String?
    /// Where the rule comes from: a public document by title (`PublicSources`) or an RFC.
    public let source: String
    /// The line of the description that caused the record.
    public let origin: SourceLocation

    public var type: RecordType { data.type }
    /// One line: why the record exists.
    public var reason: String { why.reason }
    /// The reason shared by the whole RRset (without the server name): one comment per RRset.
    public var purpose: String { why.purpose }

    public init(name: DomainName, ttl: UInt32, data: RecordData, zone: DomainName, why: RecordReason,
                server: String?, source: String, origin: SourceLocation) {
        self.name = name
        self.ttl = ttl
        self.data = data
        self.zone = zone
        self.why = why
        self.server = server
        self.source = source
        self.origin = origin
    }

    public convenience init(name: DomainName, ttl: UInt32, data: RecordData, zone: DomainName, reason: String, purpose: String,
                            server: String?, source: String, origin: SourceLocation) {
        self.init(name: name, ttl: ttl, data: data, zone: zone, why: .text(reason: reason, purpose: purpose), server: server,
                  source: source, origin: origin)
    }

    /// The same record, placed in `zone`.
    func placed(in zone: DomainName) -> PlannedRecord {
        PlannedRecord(name: name, ttl: ttl, data: data, zone: zone, why: why, server: server, source: source, origin: origin)
    }
}

/// The records of one zone, in plan order.
public struct ZonePlan: Sendable {
    public var zone: DomainName
    public var records: [PlannedRecord]
    /// Not listed in `zones:` nor a SIP domain: the parent of a host outside them, taken as its
    /// zone by default. Nothing proves that a zone starts there, so live checks never ask a
    /// name above its records on its account (no wildcard probes: docs/security.md, "What fedplan asks").
    public var assumed: Bool

    public init(zone: DomainName, records: [PlannedRecord], assumed: Bool = false) {
        self.zone = zone
        self.records = records
        self.assumed = assumed
    }
}

/// Every record the deployment needs, grouped by zone.
public struct Plan: Sendable {
    public var zones: [ZonePlan]

    public init(zones: [ZonePlan]) {
        self.zones = zones
    }
    public var records: [PlannedRecord] { zones.flatMap(\.records) }

    public func zone(_ name: DomainName) -> ZonePlan? { zones.first { $0.zone == name } }
}
