/// A DNS server to query: an IP address and a port (`--resolver`).
public struct ServerAddress: Hashable, Sendable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16 = 53) {
        self.address = address
        self.port = port
    }

    /// `IP`, `IP:PORT` or `[IPv6]:PORT`; a bare IPv6 address takes port 53.
    public static func parse(_ text: String) -> ServerAddress? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"),
                  let ip = IPAddress(String(text[text.index(after: text.startIndex)..<close])) else { return nil }
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return ServerAddress(address: ip) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else { return nil }
            return ServerAddress(address: ip, port: port)
        }
        if let ip = IPAddress(text) { return ServerAddress(address: ip) }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let ip = IPAddress(String(parts[0])), ip.isIPv4,
              let port = UInt16(parts[1]), port > 0 else { return nil }
        return ServerAddress(address: ip, port: port)
    }

    /// `192.0.2.53`, `192.0.2.53:5353`, `[2001:db8::53]:5353`.
    public var description: String {
        if port == 53 { return address.description }
        return address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }

    /// The `nameserver` lines of resolv.conf(5), in order; scoped IPv6 (`%eth0`) are skipped.
    public static func fromResolvConf(_ text: String) -> [ServerAddress] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard words.count >= 2, words[0] == "nameserver", let ip = IPAddress(String(words[1])) else { return nil }
            return ServerAddress(address: ip)
        }
    }
}

/// A DNS question: an absolute name (presentation form, trailing dot) and a type.
public struct Question: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public let type: String
    /// `NameHash` of the name and of the type, computed once: a check looks each question up
    /// about five times, and hashing both strings at every lookup was 76M instructions of a
    /// 10,000-domain check (24M this way). `hash(into:)` still feeds it to the seeded `Hasher`,
    /// and the questions a server can make us ask (follow-ups) are bounded.
    private let fingerprint: UInt64

    public init(_ name: String, _ type: String) {
        self.init(lowercased: name.dnsLowercased, type)
    }

    /// A question about a name already in lower case: a `DomainName`'s text always is, and
    /// looking at every byte of 20,000 planned names again cost 500 instructions a name.
    init(lowercased name: String, _ type: String) {
        self.name = name
        self.type = type
        fingerprint = Self.hash(name) &* NameHash.prime ^ Self.hash(type)
    }

    /// A planned RRset's question: the type's hash worked out once per type, not per question.
    init(lowercased name: String, _ type: RecordType) {
        self.name = name
        self.type = type.rawValue
        let typeHash = switch type {
        case .srv: Self.srvHash
        case .a: Self.aHash
        case .aaaa: Self.aaaaHash
        case .cname: Self.cnameHash
        }
        fingerprint = Self.hash(name) &* NameHash.prime ^ typeHash
    }

    private static let srvHash = hash(RecordType.srv.rawValue), aHash = hash(RecordType.a.rawValue),
                       aaaaHash = hash(RecordType.aaaa.rawValue), cnameHash = hash(RecordType.cname.rawValue)

    private static func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { NameHash.of($0[...]) }
    }

    public static func == (a: Question, b: Question) -> Bool {
        a.fingerprint == b.fingerprint && a.name == b.name && a.type == b.type
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }

    public var description: String { "\(name) \(type)" }
}

/// What one server said to one question. A failure is never an answer: the record it was
/// about is unverified, not missing.
public enum QueryOutcome: Sendable, Equatable {
    case answer(DNSAnswer)
    case failed(String)
    /// Zone files only: the name lies outside every zone given, so nothing can be said about it.
    case notCovered
}

/// A reply that passed every check (ID, question, source), converted out of ldns.
public struct DNSAnswer: Sendable, Equatable {
    /// NOERROR or NXDOMAIN (`rcode.text` for reports).
    public var rcode: ResponseCode
    public var authoritative: Bool
    /// The answer section.
    public var records: [DNSRecord]
    /// For answers read from zone files: where the zone was declared (its SOA or `$ORIGIN`), the
    /// place a finding about a record that is not there points at.
    public var zoneLocation: SourceLocation?
    /// Set when the server does not answer for the name but refers to the servers of a zone
    /// below (the name is delegated away).
    public var referral: Referral?
    /// Zone files: the name at which the answer's CNAME or DNAME chain left the zones given.
    /// What that name holds was not read, so the answer proves nothing about the records.
    public var leftZonesAt: String?
    /// The AD bit (RFC 4035 §3.2.3): the resolver says it validated the answer. Only a
    /// validating resolver sets it; what `cert check` takes as "secure" for DANE.
    public var authenticated: Bool
    /// Live answers: the Extended DNS Errors (RFC 8914) the server attached.
    public var extendedErrors: [ExtendedDNSError] = []
    /// Live answers: what DNSSEC says about the answer (docs/dnssec.md): checked by fedplan
    /// against the chain of trust for an authoritative answer; the AD bit, or a SERVFAIL that
    /// an answer with CD set resolves, for a resolver's. Nil when nothing was judged.
    public var dnssec: DNSSECVerdict?
    /// Live authoritative answers whose signatures (or denial) are still to be verified: the
    /// reply's bytes, for FedplanDNS's `TrustChain` once the zone's keys are known; dropped
    /// then. Opaque here.
    public var signedReply: [UInt8]?

    public init(rcode: ResponseCode, authoritative: Bool, records: [DNSRecord], zoneLocation: SourceLocation? = nil,
                referral: Referral? = nil, leftZonesAt: String? = nil, authenticated: Bool = false) {
        self.rcode = rcode
        self.authoritative = authoritative
        self.authenticated = authenticated
        self.records = records
        self.zoneLocation = zoneLocation
        self.referral = referral
        self.leftZonesAt = leftZonesAt
    }
}

/// A delegation: the zone cut a question fell under, and its NS records (with their file lines
/// when they come from zone files).
public struct Referral: Sendable, Equatable {
    public var zoneCut: String
    public var nameServers: [DNSRecord]
    /// Live answers: the A and AAAA records of those name servers in the additional section.
    public var glue: [DNSRecord]

    public init(zoneCut: String, nameServers: [DNSRecord], glue: [DNSRecord] = []) {
        self.zoneCut = zoneCut
        self.nameServers = nameServers
        self.glue = glue
    }
}
