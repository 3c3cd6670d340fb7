import CLDNS
import FedplanCore
import Glibc

/// DNSSEC validation of authoritative answers (`dns check --authoritative`, and `--resolver`
/// pointed at an authoritative server): the chain of trust from a trust anchor (DS or DNSKEY)
/// to each zone's DNSKEY set, fetched and verified once per zone, then every RRSIG received
/// over a planned RRset verified against those keys by ldns. docs/dnssec.md says what each
/// status means and where the chain stops.
///
/// fedplan never asks names above the zones it checks, so the chain starts at the anchor of
/// the zone itself: with the root key only (the default), a zone's keys are checked against
/// their own signatures, never against the DS at the parent, and what verifies is
/// `indeterminate`, not `secure`. What does not verify with the zone's own keys is bogus
/// whatever the parent says, and an unsigned zone (no DNSKEY at the apex) is insecure.
public final class TrustChain: @unchecked Sendable {
    /// What a zone's DNSKEY question told.
    enum ZoneKeys {
        /// No DNSKEY at the apex: nothing in the zone is signed.
        case unsigned
        /// The zone's keys, verified: from an anchor at the zone (`chained`), or only by their
        /// own signatures.
        case keys(RRList, chained: Bool, validUntil: UInt32?)
        /// The DNSKEY set itself fails: everything in the zone is bogus.
        case bogus(DNSSECProblem)
        /// The anchor at the zone has no DS or DNSKEY ldns can use (digest type or algorithm
        /// not supported): the zone is treated as unsigned (RFC 4035 §5.2, RFC 6840 §5.2).
        case unsupportedAnchor
        /// Nothing known (no authoritative answer to the DNSKEY question).
        case unknown
    }

    public let anchors: TrustAnchors
    /// When signatures are judged.
    public let clock: SignatureClock
    private(set) var zones: [String: ZoneKeys] = [:]
    /// The zone found last: a check asks many names of one zone in a row.
    private var lastZone: (suffix: String, zone: String)?

    public init(anchors: TrustAnchors, clock: SignatureClock = SignatureClock()) {
        self.anchors = anchors
        self.clock = clock
    }

    // MARK: the zones' keys

    /// Asks each zone's DNSKEY set of each server, once per zone (lookups: the answers only
    /// guide the check), and verifies it against the trust anchor at the zone, if there is one.
    public func prepare(zones names: [String], servers: [ServerAddress], engine: QueryEngine) {
        let wanted = names.map(\.dnsLowercased).filter { zones[$0] == nil }
        guard !wanted.isEmpty, !servers.isEmpty else { return }
        let queries = wanted.flatMap { zone in servers.map { Query(Question(zone, "DNSKEY"), to: $0) } }
        let outcomes = engine.run(queries, lookups: true)
        for zone in wanted {
            let answers = servers.compactMap { server -> DNSAnswer? in
                guard case .answer(let a)? = outcomes[Query(Question(zone, "DNSKEY"), to: server)], a.authoritative,
                      a.referral == nil else { return nil }
                return a
            }
            zones[zone] = learn(zone, answers)
        }
        lastZone = nil
    }

    /// The zone's state from its servers' authoritative DNSKEY answers.
    func learn(_ zone: String, _ answers: [DNSAnswer]) -> ZoneKeys {
        guard !answers.isEmpty else { return .unknown }
        let keys = RRList(), signatures = RRList()
        for answer in answers {
            for r in answer.records where r.owner.dnsLowercased == zone {
                guard let rr = Self.rr(r) else { continue }
                if r.type == "DNSKEY" {
                    if !keys.contains(rr.pointer) { keys.push(rr) }
                } else if r.type == "RRSIG", let covered = ldns_rr_rrsig_typecovered(rr.pointer),
                          ldns_rdf2rr_type(covered) == LDNS_RR_TYPE_DNSKEY {
                    signatures.push(rr)
                }
            }
        }
        let given = anchors.closest(to: zone) == zone ? anchors.byZone[zone] ?? [] : []
        let anchored = given.filter { Self.supported($0.pointer) }
        // Only DS records of a digest type or algorithm ldns cannot use: as if there were none
        // at all, so the zone is insecure, not bogus.
        if anchored.isEmpty && !given.isEmpty { return .unsupportedAnchor }
        guard keys.count > 0 else {
            // An anchor for the zone vouches for keys it does not publish.
            return anchored.isEmpty ? .unsigned : .bogus(.keySet(keyTag: Self.tag(anchored[0].pointer), .noKeyMatchingDS))
        }
        // A DNSKEY set larger than a zone file's is read (16): not verified, as in zone files
        // (each key can cost a public-key operation per RRSIG; a zone has two to four).
        guard keys.count <= ZoneCollector.keysPerName else {
            return .bogus(.keySet(keyTag: nil, .tooManyKeys(count: keys.count, limit: ZoneCollector.keysPerName)))
        }
        let sigs = (0..<signatures.count).map { signatures[$0] }
        var start = keys
        if !anchored.isEmpty {
            start = RRList()
            for k in 0..<keys.count {
                let key = keys[k]
                if anchored.contains(where: { ldns_rr_compare_ds($0.pointer, key) != 0 }) { start.push(borrowed: key) }
            }
            guard start.count > 0 else { return .bogus(.keySet(keyTag: Self.tag(anchored[0].pointer), .noKeyMatchingDS)) }
            // The anchor names a key of the zone that signs no RRSIG over the DNSKEY set (the
            // DS of a zone-signing key): say that, not which key tag the RRSIG names.
            let startTags = Set((0..<start.count).map { ldns_calc_keytag(start[$0]) })
            let signers = sigs.compactMap { sig in ldns_rr_rrsig_keytag(sig).map { ldns_rdf2native_int16($0) } }
            if !sigs.isEmpty && !signers.contains(where: startTags.contains) {
                return .bogus(.anchorKeyDoesNotSignKeySet(anchorTag: startTags.sorted()[0], signers: Array(Set(signers)).sorted()))
            }
        }
        let verdict = verify(keys, signatures: sigs, with: start)
        // Signed only with algorithms ldns does not support: as unsigned.
        if verdict.status == .insecure { return .unsupportedAnchor }
        guard verdict.status == .secure else {
            // The key tag involved: the RRSIG's made by the key the anchor names, else any.
            let startTags = Set((0..<start.count).map { ldns_calc_keytag(start[$0]) })
            let signers = sigs.compactMap { sig in ldns_rr_rrsig_keytag(sig).map { ldns_rdf2native_int16($0) } }
            let tag = signers.first(where: startTags.contains) ?? signers.first ?? (start.count == 1 ? ldns_calc_keytag(start[0]) : nil)
            return .bogus(.keySet(keyTag: tag, verdict.problem ?? .signatureInvalid))
        }
        return .keys(keys, chained: !anchored.isEmpty, validUntil: verdict.validUntil)
    }

    /// Whether ldns can use an anchor record: a DS of a digest type it computes (1 SHA-1,
    /// 2 SHA-256, 4 SHA-384) for an algorithm it verifies, or a DNSKEY of such an algorithm.
    static func supported(_ rr: UnsafeMutablePointer<ldns_rr>) -> Bool {
        switch ldns_rr_get_type(rr) {
        case LDNS_RR_TYPE_DS:
            guard ldns_rr_rd_count(rr) >= 4, let algorithm = ldns_rr_rdf(rr, 1), let digest = ldns_rr_rdf(rr, 2) else { return false }
            return [1, 2, 4].contains(ldns_rdf2native_int8(digest)) && ldns_key_algo_supported(Int32(ldns_rdf2native_int8(algorithm))) != 0
        case LDNS_RR_TYPE_DNSKEY:
            return ldns_key_algo_supported(Int32(ldns_rr_dnskey_algorithm(rr).map { ldns_rdf2native_int8($0) } ?? 0)) != 0
        default:
            return false
        }
    }

    /// The key tag of an anchor: a DS's own field, or the DNSKEY's computed tag.
    static func tag(_ rr: UnsafeMutablePointer<ldns_rr>) -> UInt16? {
        if ldns_rr_get_type(rr) == LDNS_RR_TYPE_DNSKEY { return ldns_calc_keytag(rr) }
        guard ldns_rr_rd_count(rr) > 0, let field = ldns_rr_rdf(rr, 0) else { return nil }
        return ldns_rdf2native_int16(field)
    }

    /// A record read back into ldns from its presentation form (DNSKEY and RRSIG, once per zone).
    static func rr(_ r: DNSRecord) -> OwnedRR? {
        var rr: UnsafeMutablePointer<ldns_rr>?
        let text = "\(r.owner) \(r.ttl) IN \(r.type) \(r.rdata.joined(separator: " "))"
        guard ldns_rr_new_frm_str(&rr, text, 0, nil, nil) == LDNS_STATUS_OK, let rr else { return nil }
        return OwnedRR(rr)
    }

    /// The zone that holds `name`, among those prepared, and what its keys are.
    func keys(for name: String) -> (zone: String, keys: ZoneKeys)? {
        if let last = lastZone, name == last.zone || name.hasSuffix(last.suffix) { return (last.zone, zones[last.zone]!) }
        var best: String?
        for zone in zones.keys where zone == name || zone == "." || name.hasSuffix("." + zone) {
            if best == nil || zone.count > best!.count { best = zone }
        }
        guard let best else { return nil }
        lastZone = (best == "." ? "." : "." + best, best)
        return (best, zones[best]!)
    }

    // MARK: verifying what the replies held

    /// The verdict every authoritative answer of a zone gets when it does not depend on the
    /// answer (unsigned, nothing known, a DNSKEY set that fails), by zone: the checker reads it
    /// (`RecordChecker.check(zoneDNSSEC:)`), so that an unsigned zone costs no work per answer.
    public var zoneVerdicts: [String: DNSSECVerdict] {
        zones.compactMapValues { state in
            switch state {
            case .unsigned, .unsupportedAnchor: DNSSECVerdict(status: .insecure)
            case .unknown: DNSSECVerdict(status: .indeterminate)
            case .bogus(let problem): DNSSECVerdict(status: .bogus, problem: Self.forRecords(problem))
            case .keys: nil
            }
        }
    }

    /// By zone, the verdict on the zone's DNSKEY set itself, reported once at its apex: bogus
    /// with why, or until when its RRSIG keeps it valid.
    public var keySets: [String: DNSSECVerdict] {
        zones.compactMapValues { state in
            switch state {
            case .bogus(let problem): DNSSECVerdict(status: .bogus, problem: problem)
            case .keys(_, let chained, let until): DNSSECVerdict(status: chained ? .secure : .indeterminate, validUntil: until)
            case .unsigned, .unknown, .unsupportedAnchor: nil
            }
        }
    }

    /// What the records of a zone whose DNSKEY set fails say: that the key set is at fault.
    static func forRecords(_ problem: DNSSECProblem) -> DNSSECProblem {
        switch problem {
        case .keySet: problem
        case .anchorKeyDoesNotSignKeySet(let anchor, _): .keySet(keyTag: anchor, problem)
        default: .keySet(keyTag: nil, problem)
        }
    }

    /// Every authoritative answer in a signed zone gets its verdict, from the zone's keys: one
    /// the servers sent signatures or a denial with is verified from its bytes (then dropped).
    /// Answers in other zones are left to `zoneVerdicts`.
    public func judge(_ outcomes: inout [ServerAddress: [Question: QueryOutcome]]) {
        guard zones.values.contains(where: { if case .keys = $0 { true } else { false } }) else { return }
        for server in Array(outcomes.keys) {
            guard var answers = outcomes.removeValue(forKey: server) else { continue }
            for (question, outcome) in answers {
                guard case .answer(var a) = outcome, a.authoritative, a.referral == nil, a.dnssec == nil,
                      case .keys? = keys(for: question.name)?.keys else { continue }
                a.dnssec = verdict(question, a)
                a.signedReply = nil
                answers[question] = .answer(a)
            }
            outcomes[server] = answers
        }
    }

    /// The verdict on one authoritative answer.
    func verdict(_ question: Question, _ answer: DNSAnswer) -> DNSSECVerdict {
        guard let (zone, state) = keys(for: question.name) else { return DNSSECVerdict(status: .indeterminate) }
        switch state {
        case .unsigned, .unsupportedAnchor: return DNSSECVerdict(status: .insecure)
        case .unknown: return DNSSECVerdict(status: .indeterminate)
        case .bogus(let problem): return DNSSECVerdict(status: .bogus, problem: Self.forRecords(problem))
        case .keys(let keys, let chained, _):
            // A signed zone's positive answer without a single signature.
            guard let bytes = answer.signedReply else { return DNSSECVerdict(status: .bogus, problem: .noSignature) }
            var result = verify(reply: bytes, zone: zone, keys: keys)
            if result.status == .secure && !chained { result.status = .indeterminate }
            return result
        }
    }

    /// A reply's answer RRsets in the zone, or its denial, against the zone's keys.
    func verify(reply bytes: [UInt8], zone: String, keys: RRList) -> DNSSECVerdict {
        var parsed: UnsafeMutablePointer<ldns_pkt>?
        let status = bytes.withUnsafeBufferPointer { ldns_wire2pkt(&parsed, $0.baseAddress, $0.count) }
        guard status == LDNS_STATUS_OK, let parsed else {
            if let parsed { ldns_pkt_free(parsed) }
            return DNSSECVerdict(status: .indeterminate)
        }
        let packet = OwnedPacket(parsed)
        // The records below are the packet's: it must outlive every use of them.
        return withExtendedLifetime(packet) { verify(packet: packet.pointer, zone: zone, keys: keys) }
    }

    private func verify(packet: UnsafeMutablePointer<ldns_pkt>, zone: String, keys: RRList) -> DNSSECVerdict {
        func records(_ list: UnsafeMutablePointer<ldns_rr_list>?) -> [UnsafeMutablePointer<ldns_rr>] {
            guard let list else { return [] }
            return (0..<ldns_rr_list_rr_count(list)).compactMap { ldns_rr_list_rr(list, $0) }
        }
        let inZone = records(ldns_pkt_answer(packet)).filter { rr in
            let owner = LDNSConvert.text(of: ldns_rr_owner(rr)).dnsLowercased
            return zone == "." || owner == zone || owner.hasSuffix("." + zone)
        }
        if inZone.contains(where: { ldns_rr_get_type($0) != LDNS_RR_TYPE_RRSIG }) { return verifySets(inZone, keys) }
        guard let question = records(ldns_pkt_question(packet)).first else { return DNSSECVerdict(status: .indeterminate) }
        return denial(records(ldns_pkt_authority(packet)), keys, question: question, rcode: ldns_pkt_get_rcode(packet))
    }

    /// Every RRset among `rrs` (grouped by owner and type) against its signatures: the worst.
    private func verifySets(_ rrs: [UnsafeMutablePointer<ldns_rr>], _ keys: RRList) -> DNSSECVerdict {
        var sets: [(owner: UnsafeMutablePointer<ldns_rdf>, type: ldns_rr_type, list: RRList)] = []
        var signatures: [UnsafeMutablePointer<ldns_rr>] = []
        for rr in rrs {
            let type = ldns_rr_get_type(rr)
            if type == LDNS_RR_TYPE_RRSIG {
                signatures.append(rr)
                continue
            }
            guard let owner = ldns_rr_owner(rr) else { continue }
            if let k = sets.firstIndex(where: { $0.type == type && ldns_dname_compare($0.owner, owner) == 0 }) {
                sets[k].list.push(borrowed: rr)
            } else {
                let list = RRList()
                list.push(borrowed: rr)
                sets.append((owner, type, list))
            }
        }
        var worst: DNSSECVerdict?
        for set in sets {
            let covering = signatures.filter { sig in
                guard let covered = ldns_rr_rrsig_typecovered(sig), let owner = ldns_rr_owner(sig) else { return false }
                return ldns_rdf2rr_type(covered) == set.type && ldns_dname_compare(owner, set.owner) == 0
            }
            worst = Self.worse(worst, verify(set.list, signatures: covering, with: keys))
        }
        return worst ?? DNSSECVerdict(status: .indeterminate)
    }

    /// A negative answer in a signed zone: its NSEC or NSEC3 records must be signed and must
    /// deny the name or type (ldns's denial checks).
    private func denial(_ authority: [UnsafeMutablePointer<ldns_rr>], _ keys: RRList, question: UnsafeMutablePointer<ldns_rr>,
                        rcode: ldns_pkt_rcode) -> DNSSECVerdict {
        let relevant = authority.filter {
            let t = ldns_rr_get_type($0)
            return t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3 || t == LDNS_RR_TYPE_RRSIG
        }
        let proofs = relevant.filter { ldns_rr_get_type($0) != LDNS_RR_TYPE_RRSIG }
        guard !proofs.isEmpty else {
            return DNSSECVerdict(status: .bogus, problem: .denialNotProven("no NSEC or NSEC3 record proves that the record does not exist (a negative answer in a signed zone must carry one)"))
        }
        var verdict = verifySets(relevant, keys)
        guard verdict.status == .secure else { return verdict }
        let nsecs = RRList(), sigs = RRList()
        for rr in proofs { nsecs.push(borrowed: rr) }
        for rr in relevant where ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG { sigs.push(borrowed: rr) }
        let status = ldns_rr_get_type(proofs[0]) == LDNS_RR_TYPE_NSEC
            ? ldns_dnssec_verify_denial(question, nsecs.pointer, sigs.pointer)
            : ldns_dnssec_verify_denial_nsec3(question, nsecs.pointer, sigs.pointer, rcode, ldns_rr_get_type(question),
                                              rcode == LDNS_RCODE_NOERROR ? 1 : 0)
        if status != LDNS_STATUS_OK {
            verdict = DNSSECVerdict(status: .bogus, problem: .denialNotProven("the NSEC/NSEC3 records do not prove that the record does not exist (\(String(cString: ldns_get_errorstr_by_id(status))))"))
        }
        return verdict
    }

    /// One RRset against its signatures, at the clock's time: `SignatureCheck`, the one
    /// verifier (secure when one verifies, valid until the latest expiration among those that
    /// do; insecure when all are of algorithms ldns does not support; else bogus, the most
    /// telling reason).
    func verify(_ rrset: RRList, signatures: [UnsafeMutablePointer<ldns_rr>], with keys: RRList) -> DNSSECVerdict {
        SignatureCheck.verify(rrset: rrset.pointer, signatures: signatures, keys: keys.pointer, at: Int64(clock.now))
    }

    /// The worse of two verdicts (bogus first), keeping the earliest `validUntil` of the
    /// secure: several RRsets are valid until the first of them expires.
    static func worse(_ a: DNSSECVerdict?, _ b: DNSSECVerdict) -> DNSSECVerdict {
        guard var a else { return b }
        if DNSSECStatus.worst(a.status, b.status) != a.status { return b }
        if a.status == b.status, let e = b.validUntil,
           a.validUntil.map({ Int32(bitPattern: e &- $0) < 0 }) ?? true {
            a.validUntil = e
        }
        return a
    }
}

/// An `ldns_rr_list` owned by Swift. Records pushed as `OwnedRR` are kept alive with it;
/// borrowed ones belong to someone else. Only the list is freed.
final class RRList {
    let pointer: UnsafeMutablePointer<ldns_rr_list>
    private var owned: [OwnedRR] = []

    init() { pointer = ldns_rr_list_new() }

    deinit { ldns_rr_list_free(pointer) }

    var count: Int { ldns_rr_list_rr_count(pointer) }

    subscript(k: Int) -> UnsafeMutablePointer<ldns_rr> { ldns_rr_list_rr(pointer, k)! }

    func push(_ rr: OwnedRR) {
        owned.append(rr)
        _ = ldns_rr_list_push_rr(pointer, rr.pointer)
    }

    func push(borrowed rr: UnsafeMutablePointer<ldns_rr>) { _ = ldns_rr_list_push_rr(pointer, rr) }

    func contains(_ rr: UnsafeMutablePointer<ldns_rr>) -> Bool {
        (0..<count).contains { ldns_rr_compare(self[$0], rr) == 0 }
    }
}
