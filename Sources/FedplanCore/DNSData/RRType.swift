/// A record type by its number (RFC 1035 §3.2.2; the IANA "Resource Record (RR) TYPEs"
/// registry): what the checker compares, instead of the mnemonic's text. Inlinable: the checker
/// compares a record's type for every record it looks at.
@frozen public struct RRType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    @inlinable public init(rawValue: UInt16) { self.rawValue = rawValue }

    @inlinable public static func == (a: RRType, b: RRType) -> Bool { a.rawValue == b.rawValue }

    @inlinable public static var a: RRType { RRType(rawValue: 1) }
    @inlinable public static var ns: RRType { RRType(rawValue: 2) }
    @inlinable public static var cname: RRType { RRType(rawValue: 5) }
    @inlinable public static var soa: RRType { RRType(rawValue: 6) }
    @inlinable public static var txt: RRType { RRType(rawValue: 16) }
    @inlinable public static var aaaa: RRType { RRType(rawValue: 28) }
    @inlinable public static var srv: RRType { RRType(rawValue: 33) }
    @inlinable public static var dname: RRType { RRType(rawValue: 39) }
    @inlinable public static var ds: RRType { RRType(rawValue: 43) }
    @inlinable public static var rrsig: RRType { RRType(rawValue: 46) }
    @inlinable public static var tlsa: RRType { RRType(rawValue: 52) }
    /// A record whose mnemonic this table does not name, made from text: compared by its text
    /// (type 0 is reserved, RFC 6895 §3.1, so ldns's records, even TYPE0 ones, compare by text
    /// there too).
    @inlinable public static var unnamed: RRType { RRType(rawValue: 0) }

    /// The types named here, by mnemonic: the ones a check asks about or reads.
    static let known: [(name: String, type: RRType)] = [
        ("A", .a), ("AAAA", .aaaa), ("SRV", .srv), ("CNAME", .cname), ("NS", .ns), ("SOA", .soa),
        ("DNAME", .dname), ("TXT", .txt), ("DS", .ds), ("RRSIG", .rrsig), ("TLSA", .tlsa),
    ]

    /// The type a mnemonic names, when it is one of `known`; nil for any other text. Types this
    /// table does not name (and RFC 3597's `TYPE<n>`, which a zone file's record that ldns
    /// cannot lay out is written as) are compared by their text: `DNSRecord.isOf`.
    public init?(mnemonic: String) {
        guard let hit = Self.known.first(where: { $0.name == mnemonic }) else { return nil }
        self = hit.type
    }
}

/// The response code of an answer the checker reads: only these two are answers (any other
/// rcode makes the query fail, with the server's word for it).
public enum ResponseCode: Sendable, Hashable {
    case noError, nxDomain

    /// `NOERROR` or `NXDOMAIN`, as ldns names them: for reports.
    public var text: String { self == .noError ? "NOERROR" : "NXDOMAIN" }
}
