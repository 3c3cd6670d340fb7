/// Verifies the RRSIGs over one RRset against DNSKEYs at a time (RFC 4035 §5.3): FedplanDNS's
/// `ZoneSignatureVerifier`, through ldns. Records come in wire form as the zone file's scanner
/// gave them (owner, type, class, TTL, rdata length, rdata: RFC 1035 §4.1.3).
public protocol RRsetSignatureVerifier: Sendable {
    /// `signatures`: the RRSIGs at the RRset's owner that cover its type; `keys`: the zone's
    /// DNSKEYs (never empty: a zone without DNSKEY is insecure and asks nothing); `time`:
    /// seconds since 1970.
    func verdict(rrset: [[UInt8]], signatures: [[UInt8]], keys: [[UInt8]], at time: Int64) -> DNSSECVerdict
}

/// How `dns check --zone-file` checks signatures: with what, and when (the clock also says how
/// close an expiration must be for `dnssec-signature-expiring`).
public struct SignatureCheckOptions: Sendable {
    public var verifier: any RRsetSignatureVerifier
    public var clock: SignatureClock

    public init(verifier: any RRsetSignatureVerifier, clock: SignatureClock = SignatureClock()) {
        self.verifier = verifier
        self.clock = clock
    }
}

/// `--signature-horizon`: days (`7d`), hours (`12h`) or seconds (`3600`).
public enum SignatureHorizon {
    public static let defaultSeconds = Int64(SignatureClock.defaultHorizon)
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
/// is made of, verified against the DNSKEYs at the apex of their zone (the checker judges it,
/// as it judges a live answer's). "secure" on a zone file means signed and verifying with the
/// zone's own DNSKEYs: a file has no chain of trust (no DS, no trust anchor) to check
/// (docs/zone-files.md).
final class ZoneSignatures {
    let collector: ZoneCollector
    let answers: ZoneAnswers
    let options: SignatureCheckOptions
    /// Whether some zone given has a DNSKEY: when none has, nothing is looked at and every
    /// zone is judged insecure once (an unsigned zone costs nothing).
    let anySigned: Bool

    init(collector: ZoneCollector, answers: ZoneAnswers, options: SignatureCheckOptions) {
        self.collector = collector
        self.answers = answers
        self.options = options
        anySigned = !collector.keys.isEmpty
    }

    var now: Int64 { Int64(options.clock.now) }

    /// The verdict on a planned RRset from its answer (one from the zones given:
    /// `ZoneAnswers.outcome(_:fromZones:)`): the worst of the RRsets the answer is made of
    /// (a CNAME, then the records). Nil when not checked: no record in a signed zone (denial of
    /// existence, NSEC and NSEC3, is not checked in files).
    func verdict(_ question: Question, _ a: DNSAnswer) -> DNSSECVerdict? {
        var worst: DNSSECVerdict?
        var seen: Set<String> = []
        for r in a.records {
            let owner = r.wildcard ?? r.owner.dnsLowercased
            guard seen.insert("\(owner) \(r.type)").inserted, let v = rrsetVerdict(owner: owner, type: r.type) else { continue }
            if let w = worst, !worse(v, than: w) { continue }
            worst = v
        }
        if worst == nil, let zone = answers.zone(of: question.name), collector.keys[zone] == nil {
            return DNSSECVerdict(status: .insecure)
        }
        return worst
    }

    /// Worse status first; between two secure ones, the one valid for less long.
    func worse(_ a: DNSSECVerdict, than b: DNSSECVerdict) -> Bool {
        if a.status != b.status { return a.status.rank < b.status.rank }
        guard a.status == .secure, let x = a.validUntil else { return false }
        guard let y = b.validUntil else { return true }
        return DNSSECTime.absolute(x, near: now) < DNSSECTime.absolute(y, near: now)
    }

    /// The verdict on the RRset `owner`/`type` as kept; nil when it is not kept there (a CNAME
    /// synthesized from a DNAME).
    func rrsetVerdict(owner: String, type: String) -> DNSSECVerdict? {
        guard let records = collector.kept[owner], let from = collector.keptFrom[owner] else { return nil }
        let members = records.indices.filter { records[$0].type == type }
        guard !members.isEmpty else { return nil }
        guard let zone = answers.zone(of: owner), let keys = collector.keys[zone] else { return DNSSECVerdict(status: .insecure) }
        let signatures = records.indices.filter { records[$0].code == .rrsig && records[$0].rdata.first == type }
        let set = members.compactMap { from[$0].wire }, sigs = signatures.compactMap { from[$0].wire }
        let keyWires = keys.compactMap(\.wire)
        // Every record of a signed zone is kept with its wire form (ZoneCollector): not reached.
        guard set.count == members.count, sigs.count == signatures.count, keyWires.count == keys.count else {
            return DNSSECVerdict(status: .indeterminate, problem: .other("the records were not kept in wire form"))
        }
        return options.verifier.verdict(rrset: set, signatures: sigs, keys: keyWires, at: now)
    }
}
