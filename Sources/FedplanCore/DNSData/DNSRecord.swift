/// One resource record as read from DNS data (a zone file or an answer), already converted out
/// of ldns: presentation-form strings, never raw wire bytes.
///
/// Typed at the boundary: besides the presentation text that reports print (`type`, `rdata`),
/// a record carries its type's number (`code`) and the fields the checker reads (`fields`:
/// SRV priority/weight/port/target, A/AAAA address, CNAME/DNAME/NS target), filled once where
/// the record is made: FedplanDNS reads them from ldns's fields (`LDNSConvert.record`, for
/// replies and zone files alike), and records made from text (a DNAME's synthesized CNAME,
/// tests) parse their text once in `init`. The checker then compares numbers and reads fields,
/// never parsing the text again.
public struct DNSRecord: Hashable, Sendable {
    /// Owner name in presentation form with the trailing dot (escapes as ldns prints them).
    public var owner: String
    /// The type's mnemonic, for reports.
    public let type: String
    /// The type's number (`.unnamed`: a mnemonic that `RRType.known` does not name, made from
    /// text; then `isOf` compares the text).
    public let code: RRType
    public var ttl: UInt32
    /// The rdata fields in presentation form: `["0", "0", "5061", "sip.contoso.com."]`.
    public let rdata: [String]
    /// The rdata the checker reads, typed.
    public let fields: Fields
    /// Where the record was read, for zone files.
    public var location: SourceLocation?
    /// Zone files: the wildcard owner (`*.contoso.com.`) this record was synthesized from
    /// (RFC 4592); `location` is then the wildcard's line.
    public var wildcard: String?

    /// The typed rdata of the types a check reads; `.other` for every other type, and for data
    /// that does not have the type's form (then only the text is there to report).
    public enum Fields: Hashable, Sendable {
        /// SRV (RFC 2782); the target lower-cased, with its trailing dot.
        case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
        /// A or AAAA.
        case address(IPAddress)
        /// CNAME, DNAME or NS: the name it points to, lower-cased, with its trailing dot.
        case name(String)
        /// TLSA (RFC 6698 §2.1): certificate usage, selector, matching type, and the
        /// certificate association data as bytes.
        case tlsa(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8])
        case other
    }

    /// A record from its presentation text: the typed fields are parsed from it here, once.
    public init(owner: String, type: String, ttl: UInt32, rdata: [String], location: SourceLocation? = nil,
                wildcard: String? = nil) {
        let code = RRType(mnemonic: type) ?? .unnamed
        self.init(owner: owner, type: type, code: code, ttl: ttl, rdata: rdata,
                  fields: Self.parse(code, rdata), location: location, wildcard: wildcard)
    }

    /// A record whose typed fields the caller already has (read from ldns's fields).
    public init(owner: String, type: String, code: RRType, ttl: UInt32, rdata: [String], fields: Fields,
                location: SourceLocation? = nil, wildcard: String? = nil) {
        self.owner = owner
        self.type = type
        self.code = code
        self.ttl = ttl
        self.rdata = rdata
        self.fields = fields
        self.location = location
        self.wildcard = wildcard
    }

    static func parse(_ code: RRType, _ rdata: [String]) -> Fields {
        switch code {
        case .srv:
            guard rdata.count == 4, let p = UInt16(rdata[0]), let w = UInt16(rdata[1]), let port = UInt16(rdata[2]) else {
                return .other
            }
            return .srv(priority: p, weight: w, port: port, target: rdata[3].dnsLowercased)
        case .a, .aaaa:
            guard rdata.count == 1, let ip = IPAddress(rdata[0]), ip.isIPv4 == (code == .a) else { return .other }
            return .address(ip)
        case .cname, .dname, .ns:
            guard rdata.count == 1 else { return .other }
            return .name(rdata[0].dnsLowercased)
        case .tlsa:
            guard rdata.count == 4, let u = UInt8(rdata[0]), let s = UInt8(rdata[1]), let m = UInt8(rdata[2]),
                  let data = Hex.bytes(rdata[3]) else { return .other }
            return .tlsa(usage: u, selector: s, matchingType: m, data: data)
        default:
            return .other
        }
    }

    /// Whether the record is of `type`: by number, or by text for a type without one.
    public func isOf(_ type: RRType?, named name: String) -> Bool {
        if let type, code != .unnamed { return code == type }
        return self.type == name
    }

    /// The name a CNAME, DNAME or NS record points to, lower-cased.
    public var target: String? {
        if case .name(let n) = fields { return n }
        return nil
    }

    /// An A or AAAA record's address.
    public var address: IPAddress? {
        if case .address(let ip) = fields { return ip }
        return nil
    }

    /// `name ttl IN TYPE rdata`, as a master file writes it.
    public var presentation: String { "\(owner) \(ttl) IN \(type) \(rdata.joined(separator: " "))" }
}
