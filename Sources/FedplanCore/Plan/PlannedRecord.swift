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
public struct PlannedRecord: Hashable, Sendable {
    public var name: DomainName
    public var ttl: UInt32
    public var data: RecordData
    /// The zone the record is published in.
    public var zone: DomainName
    /// One line: why the record exists.
    public var reason: String
    /// The reason shared by the whole RRset (without the server name): one comment per RRset.
    public var purpose: String
    /// The Edge server an address belongs to.
    public var server: String?
    /// Where the rule comes from: the reference section and seed documents or RFC.
    public var source: String
    /// The line of the description that caused the record.
    public var origin: SourceLocation

    public var type: RecordType { data.type }
}

/// The records of one zone, in plan order.
public struct ZonePlan: Sendable {
    public var zone: DomainName
    public var records: [PlannedRecord]
}

/// Every record the deployment needs, grouped by zone.
public struct Plan: Sendable {
    public var zones: [ZonePlan]
    public var records: [PlannedRecord] { zones.flatMap(\.records) }

    public func zone(_ name: DomainName) -> ZonePlan? { zones.first { $0.zone == name } }
}
