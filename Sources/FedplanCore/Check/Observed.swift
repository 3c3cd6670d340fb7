/// Reading what a server said: the helpers the checker needs on top of `DNSAnswer`. Reads the
/// typed fields each record was given where it was read (`DNSRecord.code`, `.fields`): no
/// record's text is parsed or compared here, only its owner.
struct Observed {
    let answer: DNSAnswer
    let name: String

    /// The name's records of `type`, after following CNAMEs inside the answer (at most 8).
    func records(_ type: String) -> [DNSRecord] {
        records(RRType(mnemonic: type), named: type)
    }

    func records(_ type: RRType) -> [DNSRecord] { records(type, named: "") }

    private func records(_ code: RRType?, named type: String) -> [DNSRecord] {
        // Most answers hold no alias: then the name's records are those owned by the name.
        let final = hasAlias ? canonicalName : name
        // A reply gives the records owned by the question the question's own text: most compare
        // equal at once, without lower-casing.
        return answer.records.filter { $0.isOf(code, named: type) && ($0.owner == final || $0.owner.dnsLowercased == final) }
    }

    /// The targets of the name's SRV records, lower-cased, in answer order: what the follow-up
    /// questions need, without reading the other fields.
    var srvTargets: [String] {
        records(.srv).compactMap { if case .srv(_, _, _, let target) = $0.fields { target } else { nil } }
    }

    /// The name's only record in the answer, when it is of `type` (no alias, nothing else of
    /// the name): the usual answer, read without building lists.
    func sole(_ type: RRType) -> DNSRecord? { sole(type, at: name) }

    /// `sole` at the end of the answer's alias chain: the usual answer of a name that answers
    /// through an alias (a DNAME's synthesized CNAME: a zone with 2,000 DNAMEs has thousands),
    /// read without building lists. Nil when the chain is broken (a loop, too long).
    func soleAtEnd(_ type: RRType) -> DNSRecord? {
        guard hasAlias else { return sole(type, at: name) }
        let (names, loops) = chain
        guard !loops, names.count <= Self.longestChain, let final = names.last else { return nil }
        return sole(type, at: final)
    }

    private func sole(_ type: RRType, at name: String) -> DNSRecord? {
        // By index: a record is copied once, when it is the one.
        var sole: Int?
        let records = answer.records
        for i in records.indices where records[i].owner == name || records[i].owner.dnsLowercased == name {
            guard sole == nil, records[i].code == type else { return nil }
            sole = i
        }
        return sole.map { records[$0] }
    }

    /// How many CNAMEs a chain may have before we stop following it (resolvers stop near here too).
    static let longestChain = 8

    /// The CNAME chain from the name, in order (empty when the name is not an alias).
    var aliases: [String] { chain.names }

    /// Why the chain cannot be followed to its end: it loops, or it is longer than `longestChain`.
    /// Then the answer proves nothing about the records, present or missing.
    var brokenChain: String? {
        let (names, loops) = chain
        guard loops || names.count > Self.longestChain else { return nil }
        let shown = ([name] + names).joined(separator: " → ")
        if loops { return "the CNAME chain loops (\(shown))" }
        return "the CNAME chain is longer than \(Self.longestChain) links (\(shown) …)"
    }

    private var hasAlias: Bool { answer.records.contains { $0.code == .cname } }

    private var chain: (names: [String], loops: Bool) {
        // Most answers hold no alias: then there is nothing to follow (and nothing to allocate).
        guard hasAlias else { return ([], false) }
        var names: [String] = []
        var current = name
        // One more than allowed, to tell a long chain from one of exactly `longestChain`. A loop
        // is a target seen before: at most nine names, compared in a list (a `Set` of them was
        // hashed and allocated for each of the thousands of answers a DNAME zone has).
        for _ in 0...Self.longestChain {
            guard let cname = answer.records.first(where: { $0.code == .cname && ($0.owner == current || $0.owner.dnsLowercased == current) }),
                  let target = cname.target else { break }
            let loops = target == name || names.contains(target)
            names.append(target)
            if loops { return (names, true) }
            current = target
        }
        return (names, false)
    }

    var canonicalName: String { aliases.last ?? name }

    /// The DNAME that answered for the name (RFC 6672): one owned by an ancestor of the name.
    /// Most answers hold none, and then nothing is compared.
    var dname: (record: DNSRecord, owner: String, target: String)? {
        for r in answer.records where r.code == .dname {
            let owner = r.owner.dnsLowercased
            // Compared in place (`isBelow`): `"." + owner` made a string for every answer of a
            // DNAME zone.
            guard let target = r.target, name.isBelow(owner) else { continue }
            return (r, owner, target)
        }
        return nil
    }

    /// `NXDOMAIN: the name does not exist` or `NODATA: …` when nothing of `type` is there.
    func absence(_ type: String) -> (short: String, long: String) {
        answer.rcode == .nxDomain
            ? ("NXDOMAIN", "the name does not exist (NXDOMAIN)")
            : ("NODATA", "the name exists but has no \(type) record (NODATA)")
    }
}

/// An SRV record's data, as read where the record was made.
struct ObservedSRV: Hashable {
    let priority: Int, weight: Int, port: Int
    let target: String
    let ttl: UInt32
    let location: SourceLocation?
    let wildcard: String?

    init?(_ record: DNSRecord) {
        guard case .srv(let p, let w, let port, let target) = record.fields else { return nil }
        priority = Int(p)
        weight = Int(w)
        self.port = Int(port)
        self.target = target
        ttl = record.ttl
        location = record.location
        wildcard = record.wildcard
    }

    /// `priority weight port target`, the target lower-cased.
    var text: String { "\(priority) \(weight) \(port) \(target)" }
}
