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

    public var type: RecordType {
        switch self {
        case .srv: .srv
        case .address(let ip): ip.recordType
        }
    }

    /// Master-file presentation: `0 0 5061 sip.contoso.com.` or `131.107.155.10`.
    public var description: String {
        switch self {
        case .srv(let s): "\(s.priority) \(s.weight) \(s.port) \(s.target)"
        case .address(let ip): ip.description
        }
    }
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
    /// One line: why the record exists.
    public let reason: String
    /// The reason shared by the whole RRset (without the server name): one comment per RRset.
    public let purpose: String
    /// The Edge server an address belongs to.
    public let server: String?
    /// Where the rule comes from: a public document by title (`PublicSources`) or an RFC.
    public let source: String
    /// The line of the description that caused the record.
    public let origin: SourceLocation

    public var type: RecordType { data.type }

    public init(name: DomainName, ttl: UInt32, data: RecordData, zone: DomainName, reason: String, purpose: String,
                server: String?, source: String, origin: SourceLocation) {
        self.name = name
        self.ttl = ttl
        self.data = data
        self.zone = zone
        self.reason = reason
        self.purpose = purpose
        self.server = server
        self.source = source
        self.origin = origin
    }

    /// The same record, placed in `zone`.
    func placed(in zone: DomainName) -> PlannedRecord {
        PlannedRecord(name: name, ttl: ttl, data: data, zone: zone, reason: reason, purpose: purpose, server: server,
                      source: source, origin: origin)
    }
}

/// The records of one zone, in plan order.
public struct ZonePlan: Sendable {
    public var zone: DomainName
    public var records: [PlannedRecord]

    public init(zone: DomainName, records: [PlannedRecord]) {
        self.zone = zone
        self.records = records
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
