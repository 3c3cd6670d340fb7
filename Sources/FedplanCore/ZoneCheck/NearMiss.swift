/// Finds the planned name a record's owner probably meant: `_sipfederationtls.tcp.contoso.com.`
/// for `_sipfederationtls._tcp.contoso.com.`. A planned name is split into its service part
/// (the leading `_` labels, or the first label of a host name) and its domain; an owner is a
/// near miss when, over the same domain, its first labels differ from a planned service part only
/// by separators (`_sipfederationtls_tcp`, `_xmpp_server`), by label order
/// (`_xmpp-server.conference._tcp`), or by one dropped, added, changed or transposed letter
/// (the comparisons are in NearMissHeuristics.swift) and are not a registered service of their
/// own (`_xmpps-server._tcp`, RegisteredServices.swift).
///
/// `intended(for:suffixes:)` runs for every owner of a large zone that sits one to three labels
/// below a planned domain, so it allocates nothing: the planned parts and domains live in one
/// byte pool, the domains are found by the hash the collector already computed for each suffix,
/// and the comparisons read the owner's bytes in place.
public struct NearMissIndex: Sendable {
    /// One planned name's service part: `pool[start ..< start + count]`; `name` indexes `names`.
    private struct Part: Sendable {
        var start: Int32, count: Int32, name: Int32
    }

    /// A domain that planned service parts sit over: its bytes `pool[start ..< start + count]`
    /// and its parts `parts[first ..< first + partCount]`, in the order they were planned (the
    /// first near planned name wins).
    private struct Domain: Sendable {
        var hash: UInt64
        var start: Int32, count: Int32
        var first: Int32, partCount: Int32
    }

    private var pool: [UInt8] = []
    private var parts: [Part] = []
    private var groups: [Domain] = []
    /// Open addressing by domain hash (`NameHash`, as `NameSuffixes` computes it): group index
    /// + 1, 0 for empty. A power of two, at most half full.
    private var slots: [Int32] = []
    private var names: [String] = []

    public init(plannedNames: some Sequence<String>) {
        // Built once per check, for tens of thousands of names: the names and domains are told
        // apart with `NameSet` (our FNV hash, no SipHash over byte arrays), and nothing is
        // allocated per name but its entry.
        let seen = NameSet(), domainSet = NameSet()
        var pending: [Part] = []  // `start` into `partBytes`, `count`; `name` holds the group until sorted
        var partNames: [Int32] = []
        var partBytes: [UInt8] = []
        for name in plannedNames {
            var text = name  // `withUTF8` is mutating (it may make the storage contiguous)
            text.withUTF8 { bytes in
                guard seen.insert(bytes[...]).inserted, let partEnd = Self.serviceEnd(in: bytes) else { return }
                let domain = bytes[(partEnd + 1)...]
                let (group, inserted) = domainSet.insert(domain)
                if inserted {
                    groups.append(Domain(hash: NameHash.of(domain), start: Int32(pool.count), count: Int32(domain.count),
                                         first: 0, partCount: 0))
                    pool += domain
                }
                groups[group].partCount += 1
                pending.append(Part(start: Int32(partBytes.count), count: Int32(partEnd), name: Int32(group)))
                partBytes += bytes[..<partEnd]
                partNames.append(Int32(names.count))
                names.append(name)
            }
        }
        guard !groups.isEmpty else { return }
        // Parts grouped by domain, each group in the order its names were planned (a counting
        // sort); their bytes follow the domains' in the pool.
        var next = 0
        for g in groups.indices {
            groups[g].first = Int32(next)
            next += Int(groups[g].partCount)
        }
        var filled = groups.map { Int($0.first) }
        let base = Int32(pool.count)
        pool += partBytes
        parts = Array(repeating: Part(start: 0, count: 0, name: 0), count: pending.count)
        for (i, p) in pending.enumerated() {
            let g = Int(p.name)
            parts[filled[g]] = Part(start: base + p.start, count: p.count, name: partNames[i])
            filled[g] += 1
        }
        var size = 4
        while size < groups.count * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        for (g, group) in groups.enumerated() {
            var slot = Int(truncatingIfNeeded: group.hash) & (size - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (size - 1) }
            slots[slot] = Int32(g + 1)
        }
    }

    /// Where a planned name's service part ends (the dot after it): after the leading `_`
    /// labels, else after the first label. A domain of one label at least must remain, and the
    /// name must be absolute: nil otherwise. (`ZoneCollector` flags the domains with it.)
    static func serviceEnd(in bytes: NameBytes) -> Int? {
        var dots = 0, partEnd = -1, lastDot = -1
        var counting = true, start = 0
        for i in 0..<bytes.count where bytes[i] == UInt8(ascii: ".") {
            if i > start {
                dots += 1
                lastDot = i
                let underscore = bytes[start] == UInt8(ascii: "_")
                if partEnd < 0 || counting && underscore { partEnd = i }
                if !underscore { counting = false }
            }
            start = i + 1
        }
        guard dots >= 2, lastDot == bytes.count - 1 else { return nil }
        if partEnd == lastDot { partEnd = dotBefore(lastDot, in: bytes) }
        return partEnd
    }

    /// The dot that ends the label before the one ending at `end`.
    private static func dotBefore(_ end: Int, in bytes: NameBytes) -> Int {
        var i = end - 1
        while i > 0 && !(bytes[i] == UInt8(ascii: ".") && bytes[i - 1] != UInt8(ascii: ".")) { i -= 1 }
        return i
    }

    /// Every domain a planned service part sits over (each an ancestor of a planned name).
    var domains: [[UInt8]] { groups.map { Array(pool[Int($0.start)..<Int($0.start + $0.count)]) } }

    /// The planned name `owner` (absolute, lower case; `suffixes` its labels) is a misspelling
    /// of, if any.
    func intended(for owner: NameBytes, suffixes: NameSuffixes) -> String? {
        guard !slots.isEmpty, suffixes.count > 1 else { return nil }
        return pool.withUnsafeBufferPointer { pool -> String? in
            for k in 1..<min(4, suffixes.count) {
                let start = suffixes.starts[k]
                guard let g = group(of: NameBytes(rebasing: owner[start...]), hash: suffixes.hashes[k], pool: pool)
                else { continue }
                let written = NameBytes(rebasing: owner[..<(start - 1)])
                // Decided by the written part alone: no planned part over this domain can match.
                if Self.isRegisteredService(written) { continue }
                let group = groups[g]
                for p in Int(group.first)..<Int(group.first + group.partCount) {
                    let part = parts[p]
                    let planned = NameBytes(rebasing: pool[Int(part.start)..<Int(part.start + part.count)])
                    if Self.resembles(written, planned) { return names[Int(part.name)] }
                }
            }
            return nil
        }
    }

    /// The index of the group whose domain is `domain` (its `NameHash` is `hash`).
    private func group(of domain: NameBytes, hash: UInt64, pool: NameBytes) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let g = Int(slots[slot]) - 1
            if g < 0 { return nil }
            let group = groups[g]
            if group.hash == hash,
               Self.equal(domain, NameBytes(rebasing: pool[Int(group.start)..<Int(group.start + group.count)])) {
                return g
            }
            slot = (slot + 1) & mask
        }
    }

    /// True when `written` is a plausible misspelling of `planned` (and not the same text).
    static func isNear(_ written: NameBytes, _ planned: NameBytes) -> Bool {
        !isRegisteredService(written) && resembles(written, planned)
    }

    static func isNear(_ written: [UInt8], _ planned: [UInt8]) -> Bool {
        written.withUnsafeBufferPointer { a in planned.withUnsafeBufferPointer { b in isNear(a, b) } }
    }

    /// The three heuristics, for a written part that is not a registered service. Parts more
    /// than three bytes apart are never near: no heuristic bridges that much.
    static func resembles(_ written: NameBytes, _ planned: NameBytes) -> Bool {
        guard abs(written.count - planned.count) <= 3, !equal(written, planned) else { return false }
        return equalIgnoringSeparators(written, planned) || sameLabels(written, planned)
            || planned.count >= 3 && editDistanceIsOne(written, planned)
    }
}
