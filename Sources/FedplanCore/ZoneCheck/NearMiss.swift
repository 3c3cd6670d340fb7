/// Finds the planned name a record's owner probably meant: `_sipfederationtls.tcp.contoso.com.`
/// for `_sipfederationtls._tcp.contoso.com.`. A planned name is split into its service part
/// (the leading `_` labels, or the first label of a host name) and its domain; an owner is a
/// near miss when, over the same domain, its first labels differ from a planned service part only
/// by separators (`_sipfederationtls_tcp`, `_xmpp_server`), by label order
/// (`_xmpp-server.conference._tcp`), or by one dropped, added, changed or transposed letter.
public struct NearMissIndex: Sendable {
    /// domain (absolute, lower case) → the planned service parts over it and their full names.
    private var byDomain: [Substring: [(part: String, name: String)]] = [:]

    public init(plannedNames: some Sequence<String>) {
        for name in Set(plannedNames) {
            let labels = name.split(separator: ".")
            guard labels.count >= 2 else { continue }
            let service = labels.prefix { $0.hasPrefix("_") }.count
            let k = service == 0 ? 1 : min(service, labels.count - 1)
            let domain = labels[k...].joined(separator: ".") + "."
            byDomain[Substring(domain), default: []].append((labels[..<k].joined(separator: "."), name))
        }
    }

    /// The planned name `owner` is a misspelling of, if any. `owner` is absolute and lower case.
    public func intended(for owner: String) -> String? {
        var k = 0
        var index = owner.utf8.startIndex
        let utf8 = owner.utf8
        while k < 3, let dot = utf8[index...].firstIndex(of: UInt8(ascii: ".")) {
            k += 1
            let rest = utf8.index(after: dot)
            guard rest < utf8.endIndex else { break }
            if let entries = byDomain[owner[rest...]] {
                let part = owner[..<dot]
                for entry in entries where Self.isNear(part, entry.part) { return entry.name }
            }
            index = rest
        }
        return nil
    }

    /// True when `written` is a plausible misspelling of `planned` (and not the same text).
    static func isNear(_ written: Substring, _ planned: String) -> Bool {
        let a = Array(written.utf8), b = Array(planned.utf8)
        guard a != b, abs(a.count - b.count) <= 3 else { return false }
        let separators: Set<UInt8> = [UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: ".")]
        if a.filter({ !separators.contains($0) }) == b.filter({ !separators.contains($0) }) { return true }
        if written.split(separator: ".").sorted() == planned.split(separator: ".").sorted() { return true }
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
