import CLDNS
import FedplanCore
import Glibc

/// RRSIGs over one RRset verified against DNSKEYs with ldns, at an explicit time (RFC 4035
/// §5.3): the one verifier of fedplan, the one place that calls
/// `ldns_verify_rrsig_keylist_time` and maps ldns's verdicts (`ldns_status`) to
/// `DNSSECVerdict` (the bogus reasons, `validUntil`). Live checks (`TrustChain`: answers and
/// the zones' DNSKEY sets) call `verify` with the records of a reply; zone files go through
/// `ZoneSignatureVerifier`, which builds the ldns lists from the records' wire forms.
public enum SignatureCheck {
    /// RRSIGs tried per RRset at most: a hostile zone or answer can carry thousands, and each
    /// costs a public-key operation. Signers write one or two per key and algorithm.
    public static let signaturesPerRRset = 8

    /// The verdict on `rrset` (one owner and type) from `signatures` (the RRSIGs that cover
    /// it; the first `signaturesPerRRset` are tried) and `keys` (the DNSKEYs of the zone that
    /// signs it), at `time` (seconds since 1970). `total`: how many RRSIGs cover the RRset,
    /// when the caller passed only the first ones.
    /// - Secure when some RRSIG verifies with a key whose owner is its signer and is valid at
    ///   `time`; `validUntil` is then the LATEST expiration among those that do: an RRset
    ///   signed twice (a key rollover) stays valid until its last good signature expires.
    /// - Insecure when every RRSIG tried is of an algorithm ldns does not support (RFC 4035
    ///   §5.2, RFC 6840 §5.2); an RRSIG of an unsupported algorithm beside others is ignored.
    /// - Otherwise bogus, with the most telling problem among the RRSIGs tried (a date before a
    ///   bad signature, before a missing key), said to be among the first ones only when more
    ///   were there. No RRSIG at all: bogus, `noSignature`.
    static func verify(rrset: UnsafeMutablePointer<ldns_rr_list>, signatures: [UnsafeMutablePointer<ldns_rr>],
                       keys: UnsafeMutablePointer<ldns_rr_list>, at time: Int64, total: Int? = nil) -> DNSSECVerdict {
        guard !signatures.isEmpty else { return DNSSECVerdict(status: .bogus, problem: .noSignature) }
        var latest: UInt32?
        var problems: [DNSSECProblem] = [], unsupported = false
        for rrsig in signatures.prefix(signaturesPerRRset) {
            guard let problem = check(rrset: rrset, rrsig: rrsig, keys: keys, at: time) else {
                let expiration = field32(rrsig, 4)
                if latest.map({ DNSSECTime.absolute(expiration, near: time) > DNSSECTime.absolute($0, near: time) }) ?? true {
                    latest = expiration
                }
                continue
            }
            if case .unsupportedAlgorithm = problem { unsupported = true } else { problems.append(problem) }
        }
        if let latest { return DNSSECVerdict(status: .secure, validUntil: latest) }
        if problems.isEmpty && unsupported { return DNSSECVerdict(status: .insecure) }
        var worst = problems.min { rank($0) < rank($1) } ?? .other("no RRSIG could be read")
        let all = max(total ?? 0, signatures.count)
        if all > signaturesPerRRset { worst = .signatureLimitReached(tried: signaturesPerRRset, total: all, worst) }
        return DNSSECVerdict(status: .bogus, problem: worst)
    }

    /// One RRSIG: nil when it verifies at `time`, else why not. In the order validators check
    /// (RFC 4035 §5.3.1): a key at its signer name with its key tag, an algorithm ldns
    /// supports, its dates against `time` with serial arithmetic (RFC 4034 §3.1.5, RFC 1982:
    /// ldns's own date check reads times after 2038-01-19 as before 1970), the signature's
    /// size, then the cryptography (ldns, without its date check).
    static func check(rrset: UnsafeMutablePointer<ldns_rr_list>, rrsig: UnsafeMutablePointer<ldns_rr>,
                      keys: UnsafeMutablePointer<ldns_rr_list>, at time: Int64) -> DNSSECProblem? {
        guard ldns_rr_rd_count(rrsig) >= 9, let signer = ldns_rr_rdf(rrsig, 7), let signature = ldns_rr_rdf(rrsig, 8) else {
            return .signatureInvalid
        }
        let algorithm = field8(rrsig, 1), tag = field16(rrsig, 6)
        guard let own = ldns_rr_list_new() else { return .other("out of memory") }
        defer { ldns_rr_list_free(own) }  // shallow: the keys belong to `keys`
        for k in 0..<ldns_rr_list_rr_count(keys) {
            if let key = ldns_rr_list_rr(keys, k), ldns_dname_compare(ldns_rr_owner(key), signer) == 0 {
                _ = ldns_rr_list_push_rr(own, key)
            }
        }
        guard ldns_rr_list_rr_count(own) > 0 else {
            // The key is there, under another name: the RRSIG's signer name is wrong.
            for k in 0..<ldns_rr_list_rr_count(keys) {
                guard let key = ldns_rr_list_rr(keys, k), ldns_calc_keytag(key) == tag else { continue }
                return .signerMismatch(signer: LDNSConvert.text(of: signer), keyOwner: LDNSConvert.text(of: ldns_rr_owner(key)), keyTag: tag)
            }
            return .noMatchingKey(keyTag: tag)
        }
        // A key must match the RRSIG's algorithm too (RFC 4035 §5.3.1). Without one, the RRSIG
        // is bogus whatever its algorithm: one relabelled with an algorithm nobody supports must
        // not make its RRset insecure while the zone's keys are of algorithms validators use
        // (they answer SERVFAIL). Insecure is for zones whose keys are of unsupported
        // algorithms (RFC 4035 §5.2, RFC 6840 §5.2): then the key's algorithm is the RRSIG's.
        let signerKeys = (0..<ldns_rr_list_rr_count(own)).compactMap { ldns_rr_list_rr(own, $0) }
        if !signerKeys.contains(where: { field8($0, 2) == algorithm }) {  // DNSKEY: flags, protocol, algorithm, key
            if let key = signerKeys.first(where: { ldns_calc_keytag($0) == tag }) {
                return .algorithmMismatch(keyTag: tag, algorithm: algorithm, keyAlgorithm: field8(key, 2))
            }
            return .noMatchingKey(keyTag: tag)
        }
        guard ldns_key_algo_supported(Int32(algorithm)) != 0 else { return .unsupportedAlgorithm(algorithm) }
        let now = UInt32(truncatingIfNeeded: time), inception = field32(rrsig, 5), expiration = field32(rrsig, 4)
        if Int32(bitPattern: expiration &- inception) < 0 { return .datesInverted(inception: inception, expiration: expiration) }
        if Int32(bitPattern: now &- inception) < 0 { return .signatureNotYetValid(inception: inception) }
        if Int32(bitPattern: expiration &- now) < 0 { return .signatureExpired(expiration: expiration) }
        let bytes = ldns_rdf_size(signature)
        if let expected = DNSSECProblem.signatureBytes(algorithm), bytes != expected {
            return .malformedSignature(bytes: bytes, algorithm: algorithm)
        }
        // An RSA signature is as long as the key's modulus (RFC 3110 §3): none of the signer's
        // keys with its tag and algorithm has that length.
        let matching = signerKeys.filter { ldns_calc_keytag($0) == tag && field8($0, 2) == algorithm }
        let moduli = matching.compactMap(Self.rsaModulusBytes)
        if !moduli.isEmpty, moduli.count == matching.count, !moduli.contains(bytes) {
            return .malformedSignature(bytes: bytes, algorithm: algorithm)
        }
        // No list of the keys that verified: ldns adds to it only when one is given.
        let status = ldns_verify_rrsig_keylist_notime(rrset, rrsig, own, nil)
        switch status {
        case LDNS_STATUS_OK: return nil
        // What ldns says when the signature's bytes cannot be decoded (an RSA signature longer
        // than the key, a DER conversion that fails): raw texts ("General memory error",
        // "Error in SSL library") that say nothing to a reader.
        case LDNS_STATUS_MEM_ERR, LDNS_STATUS_SSL_ERR, LDNS_STATUS_WIRE_RDATA_ERR:
            return .malformedSignature(bytes: bytes, algorithm: algorithm)
        default: return problem(status, rrsig)
        }
    }

    /// The length of an RSA key's modulus (RFC 3110 §2: exponent length in one byte, or 0 and
    /// two bytes, the exponent, then the modulus); nil for other algorithms.
    static func rsaModulusBytes(_ key: UnsafeMutablePointer<ldns_rr>) -> Int? {
        guard [5, 7, 8, 10].contains(field8(key, 2)), let field = ldns_rr_rdf(key, 3), let data = ldns_rdf_data(field) else { return nil }
        let size = ldns_rdf_size(field)
        guard size > 3 else { return nil }
        let (exponent, header) = data[0] == 0 ? (Int(data[1]) << 8 | Int(data[2]), 3) : (Int(data[0]), 1)
        let modulus = size - header - exponent
        return modulus > 0 ? modulus : nil
    }

    /// ldns's status → the problem, in the words validators use.
    static func problem(_ status: ldns_status, _ rrsig: UnsafeMutablePointer<ldns_rr>) -> DNSSECProblem {
        switch status {
        case LDNS_STATUS_CRYPTO_SIG_EXPIRED, LDNS_STATUS_CRYPTO_SIG_EXPIRED_WITHIN_MARGIN:
            .signatureExpired(expiration: field32(rrsig, 4))
        case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED, LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED_WITHIN_MARGIN:
            .signatureNotYetValid(inception: field32(rrsig, 5))
        case LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY, LDNS_STATUS_CRYPTO_NO_DNSKEY, LDNS_STATUS_CRYPTO_NO_TRUSTED_DNSKEY:
            .noMatchingKey(keyTag: field16(rrsig, 6))
        case LDNS_STATUS_CRYPTO_NO_DS, LDNS_STATUS_CRYPTO_NO_TRUSTED_DS: .noKeyMatchingDS
        case LDNS_STATUS_CRYPTO_BOGUS: .signatureInvalid
        case LDNS_STATUS_CRYPTO_UNKNOWN_ALGO, LDNS_STATUS_CRYPTO_ALGO_NOT_IMPL: .unsupportedAlgorithm(field8(rrsig, 1))
        case LDNS_STATUS_CRYPTO_NO_RRSIG: .noSignature
        default: .other(String(cString: ldns_get_errorstr_by_id(status)))
        }
    }

    /// Which problem tells most, when no RRSIG verifies: dates first (the usual breakage, and
    /// the signature is otherwise good), then a bad signature, a missing key.
    static func rank(_ p: DNSSECProblem) -> Int {
        switch p {
        case .signatureExpired: 0
        case .signatureNotYetValid, .datesInverted: 1
        case .signatureInvalid, .malformedSignature: 2
        case .unsupportedAlgorithm: 3
        case .noMatchingKey, .noKeyMatchingDS, .signerMismatch, .algorithmMismatch: 4
        default: 5
        }
    }

    /// RRSIG fields by index (RFC 4034 §3.1): 0 type covered, 1 algorithm, 2 labels, 3 original
    /// TTL, 4 expiration, 5 inception, 6 key tag, 7 signer, 8 signature.
    private static func field32(_ rr: UnsafeMutablePointer<ldns_rr>, _ i: Int) -> UInt32 {
        guard let rdf = ldns_rr_rdf(rr, i), ldns_rdf_size(rdf) == 4 else { return 0 }
        return ldns_rdf2native_int32(rdf)
    }

    private static func field16(_ rr: UnsafeMutablePointer<ldns_rr>, _ i: Int) -> UInt16 {
        guard let rdf = ldns_rr_rdf(rr, i), ldns_rdf_size(rdf) == 2 else { return 0 }
        return ldns_rdf2native_int16(rdf)
    }

    private static func field8(_ rr: UnsafeMutablePointer<ldns_rr>, _ i: Int) -> UInt8 {
        guard let rdf = ldns_rr_rdf(rr, i), ldns_rdf_size(rdf) == 1 else { return 0 }
        return ldns_rdf2native_int8(rdf)
    }
}

/// `SignatureCheck` for zone files: the records' wire forms, as the zone scanner gave them,
/// made into ldns records (`ldns_wire2rr`) and verified.
public struct ZoneSignatureVerifier: RRsetSignatureVerifier {
    public init() {}

    public func verdict(rrset: [[UInt8]], signatures: [[UInt8]], keys: [[UInt8]], at time: Int64) -> DNSSECVerdict {
        // Only the RRSIGs that are tried are read into ldns (a file may have thousands).
        let total = signatures.count
        let lists = [rrset, Array(signatures.prefix(SignatureCheck.signaturesPerRRset)), keys].map(Self.list)
        defer { for list in lists { ldns_rr_list_deep_free(list) } }
        guard let set = lists[0], let sigs = lists[1], let keyList = lists[2] else {
            return DNSSECVerdict(status: .indeterminate, problem: .other("ldns could not read the records back"))
        }
        let signatures = (0..<ldns_rr_list_rr_count(sigs)).compactMap { ldns_rr_list_rr(sigs, $0) }
        return SignatureCheck.verify(rrset: set, signatures: signatures, keys: keyList, at: time, total: total)
    }

    /// Records in wire form → an ldns list that owns them; records ldns cannot read are left out.
    static func list(_ wires: [[UInt8]]) -> UnsafeMutablePointer<ldns_rr_list>? {
        guard let list = ldns_rr_list_new() else { return nil }
        for wire in wires {
            var rr: UnsafeMutablePointer<ldns_rr>?
            var position = 0
            let status = wire.withUnsafeBufferPointer { ldns_wire2rr(&rr, $0.baseAddress, $0.count, &position, LDNS_SECTION_ANSWER) }
            if status == LDNS_STATUS_OK, let rr { _ = ldns_rr_list_push_rr(list, rr) }
        }
        return list
    }
}
