/// Answers to questions, built from the records collected from zone files the way an
/// authoritative server loading those files would give them (RFC 1034 §4.3.2): a delegation
/// below the apex gives a referral, not the records under it (NS and glue there are not
/// authoritative); a DNAME above the name substitutes its target (RFC 6672); a CNAME at the name
/// is followed; a name that does not exist is answered from the wildcard of its closest
/// encloser (RFC 4592), else NXDOMAIN.
struct ZoneAnswers {
    let collector: ZoneCollector
    /// The zones given, by their text: looking a name's ancestors up as substrings of it costs
    /// no allocation per label.
    private let zones: [Substring: String]
    /// The same, when there are few: comparing a name's end with each is cheaper than hashing
    /// every ancestor of it (the common case of one or a few zone files).
    private let fewZones: [String]?
    /// Names that change answers below them: delegations (NS below an apex) and DNAMEs. Usually
    /// none, and then a question needs no walk over its ancestors. In a `NameSet`: with 2,000
    /// DNAMEs every question and every kept owner walks its ancestors, and each ancestor was a
    /// `Substring` hashed with SipHash (a quarter of a billion instructions); here one backward
    /// pass over the name hashes every ancestor at once (`NameHash`).
    private let cutsAndDNAMEs = NameSet()

    init(collector: ZoneCollector) {
        self.collector = collector
        zones = Dictionary(collector.zones.keys.map { (Substring($0), $0) }, uniquingKeysWith: { a, _ in a })
        fewZones = collector.zones.count <= 16 ? collector.zones.keys.sorted { $0.utf8.count > $1.utf8.count } : nil
        for (owner, records) in collector.kept
        where records.contains(where: { $0.type == "DNAME" || $0.type == "NS" && collector.zones[owner] == nil }) {
            cutsAndDNAMEs.insert(owner)
        }
    }

    /// Whether the zones hold any delegation below an apex or any DNAME at all: when not (most
    /// zones), no name needs the walk over its ancestors.
    var hasCutsOrDNAMEs: Bool { cutsAndDNAMEs.count > 0 }

    /// How many aliases (CNAME or DNAME) an answer follows, as resolvers roughly do.
    static let longestChain = 8

    /// The deepest zone given that contains `name`.
    func zone(of name: String) -> String? {
        if let few = fewZones {  // longest first: the first that contains the name is the deepest
            // Compared as bytes in place: this runs several times per question (tens of
            // thousands on a hoster's plan), and `elementsEqual` over two UTF-8 views walked
            // them through generic indices, a tenth of the report's instructions.
            var name = name
            return name.withUTF8 { n in
                few.first { zone in
                    var zone = zone
                    return zone.withUTF8 { z in
                        if z.count == 1, z[0] == UInt8(ascii: ".") { return true }
                        if n.count == z.count { return z.isEmpty || Bytes.equal(n.baseAddress!, z.baseAddress!, z.count) }
                        return n.count > z.count && !z.isEmpty && Bytes.equal(n.baseAddress! + n.count - z.count, z.baseAddress!, z.count)
                            && n[n.count - z.count - 1] == UInt8(ascii: ".")
                    }
                }
            }
        }
        // From the name up: the first ancestor that is a zone given is the deepest (a lookup per
        // label, not a scan of every zone: a hoster checks thousands of zone files at once).
        var current = Substring(name)
        while true {
            if let zone = zones[current.isEmpty ? "." : current] { return zone }
            guard !current.isEmpty, let dot = current.utf8.firstIndex(of: UInt8(ascii: ".")) else { return nil }
            current = current[current.utf8.index(after: dot)...]
        }
    }

    func outcome(_ question: Question) -> QueryOutcome {
        var fromZones = false
        return outcome(question, fromZones: &fromZones)
    }

    /// The outcome, and (`fromZones`) whether it is an answer from the zones given (not outside
    /// them, not a referral, not a chain that leaves them): what gets a DNSSEC status. Told here,
    /// where the answer is made, so that nobody has to look into it again.
    func outcome(_ question: Question, fromZones: inout Bool) -> QueryOutcome {
        fromZones = false
        guard zone(of: question.name) != nil else { return .notCovered }
        var records: [DNSRecord] = []
        var name = question.name
        var rcode = ResponseCode.noError
        var zoneLocation: SourceLocation?
        var leftAt: String?
        chain: for _ in 0...Self.longestChain {
            guard let zone = zone(of: name) else {  // the chain left the zones given
                leftAt = name
                break
            }
            zoneLocation = collector.zones[zone]
            // Zone cuts and DNAMEs between the apex and the name, from the top down.
            for ancestor in cutsAndDNAMEs.count == 0 ? [] : cutsAndDNAMEs(atOrAbove: name, in: zone) {
                let here = collector.kept[ancestor] ?? []
                // Filtered only when there is an NS record (a DNAME's owner, asked for every
                // question below it, has none): no array made per question for nothing.
                let ns = here.contains { $0.code == .ns } ? here.filter { $0.code == .ns } : []
                if ancestor != zone, !ns.isEmpty, !(ancestor == name && question.type == "DS") {
                    return .answer(DNSAnswer(rcode: .noError, authoritative: false, records: records,
                                             zoneLocation: zoneLocation, referral: Referral(zoneCut: ancestor, nameServers: ns)))
                }
                if ancestor != name, let dname = here.first(where: { $0.code == .dname }), let target = dname.target {
                    let substituted = name.dnameSubstituted(below: ancestor, by: target)
                    records += [dname, DNSRecord(owner: name, type: "CNAME", ttl: dname.ttl, rdata: [substituted],
                                                 location: dname.location)]
                    name = substituted
                    continue chain
                }
            }
            var here = collector.kept[name] ?? []
            if here.isEmpty, !collector.exists(name) {
                here = synthesized(name, in: zone)
                if here.isEmpty {
                    rcode = .nxDomain
                    break
                }
            }
            if question.type != "CNAME", let cname = here.first(where: { $0.code == .cname }), let target = cname.target {
                records.append(cname)
                name = target
                continue
            }
            // Most answers are the records at the name itself, nothing before them: then the
            // filtered array is the answer (appending it to an empty one copied every record,
            // a quarter of the cost of a question).
            if records.isEmpty {
                records = here.filter { $0.type == question.type }
            } else {
                records += here.filter { $0.type == question.type }
            }
            break
        }
        fromZones = leftAt == nil
        return .answer(DNSAnswer(rcode: rcode, authoritative: true, records: records, zoneLocation: zoneLocation,
                                 leftZonesAt: leftAt))
    }

    /// The zone cuts and DNAMEs at `name` or above it, up to the apex `zone`, from the top down.
    /// A zone with thousands of DNAMEs asks this for every question: the walk looks suffixes up
    /// as views of the name and makes a string only for one that is found (most are not).
    func cutsAndDNAMEs(atOrAbove name: String, in zone: String) -> [String] {
        var found: [String] = []
        let limit = zone.utf8.count
        var copy = name
        copy.withUTF8 { b in
            let n = b.count
            guard n >= limit, n > 0 else { return }
            // From the last byte back: the hash of every suffix comes out on the way, and each
            // suffix that starts a label (or the root, the parent of a top-level name) is looked
            // up; shortest first, so from the top down, as far as the zone's length.
            var h = NameHash.basis
            var i = n - 1
            let rootAbove = n > 1 && b[n - 1] == UInt8(ascii: ".") && !NameSuffixes.isEscaped(dotAt: n - 1, in: b)
            while i >= 0 {
                h = (h ^ UInt64(b[i])) &* NameHash.prime
                let startsLabel = i == 0 || b[i - 1] == UInt8(ascii: ".") && !NameSuffixes.isEscaped(dotAt: i - 1, in: b)
                let isRoot = i == n - 1 && rootAbove
                if (startsLabel || isRoot) && n - i >= limit, cutsAndDNAMEs.contains(b[i...], hash: h) {
                    found.append(String(decoding: b[i...], as: UTF8.self))
                }
                i -= 1
            }
        }
        return found
    }

    /// `b.zone.` for `a.b.zone.` (a dot escaped by an odd run of backslashes is inside a label);
    /// `.` for a top-level name; nil for the root.
    static func parent(of name: Substring) -> Substring? {
        let u = name.utf8
        var i = u.startIndex
        var backslashes = 0
        while i < u.endIndex {
            let b = u[i]
            if b == UInt8(ascii: "."), backslashes % 2 == 0 {
                let next = u.index(after: i)
                return next == u.endIndex ? (i == u.startIndex ? nil : Substring(".")) : Substring(u[next...])
            }
            backslashes = b == UInt8(ascii: "\\") ? backslashes + 1 : 0
            i = u.index(after: i)
        }
        return nil
    }

    /// `a.b.zone.`'s ancestors from the apex down to the name itself: `zone.`, `b.zone.`, `a.b.zone.`.
    func ancestors(of name: String, below zone: String) -> [String] {
        var result = [name]
        var current = Substring(name)
        while current != zone, let parent = Self.parent(of: current) {
            current = parent
            result.append(String(current))
        }
        return result.reversed()
    }

    /// RFC 4592: the records of `*.<closest encloser>`, owned by `name`; none when there is no
    /// such wildcard.
    func synthesized(_ name: String, in zone: String) -> [DNSRecord] {
        let encloser = ancestors(of: name, below: zone).dropLast().last {
            $0 == zone || collector.exists($0) || collector.kept[$0] != nil
        } ?? zone
        let wildcard = "*." + (encloser == "." ? "" : encloser)
        return (collector.kept[wildcard] ?? []).map { r in
            var copy = r
            copy.owner = name
            copy.wildcard = wildcard
            return copy
        }
    }
}
