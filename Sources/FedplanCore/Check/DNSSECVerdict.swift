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
    /// The inception is after the expiration (RFC 1982 order): the RRSIG is never valid.
    case datesInverted(inception: UInt32, expiration: UInt32)
    /// The signature field has a size the algorithm cannot produce, or one its library refuses.
    case malformedSignature(bytes: Int, algorithm: UInt8)
    /// No key at the RRSIG's signer name, while the zone's key with its key tag is at `keyOwner`:
    /// the signer name is wrong (it must be the zone's apex).
    case signerMismatch(signer: String, keyOwner: String, keyTag: UInt16)
    /// More RRSIGs over the RRset than are tried (`tried` of `total`), none of those verifying:
    /// `problem` is the most telling among them.
    indirect case signatureLimitReached(tried: Int, total: Int, DNSSECProblem)
    /// The zone is signed (it has DNSKEYs, or its parent a DS) and the RRset has no RRSIG.
    case noSignature
    /// No DNSKEY with the RRSIG's key tag and algorithm.
    case noMatchingKey(keyTag: UInt16)
    /// The zone's key with the RRSIG's key tag is of another algorithm, and no key of the
    /// RRSIG's algorithm is at its signer name: nothing can verify it (RFC 4035 §5.3.1).
    case algorithmMismatch(keyTag: UInt16, algorithm: UInt8, keyAlgorithm: UInt8)
    /// No DNSKEY of the zone matches any DS at its parent.
    case noKeyMatchingDS
    /// A key matches and the signature does not verify over the RRset.
    case signatureInvalid
    case unsupportedAlgorithm(UInt8)
    /// The zone's DNSKEY set fails (`problem`, with the key tag involved): nothing in the zone
    /// validates. The records of the zone carry this; the finding on the apex DNSKEY says why.
    indirect case keySet(keyTag: UInt16?, DNSSECProblem)
    /// The DS (or trust anchor) names a key of the zone (`anchorTag`) that does not sign the
    /// DNSKEY set (a zone-signing key's DS); the set is signed by `signers`.
    case anchorKeyDoesNotSignKeySet(anchorTag: UInt16, signers: [UInt16])
    /// A negative answer without NSEC/NSEC3 records, or with ones that prove nothing (`why`).
    case denialNotProven(String)
    /// Zone files: the zone carries RRSIGs (by the keys with these tags) and no DNSKEY at its
    /// apex: the keys were lost (a validator finds no key for a DS at the parent).
    case keysMissing(signers: [UInt16])
    /// Zone files: the apex has `count` DNSKEYs, more than the `limit` read (a zone has two to
    /// four): the set cannot be verified.
    case tooManyKeys(count: Int, limit: Int)
    /// Zone files: DNSKEYs at the apex and no RRSIG anywhere in the zone (an unsigned source
    /// that includes its keys).
    case keysWithoutSignatures
    /// A resolver's Extended DNS Error (RFC 8914) when that is all that is known.
    case resolverError(code: UInt16, text: String)
    /// What ldns said, when it is none of the above.
    case other(String)
}

/// The DNSSEC verdict on one RRset: its status, the problem when bogus, and until when it stays
/// valid (for `dnssec-signature-expiring`): the LATEST expiration among the RRSIGs that verify
/// (an RRset signed twice during a key rollover is valid until its last signature expires);
/// for several RRsets, the earliest of theirs.
public struct DNSSECVerdict: Sendable, Equatable {
    public var status: DNSSECStatus
    public var problem: DNSSECProblem?
    public var validUntil: UInt32?

    public init(status: DNSSECStatus, problem: DNSSECProblem? = nil, validUntil: UInt32? = nil) {
        self.status = status
        self.problem = problem
        self.validUntil = validUntil
    }
}
