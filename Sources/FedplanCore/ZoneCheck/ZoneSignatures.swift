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
    /// Whether some zone given has a DNSKEY or an RRSIG: when none has, nothing is looked at
    /// and every zone is judged insecure once (an unsigned zone costs nothing).
    let anySigned: Bool
    /// By zone apex, the verdict on its DNSKEY set, judged once (`keySet`).
    private var keySetMemo: [String: DNSSECVerdict?] = [:]
    /// The zones the planned answers came from: their key sets are reported.
    private(set) var usedZones: Set<String> = []
    /// By zone, the key tags its RRSIGs at planned names name (made once, only when some zone
    /// has RRSIGs and no DNSKEY).
    private lazy var signersByZone: [String: Set<UInt16>] = {
        var zones: [String: Set<UInt16>] = [:]
        guard collector.signaturesKept > 0 else { return zones }
        for (owner, records) in collector.kept {
            for r in records where r.code == .rrsig {
                guard let zone = answers.zone(of: owner) else { break }
                zones[zone, default: []].insert(Self.keyTag(r) ?? 0)
            }
        }
        return zones
    }()

    init(collector: ZoneCollector, answers: ZoneAnswers, options: SignatureCheckOptions) {
        self.collector = collector
        self.answers = answers
        self.options = options
        anySigned = !collector.keys.isEmpty || collector.signaturesKept > 0 || !collector.keySignatures.isEmpty
    }

    /// The key tag an RRSIG names (its seventh field).
    static func keyTag(_ rrsig: DNSRecord) -> UInt16? {
        rrsig.rdata.count > 6 ? UInt16(rrsig.rdata[6]) : nil
    }

    /// The zone's DNSKEY set, judged once per zone as a live check judges it (docs/dnssec.md):
    /// its RRSIGs verified with its own keys. Nil for an unsigned zone (no DNSKEY, no RRSIG).
    /// Bogus (`DNSSECProblem.keySet`) when the set fails, when the zone has RRSIGs and no
    /// DNSKEY, or more DNSKEYs than are read; then everything in the zone is bogus too, as
    /// validators see it. Insecure when it is signed only with algorithms ldns does not support,
    /// by keys of those algorithms.
    func keySet(_ zone: String) -> DNSSECVerdict? {
        if let known = keySetMemo[zone] { return known }
        let verdict = judgeKeySet(zone)
        keySetMemo[zone] = verdict
        return verdict
    }

    /// The RRSIGs over the zone's DNSKEY set: at the apex when it is not a planned name, among
    /// its kept records when it is (a name read in a later pass may have both; one of each).
    func keySignatures(_ zone: String) -> [(record: DNSRecord, wire: [UInt8]?)] {
        var found: [(record: DNSRecord, wire: [UInt8]?)] = (collector.keySignatures[zone] ?? []).map { ($0.record, $0.wire) }
        if let records = collector.kept[zone], let from = collector.keptFrom[zone] {
            for k in records.indices where records[k].code == .rrsig && records[k].rdata.first == "DNSKEY" {
                let wire = from[k].wire
                guard !found.contains(where: { wire != nil ? $0.wire == wire : $0.record.rdata == records[k].rdata }) else { continue }
                found.append((records[k], wire))
            }
        }
        return Array(found.prefix(ZoneCollector.keysPerName))
    }

    private func judgeKeySet(_ zone: String) -> DNSSECVerdict? {
        let signatures = keySignatures(zone)
        guard let keys = collector.keys[zone], !keys.isEmpty else {
            let signers = Set(signatures.compactMap { Self.keyTag($0.record) }).union(signersByZone[zone] ?? [])
            guard !signers.isEmpty || !signatures.isEmpty else { return nil }
            return DNSSECVerdict(status: .bogus, problem: .keySet(keyTag: nil, .keysMissing(signers: signers.sorted())))
        }
        let count = collector.keyCount[zone] ?? keys.count
        guard count <= ZoneCollector.keysPerName else {
            return DNSSECVerdict(status: .bogus, problem: .keySet(keyTag: nil, .tooManyKeys(count: count, limit: ZoneCollector.keysPerName)))
        }
        // Keys and no signature anywhere: an unsigned source that includes its key files.
        if signatures.isEmpty && (signersByZone[zone]?.isEmpty ?? true) {
            return DNSSECVerdict(status: .bogus, problem: .keySet(keyTag: nil, .keysWithoutSignatures))
        }
        let keyWires = keys.compactMap(\.wire), sigWires = signatures.compactMap(\.wire)
        guard keyWires.count == keys.count, sigWires.count == signatures.count else {
            return DNSSECVerdict(status: .indeterminate, problem: .other("the records were not kept in wire form"))
        }
        var verdict = options.verifier.verdict(rrset: keyWires, signatures: sigWires, keys: keyWires, at: now)
        if verdict.status == .bogus {
            verdict.problem = .keySet(keyTag: signatures.first.flatMap { Self.keyTag($0.record) }, verdict.problem ?? .signatureInvalid)
        }
        return verdict
    }

    /// The verdicts on the key sets of the zones the planned answers came from, and where
    /// each is reported: the apex's first DNSKEY, else its first RRSIG over the key set, else
    /// where the zone was declared.
    func reportedKeySets() -> (verdicts: [String: DNSSECVerdict], places: [String: SourceLocation]) {
        var verdicts: [String: DNSSECVerdict] = [:], places: [String: SourceLocation] = [:]
        for zone in usedZones {
            guard let verdict = keySet(zone) else { continue }
            verdicts[zone] = verdict
            let place = collector.keys[zone]?.first?.record.location ?? keySignatures(zone).first?.record.location
                ?? collector.zones[zone]
            if let place { places[zone] = place }
        }
        return (verdicts, places)
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
        if worst == nil, let zone = answers.zone(of: question.name) {
            usedZones.insert(zone)
            if collector.keys[zone] == nil && keySet(zone) == nil { return DNSSECVerdict(status: .insecure) }
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
        guard let zone = answers.zone(of: owner) else { return DNSSECVerdict(status: .insecure) }
        usedZones.insert(zone)
        // A key set that fails takes the whole zone with it; one signed only with algorithms
        // ldns does not support leaves it unsigned (RFC 4035 §5.2).
        if let set = keySet(zone) {
            if set.status == .bogus { return DNSSECVerdict(status: .bogus, problem: set.problem) }
            if set.status == .insecure { return DNSSECVerdict(status: .insecure) }
        }
        guard let keys = collector.keys[zone] else { return DNSSECVerdict(status: .insecure) }
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
