/// Verifies the RRSIGs over one RRset against DNSKEYs at a time (RFC 4035 §5.3): FedplanDNS's
/// `ZoneSignatureVerifier`, through ldns. Records come in wire form as the zone file's scanner
/// gave them (owner, type, class, TTL, rdata length, rdata: RFC 1035 §4.1.3).
public protocol RRsetSignatureVerifier: Sendable {
    /// `signatures`: the RRSIGs at the RRset's owner that cover its type; `keys`: the zone's
    /// DNSKEYs (never empty: a zone without DNSKEY is insecure and asks nothing); `time`:
    /// seconds since 1970.
    func verdict(rrset: [[UInt8]], signatures: [[UInt8]], keys: [[UInt8]], at time: Int64) -> DNSSECVerdict
}

/// How `dns check --zone-file` checks signatures: with what, as at when, and how close an
/// expiration must be to be `dnssec-signature-expiring`.
public struct SignatureCheckOptions: Sendable {
    public var verifier: any RRsetSignatureVerifier
    /// The check time, seconds since 1970 (UTC): now, except in tests and rule examples.
    public var now: Int64
    /// `--signature-horizon`, in seconds.
    public var horizon: Int64

    public init(verifier: any RRsetSignatureVerifier, now: Int64, horizon: Int64 = SignatureHorizon.defaultSeconds) {
        self.verifier = verifier
        self.now = now
        self.horizon = horizon
    }
}

/// `--signature-horizon`: days (`7d`), hours (`12h`) or seconds (`3600`).
public enum SignatureHorizon {
    public static let defaultSeconds: Int64 = 7 * 86_400
    /// Ten years: an RRSIG is rarely valid for more than a few weeks.
    static let longest: Int64 = 3650 * 86_400

    /// The horizon in seconds, or why the text is refused.
    public static func parse(_ text: String) -> Result<Int64, Refusal> {
        let unit: Int64, digits: Substring
        switch text.last {
        case "d", "D": (unit, digits) = (86_400, text.dropLast())
        case "h", "H": (unit, digits) = (3600, text.dropLast())
        case "s", "S": (unit, digits) = (1, text.dropLast())
        default: (unit, digits) = (1, Substring(text))
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return .failure(Refusal(description: "expected days (7d), hours (12h) or seconds (3600), found '\(Escape.text(text))'"))
        }
        guard digits.utf8.count <= 12, let n = Int64(digits), n * unit <= longest else {
            return .failure(Refusal(description: "at most 3650 days (10 years), found '\(Escape.text(text))'"))
        }
        return .success(n * unit)
    }

    public struct Refusal: Error, CustomStringConvertible, Equatable {
        public let description: String
    }
}

/// The DNSSEC side of a zone-file check: each planned RRset's verdict from the RRsets its answer
/// is made of, verified against the DNSKEYs at the apex of their zone; and the findings.
/// "secure" on a zone file means signed and verifying with the zone's own DNSKEYs: a file has
/// no chain of trust (no DS, no trust anchor) to check (docs/zone-files.md).
final class ZoneSignatures {
    let collector: ZoneCollector
    let answers: ZoneAnswers
    let options: SignatureCheckOptions
    /// Whether some zone given has a DNSKEY: when none has, every covered RRset is insecure and
    /// nothing is looked at (an unsigned zone costs nothing).
    let anySigned: Bool

    init(collector: ZoneCollector, answers: ZoneAnswers, options: SignatureCheckOptions) {
        self.collector = collector
        self.answers = answers
        self.options = options
        anySigned = !collector.keys.isEmpty
    }

    /// One RRset as written in a file: the records, the RRSIGs over it, the zone's keys.
    struct Verdict {
        var verdict: DNSSECVerdict
        /// The RRset's owner as written (a wildcard's, for a synthesized answer) and type.
        var owner: String
        var type: String
        /// Its first record's line.
        var location: SourceLocation?
    }

    /// The verdict on a planned RRset, from its answer (one from the zones given:
    /// `ZoneAnswers.answer`); nil when not checked (no record in a signed zone: denial of
    /// existence is not checked in files).
    func verdict(_ question: Question, _ outcome: QueryOutcome) -> Verdict? {
        guard case .answer(let a) = outcome else { return nil }
        guard anySigned else { return Verdict(verdict: DNSSECVerdict(status: .insecure), owner: "", type: "") }
        var worst: Verdict?
        var seen: Set<String> = []
        for r in a.records {
            let owner = r.wildcard ?? r.owner.dnsLowercased
            guard seen.insert("\(owner) \(r.type)").inserted, let v = rrsetVerdict(owner: owner, type: r.type) else { continue }
            if worst == nil || Self.rank(v.verdict.status) > Self.rank(worst!.verdict.status)
                || v.verdict.status == .secure && worst!.verdict.status == .secure
                && (v.verdict.earliestExpiration.map { DNSSECTime.absolute($0, near: options.now) } ?? .max)
                < (worst!.verdict.earliestExpiration.map { DNSSECTime.absolute($0, near: options.now) } ?? .max) {
                worst = v
            }
        }
        if worst == nil, let zone = answers.zone(of: question.name), collector.keys[zone] == nil {
            return Verdict(verdict: DNSSECVerdict(status: .insecure), owner: "", type: "")
        }
        return worst
    }

    /// How bad a status is, for the worst of an answer's RRsets.
    static func rank(_ status: DNSSECStatus) -> Int {
        switch status {
        case .secure: 0
        case .insecure: 1
        case .indeterminate: 2
        case .bogus: 3
        }
    }

    /// The verdict on the RRset `owner`/`type` as kept; nil when it is not kept there (a CNAME
    /// synthesized from a DNAME).
    func rrsetVerdict(owner: String, type: String) -> Verdict? {
        guard let records = collector.kept[owner], let from = collector.keptFrom[owner] else { return nil }
        let members = records.indices.filter { records[$0].type == type }
        guard let first = members.first else { return nil }
        let location = records[first].location
        guard let zone = answers.zone(of: owner), let keys = collector.keys[zone] else {
            return Verdict(verdict: DNSSECVerdict(status: .insecure), owner: owner, type: type, location: location)
        }
        let signatures = records.indices.filter { records[$0].code == .rrsig && records[$0].rdata.first == type }
        let wires = (members + signatures).map { from[$0].wire }
        guard wires.allSatisfy({ $0 != nil }), keys.allSatisfy({ $0.wire != nil }) else {
            // Every record of a signed zone is kept with its wire form (ZoneCollector): not reached.
            return Verdict(verdict: DNSSECVerdict(status: .indeterminate, problem: .other("the records were not kept in wire form")),
                           owner: owner, type: type, location: location)
        }
        let verdict = options.verifier.verdict(rrset: members.map { from[$0].wire! }, signatures: signatures.map { from[$0].wire! },
                                               keys: keys.map { $0.wire! }, at: options.now)
        return Verdict(verdict: verdict, owner: owner, type: type, location: location)
    }

    /// `dnssec-bogus` for a bogus verdict, `dnssec-signature-expiring` for a secure one whose
    /// earliest good RRSIG expires within the horizon.
    func findings(_ v: Verdict, question: Question) -> [Finding] {
        let about = v.owner == question.name && v.type == question.type
            ? "\(v.type) RRset" : "\(v.type) RRset at \(v.owner) (in the answer for \(question.type) \(question.name))"
        switch v.verdict.status {
        case .bogus:
            let reason = (v.verdict.problem ?? .other("does not validate")).reason(now: options.now)
            return [Finding(
                rule: "dnssec-bogus", severity: .error, name: question.name, type: question.type,
                message: "the \(about) fails DNSSEC validation (\(reason)): validating resolvers answer SERVFAIL for it, so partners that validate cannot see it",
                observed: reason, location: v.location,
                fix: "sign the zone again (ldns-signzone, dnssec-signzone, knotc zone-sign), with every RRset signed by a key in its DNSKEY set")]
        case .secure:
            guard let expiration = v.verdict.earliestExpiration else { return [] }
            let at = DNSSECTime.absolute(expiration, near: options.now)
            guard at - options.now <= options.horizon else { return [] }
            let date = DNSSECTime.iso8601(at)
            return [Finding(
                rule: "dnssec-signature-expiring", severity: .warning, name: question.name, type: question.type,
                message: "the RRSIG over the \(about) expires on \(date), in \(DNSSECTime.span(at - options.now)) (within --signature-horizon \(DNSSECTime.span(options.horizon))); unless the zone is signed again before then, validating partners will get SERVFAIL",
                observed: "expires \(date)", location: v.location,
                fix: "sign the zone again before \(date), or check that automatic re-signing runs")]
        case .insecure, .indeterminate:
            return []
        }
    }
}
