/// One resource record as read from DNS data (a zone file or, later, an answer), already
/// converted out of ldns: presentation-form strings, never raw wire bytes.
public struct DNSRecord: Hashable, Sendable {
    /// Owner name in presentation form with the trailing dot (escapes as ldns prints them).
    public var owner: String
    public var type: String
    public var ttl: UInt32
    /// The rdata fields in presentation form: `["0", "0", "5061", "sip.contoso.com."]`.
    public var rdata: [String]
    /// Where the record was read, for zone files.
    public var location: SourceLocation?
    /// Zone files: the wildcard owner (`*.contoso.com.`) this record was synthesized from
    /// (RFC 4592); `location` is then the wildcard's line.
    public var wildcard: String?

    public init(owner: String, type: String, ttl: UInt32, rdata: [String], location: SourceLocation? = nil,
                wildcard: String? = nil) {
        self.owner = owner
        self.type = type
        self.ttl = ttl
        self.rdata = rdata
        self.location = location
        self.wildcard = wildcard
    }

    /// `name ttl IN TYPE rdata`, as a master file writes it.
    public var presentation: String { "\(owner) \(ttl) IN \(type) \(rdata.joined(separator: " "))" }
}
