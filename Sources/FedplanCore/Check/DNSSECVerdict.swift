/// What DNSSEC says about one planned RRset (RFC 4033 §5, RFC 4035 §4.3), as validators
/// (Unbound, DNSViz, Zonemaster) say it. Built by FedplanDNS from ldns's verdicts; the core
/// only reports it.
public enum DNSSECStatus: String, Sendable, Codable, CaseIterable {
    /// Signatures verify up to a trust anchor.
    case secure
    /// Proven unsigned: an unsigned zone, or below a proven-insecure delegation.
    case insecure
    /// Validation fails: validating resolvers answer SERVFAIL (see `DNSSECProblem`).
    case bogus
    /// Nothing could be proven either way (no trust anchor above it, a key not fetched).
    case indeterminate
}

/// Why an RRset is bogus. Times are RRSIG fields: seconds since 1970 modulo 2^32, compared
/// with RFC 1982 serial arithmetic (RFC 4034 §3.1.5).
public enum DNSSECProblem: Sendable, Equatable {
    case signatureExpired(expiration: UInt32)
    case signatureNotYetValid(inception: UInt32)
    /// The zone is signed (it has DNSKEYs, or its parent a DS) and the RRset has no RRSIG.
    case noSignature
    /// No DNSKEY with the RRSIG's key tag and algorithm.
    case noMatchingKey(keyTag: UInt16)
    /// No DNSKEY of the zone matches any DS at its parent.
    case noKeyMatchingDS
    /// A key matches and the signature does not verify over the RRset.
    case signatureInvalid
    case unsupportedAlgorithm(UInt8)
    /// A resolver's Extended DNS Error (RFC 8914) when that is all that is known.
    case resolverError(code: UInt16, text: String)
    /// What ldns said, when it is none of the above.
    case other(String)
}

/// The DNSSEC verdict on one RRset: its status, the problem when bogus, and the earliest
/// expiration among the RRSIGs that verify (for `dnssec-signature-expiring`).
public struct DNSSECVerdict: Sendable, Equatable {
    public var status: DNSSECStatus
    public var problem: DNSSECProblem?
    public var earliestExpiration: UInt32?

    public init(status: DNSSECStatus, problem: DNSSECProblem? = nil, earliestExpiration: UInt32? = nil) {
        self.status = status
        self.problem = problem
        self.earliestExpiration = earliestExpiration
    }
}
