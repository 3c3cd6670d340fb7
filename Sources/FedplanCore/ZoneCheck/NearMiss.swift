/// Finds the planned name a record's owner probably meant: `_sipfederationtls.tcp.contoso.com.`
/// for `_sipfederationtls._tcp.contoso.com.`. A planned name is split into its service part
/// (the leading `_` labels, or the first label of a host name) and its domain; an owner is a
/// near miss when, over the same domain, its first labels differ from a planned service part only
/// by separators (`_sipfederationtls_tcp`, `_xmpp_server`), by label order
/// (`_xmpp-server.conference._tcp`), or by one dropped, added, changed or transposed letter.
public struct NearMissIndex: Sendable {
    struct Entry: Sendable {
        var domain: [UInt8]
        var part: [UInt8]
        var name: String
    }

    /// hash of the domain (absolute, lower case) → the planned service parts over it.
    private var byDomain: [UInt64: [Entry]] = [:]

    public init(plannedNames: some Sequence<String>) {
        var seen = Set<String>()
        var dots: [Int] = []
        for name in plannedNames where seen.insert(name).inserted {
            let bytes = Array(name.utf8)
            // Where each label ends; the service part is the leading `_` labels, else the first.
            dots.removeAll(keepingCapacity: true)
            var service = 0, counting = true
            var start = 0
            for (i, b) in bytes.enumerated() where b == UInt8(ascii: ".") {
                if i > start {
                    dots.append(i)
                    if counting, bytes[start] == UInt8(ascii: "_") { service += 1 } else { counting = false }
                }
                start = i + 1
            }
            guard dots.count >= 2, dots.last == bytes.count - 1 else { continue }
            let k = service == 0 ? 1 : min(service, dots.count - 1)
            let domain = Array(bytes[(dots[k - 1] + 1)...])
            byDomain[NameHash.of(domain), default: []].append(
                Entry(domain: domain, part: Array(bytes[..<dots[k - 1]]), name: name))
        }
    }

    /// Every domain a planned service part sits over (each an ancestor of a planned name).
    var domains: [[UInt8]] { byDomain.values.flatMap { $0.map(\.domain) } }

    /// The planned name `owner` (absolute, lower case; `suffixes` its labels) is a misspelling
    /// of, if any.
    func intended(for owner: NameBytes, suffixes: NameSuffixes) -> String? {
        for k in 1..<min(4, suffixes.count) {
            guard let entries = byDomain[suffixes.hashes[k]] else { continue }
            let start = suffixes.starts[k]
            let domain = owner[start...]
            let part = owner[..<(start - 1)]
            for entry in entries where entry.domain.elementsEqual(domain) && abs(entry.part.count - part.count) <= 3 {
                if Self.isNear(Array(part), entry.part) { return entry.name }
            }
        }
        return nil
    }

    /// True when `written` is a plausible misspelling of `planned` (and not the same text).
    static func isNear(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a != b, abs(a.count - b.count) <= 3 else { return false }
        let separators: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ".")]
        if a.filter({ !separators.contains($0) }) == b.filter({ !separators.contains($0) }) { return true }
        let dot = UInt8(ascii: ".")
        if a.split(separator: dot).map(Array.init).sorted(by: { $0.lexicographicallyPrecedes($1) })
            == b.split(separator: dot).map(Array.init).sorted(by: { $0.lexicographicallyPrecedes($1) }) { return true }
        return b.count >= 3 && editDistanceIsOne(a, b)
    }

    /// Optimal string alignment distance ≤ 1: one letter dropped, added, changed, or two
    /// neighbours swapped.
    static func editDistanceIsOne(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard abs(a.count - b.count) <= 1 else { return false }
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        if a.count == b.count {
            if a[(i + 1)...] == b[(i + 1)...] { return true }  // changed
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i] && a[(i + 2)...] == b[(i + 2)...]  // swapped
        }
        let (long, short) = a.count > b.count ? (a, b) : (b, a)
        return long[(i + 1)...].elementsEqual(short[i...])  // dropped or added
    }
}
