/// A record type by its number (RFC 1035 §3.2.2; the IANA "Resource Record (RR) TYPEs"
/// registry): what the checker compares, instead of the mnemonic's text.
public struct RRType: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RRType(rawValue: 1)
    public static let ns = RRType(rawValue: 2)
    public static let cname = RRType(rawValue: 5)
    public static let soa = RRType(rawValue: 6)
    public static let txt = RRType(rawValue: 16)
    public static let aaaa = RRType(rawValue: 28)
    public static let srv = RRType(rawValue: 33)
    public static let dname = RRType(rawValue: 39)
    public static let ds = RRType(rawValue: 43)
    public static let rrsig = RRType(rawValue: 46)
    public static let tlsa = RRType(rawValue: 52)

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
