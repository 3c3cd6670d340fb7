import Foundation

/// The time signatures are judged at, and how far ahead `dnssec-signature-expiring` looks.
/// RRSIG times are seconds since 1970 modulo 2^32 (RFC 4034 §3.1.5).
public struct SignatureClock: Sendable, Equatable {
    /// `--signature-horizon`'s default: a week, the usual margin between re-signing runs.
    public static let defaultHorizon: UInt32 = 7 * 86_400

    public var now: UInt32
    public var horizon: UInt32

    public init(now: UInt32 = SignatureClock.currentTime, horizon: UInt32 = SignatureClock.defaultHorizon) {
        self.now = now
        self.horizon = horizon
    }

    public static var currentTime: UInt32 { UInt32(truncatingIfNeeded: Int64(Date().timeIntervalSince1970)) }

    /// Whether `expiration` falls within the horizon (RFC 1982 serial arithmetic: the field wraps in 2106).
    public func expiresSoon(_ expiration: UInt32) -> Bool {
        let left = Int32(bitPattern: expiration &- now)
        return horizon > 0 && left >= 0 && UInt32(left) <= horizon  // 0: never
    }

    /// `2026-11-24 12:00:00 UTC`: an RRSIG time read nearest to now (`DNSSECTime`).
    public func date(_ time: UInt32) -> String {
        DNSSECTime.utc(DNSSECTime.absolute(time, near: Int64(now)))
    }

    /// The horizon for "within …": `7 days`, `12 hours` (`DNSSECTime.horizon`).
    public var horizonText: String { DNSSECTime.horizon(Int64(horizon)) }
}

extension DNSSECStatus {
    /// Worst first: bogus, indeterminate, insecure, secure (several RRsets or servers, one status).
    var rank: Int {
        switch self {
        case .bogus: 0
        case .indeterminate: 1
        case .insecure: 2
        case .secure: 3
        }
    }

    public static func worst(_ a: DNSSECStatus?, _ b: DNSSECStatus?) -> DNSSECStatus? {
        guard let a else { return b }
        guard let b else { return a }
        return a.rank <= b.rank ? a : b
    }
}

extension DNSSECProblem {
    /// The reason, as DNSViz and Zonemaster name it, with the dates for times.
    public func sentence(_ clock: SignatureClock) -> String {
        switch self {
        case .signatureExpired(let expiration): "the RRSIG expired on \(clock.date(expiration)) (signature expired)"
        case .signatureNotYetValid(let inception): "the RRSIG is not valid before \(clock.date(inception)) (signature not yet valid)"
        case .datesInverted(let inception, let expiration):
            "the RRSIG's inception (\(clock.date(inception))) is after its expiration (\(clock.date(expiration))): the dates are inverted, so it is never valid"
        case .malformedSignature(let bytes, let algorithm):
            "the RRSIG's signature is malformed (\(bytes) bytes for algorithm \(algorithm)\(Self.signatureBytes(algorithm).map { ", whose signatures are \($0) bytes" } ?? ", not the length of the key's modulus"))"
        case .signerMismatch(let signer, let owner, let tag):
            "the RRSIG names the signer \(Escape.text(signer)), but the zone's DNSKEY with key tag \(tag) is at \(Escape.text(owner)): the signer name is wrong (it must be the zone's apex)"
        case .signatureLimitReached(let tried, let total, let inner):
            "none of the first \(tried) of the \(total) RRSIGs over the RRset verifies (fedplan tries at most \(tried); a signer writes one or two per key): \(inner.sentence(clock))"
        case .noSignature: "no RRSIG covers the RRset, in a signed zone"
        case .noMatchingKey(let tag): "no DNSKEY of the zone has the key tag \(tag) that the RRSIG names"
        case .algorithmMismatch(let tag, let algorithm, let keyAlgorithm):
            "the RRSIG names algorithm \(algorithm) and key tag \(tag), but the zone's DNSKEY with key tag \(tag) is of algorithm \(keyAlgorithm) and none of algorithm \(algorithm) is published, so nothing verifies it (validators need a key of the RRSIG's own algorithm)"
        case .noKeyMatchingDS: "no DNSKEY of the zone matches the DS (or trust anchor) that vouches for it"
        case .signatureInvalid: "the signature does not verify over the RRset"
        case .unsupportedAlgorithm(let n): "the signing algorithm \(n) is not supported"
        case .resolverError(let code, let text): "the resolver says \(ExtendedDNSError(code: code, text: text).description)"
        case .keySet(let tag, _):
            "the zone's DNSKEY set\(tag.map { " (key tag \($0))" } ?? "") does not validate, so nothing in the zone does (the dnssec-bogus finding on the zone's DNSKEY at its apex says why)"
        case .anchorKeyDoesNotSignKeySet(let anchor, let signers):
            "the DS (or trust anchor) names the key with key tag \(anchor), which is in the zone's DNSKEY set but does not sign it (the set is signed by key tag \(Self.tags(signers)))"
        case .denialNotProven(let why): Escape.text(why)
        case .keysMissing(let signers):
            "the zone carries RRSIGs (by key tag \(Self.tags(signers))) and no DNSKEY at its apex"
        case .keysWithoutSignatures: "the zone publishes DNSKEYs and carries no RRSIG at all"
        case .tooManyKeys(let count, let limit):
            "the zone's DNSKEY set has \(count) keys, more than the \(limit) fedplan reads (a zone has two to four), so it is not verified"
        case .other(let why): Escape.text(why)
        }
    }

    /// The finding on the zone's apex DNSKEY when the DNSKEY set itself fails.
    public func keySetSentence(_ clock: SignatureClock) -> String {
        switch self {
        case .keySet(let tag, .noKeyMatchingDS):
            "the zone's DNSKEY set has no key that the DS (or trust anchor)\(tag.map { " with key tag \($0)" } ?? "") names"
        case .keySet(_, .keysMissing(let signers)):
            "the zone is signed (its RRSIGs name key tag \(Self.tags(signers))) but publishes no DNSKEY at its apex, so none of its signatures can be verified; validators that find a DS for the zone at its parent answer SERVFAIL (DNSKEY Missing)"
        case .keySet(_, .keysWithoutSignatures):
            "the zone publishes DNSKEYs and carries no RRSIG at all, neither over the DNSKEY set nor over any planned RRset: an unsigned zone with its keys (the source a signer reads, its key files included), not a signed one"
        case .keySet(_, .tooManyKeys(let count, let limit)):
            "the zone's DNSKEY set has \(count) keys, more than the \(limit) fedplan reads: a zone has two to four (a key-signing and a zone-signing key, twice during a rollover), and a large set costs validators a public-key operation per key (CVE-2023-50387), so it is not verified"
        case .keySet(let tag, .noSignature):
            "the zone's DNSKEY set has no RRSIG\(tag.map { " by the key with key tag \($0), the one the DS (or trust anchor) names" } ?? "")"
        case .keySet(let tag, let inner):
            "the zone's DNSKEY set\(tag.map { " (its RRSIG by key tag \($0))" } ?? "") fails: \(inner.sentence(clock))"
        default: "the zone's DNSKEY set fails: \(sentence(clock))"
        }
    }

    /// The size of a signature of a fixed-size algorithm (RFC 6605, RFC 8080): 13 and 15, 64
    /// bytes; 14, 96; 16, 114. Nil for RSA, whose signatures are as long as the key.
    public static func signatureBytes(_ algorithm: UInt8) -> Int? {
        switch algorithm {
        case 13, 15: 64
        case 14: 96
        case 16: 114
        default: nil
        }
    }

    static func tags(_ tags: [UInt16]) -> String {
        tags.isEmpty ? "no key" : tags.map(String.init).joined(separator: ", ")
    }

    /// What to do about it.
    var fix: String {
        switch self {
        case .signatureExpired, .signatureNotYetValid:
            "sign the zone again (and check the signer's clock and its re-signing schedule)"
        case .datesInverted: "sign the zone again with an inception before the expiration (and check the signer's clock)"
        case .malformedSignature: "sign the zone again: the signature was damaged (cut, padded or edited) after signing"
        case .signerMismatch(_, let owner, _): "sign the zone again: the RRSIG's signer name must be the zone's apex, \(Escape.text(owner))"
        case .signatureLimitReached(let tried, _, let inner):
            "remove the stray RRSIGs over the RRset (a signer writes one or two per key, and fedplan tries only the first \(tried)), then: \(inner.fix)"
        case .noSignature: "sign the zone again so that every RRset has its RRSIG, or remove the zone's DS to make it unsigned"
        case .noMatchingKey, .noKeyMatchingDS:
            "publish the DNSKEY the DS (or trust anchor) names, or replace the DS at the parent with one for the zone's key"
        case .signatureInvalid: "sign the zone again: the records were changed after signing, or the key does not match"
        case .algorithmMismatch: "sign the zone again with the keys it publishes: an RRSIG's algorithm must be its key's (the algorithm field was changed, or the keys were replaced without signing again)"
        case .unsupportedAlgorithm: "sign with a supported algorithm (13, ECDSA P-256 with SHA-256, or 8, RSA/SHA-256)"
        case .keySet(_, let inner): inner.fix
        case .anchorKeyDoesNotSignKeySet(_, let signers):
            "the DS (or trust anchor) must name the key-signing key that signs the DNSKEY set, key tag \(Self.tags(signers)): replace the DS at the parent with that key's (ldns-key2ds)"
        case .denialNotProven:
            "sign the zone again so that its NSEC or NSEC3 chain is complete and signed (a negative answer must carry the records that prove it)"
        case .resolverError(let code, _): ExtendedDNSError.fix(code)
        case .keysMissing:
            "publish the zone's DNSKEYs at its apex again (sign the zone again with its keys), or remove its RRSIGs and the DS at its parent to make it unsigned"
        case .keysWithoutSignatures:
            "check the signed file the signer writes (ldns-signzone and dnssec-signzone write ZONE.signed), or pass --no-dnssec to check an unsigned source"
        case .tooManyKeys:
            "publish only the zone's own keys at its apex (two to four) and sign the zone again"
        case .other:
            "find what the resolver's validator says (unbound val-log-level: 2, delv, dnsviz.net) and sign the zone again"
        }
    }

    /// What to do about it, for a zone file: the file is fixed by signing it again or
    /// publishing a key; DS records and resolvers are not in it.
    func fix(inZoneFile: Bool) -> String {
        guard inZoneFile else { return fix }
        switch self {
        case .noSignature: return "sign the zone again so that every RRset has its RRSIG"
        case .noMatchingKey(let tag):
            return "publish the DNSKEY with key tag \(tag) at the zone's apex, or sign the zone again with the keys it publishes"
        case .keySet(_, .noSignature):
            return "sign the zone again so that its DNSKEY set has an RRSIG by its key-signing key (ldns-signzone, dnssec-signzone and Knot sign it)"
        case .keySet(_, let inner): return inner.fix(inZoneFile: true)
        case .signatureLimitReached(let tried, _, let inner):
            return "remove the stray RRSIGs over the RRset (a signer writes one or two per key, and fedplan tries only the first \(tried)), then: \(inner.fix(inZoneFile: true))"
        case .other:
            return "sign the zone again (ldns-signzone, dnssec-signzone or Knot) and check the signed file with kzonecheck -d on"
        default: return fix
        }
    }
}

extension Run {
    /// The DNSSEC verdict on a planned RRset's answer: its status on the records, and
    /// `dnssec-bogus` / `dnssec-signature-expiring` when it says so.
    /// `place`: zone files, the line of the RRset judged.
    mutating func judgeDNSSEC(_ verdict: DNSSECVerdict?, name: String, type: String, records: [Int],
                              at place: @autoclosure () -> SourceLocation? = nil) {
        guard let verdict else { return }
        for i in records { dnssec[i] = DNSSECStatus.worst(dnssec[i], verdict.status) }
        switch verdict.status {
        case .bogus:
            let problem = verdict.problem ?? .other("validation fails")
            report("dnssec-bogus", .error, name: name, type: type,
                   "partners that validate cannot see it: \(problem.sentence(clock))",
                   observed: "bogus", fix: problem.fix(inZoneFile: fromZoneFiles), at: place(), records: records)
        case .secure, .indeterminate:
            guard let expiration = verdict.validUntil, clock.expiresSoon(expiration) else { return }
            report("dnssec-signature-expiring", .warning, name: name, type: type,
                   "the RRSIG expires on \(clock.date(expiration)), within \(clock.horizonText); partners that validate will not see the records after that unless the zone is signed again",
                   observed: "expires \(clock.date(expiration))", fix: "sign the zone again before \(clock.date(expiration))",
                   at: place(), records: records)
        case .insecure:
            break
        }
    }

    /// The zone's DNSKEY set, once per zone and server at the zone's apex (name = apex, type
    /// DNSKEY), for the zones this server answered for with authority: bogus when the set
    /// fails, expiring when its RRSIG does (the whole zone turns bogus then).
    /// Zone files: every zone in `keySets` (those the planned answers came from), at its
    /// DNSKEY's line (`places`).
    mutating func judgeKeySets(_ keySets: [String: DNSSECVerdict], places: [String: SourceLocation] = [:]) {
        guard !keySets.isEmpty else { return }
        var answered: Set<String> = []
        if fromZoneFiles {
            answered = Set(keySets.keys)
        } else {
            for set in rrsets.sets {
                guard case .answer(let a)? = outcomes[set.question], a.authoritative, a.referral == nil else { continue }
                answered.insert(allRecords[set.indices[0]].zone.description)
            }
        }
        for zone in answered.sorted() {
            guard let verdict = keySets[zone] else { continue }
            switch verdict.status {
            case .bogus:
                let problem = verdict.problem ?? .other("validation fails")
                report("dnssec-bogus", .error, name: zone, type: "DNSKEY",
                       "partners that validate cannot see anything in the zone: \(problem.keySetSentence(clock))",
                       observed: "bogus", fix: problem.fix(inZoneFile: fromZoneFiles), at: places[zone], records: [])
            case .secure, .indeterminate:
                guard let expiration = verdict.validUntil, clock.expiresSoon(expiration) else { continue }
                report("dnssec-signature-expiring", .warning, name: zone, type: "DNSKEY",
                       "the RRSIG over the zone's DNSKEY set expires on \(clock.date(expiration)), within \(clock.horizonText); the whole zone turns bogus for partners that validate after that unless the zone is signed again",
                       observed: "expires \(clock.date(expiration))", fix: "sign the zone again (its DNSKEY set too) before \(clock.date(expiration))",
                       at: places[zone], records: [])
            case .insecure:
                break
            }
        }
    }
}
