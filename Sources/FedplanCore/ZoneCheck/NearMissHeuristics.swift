#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// The comparisons behind a near miss, one per kind of slip. Each reads both parts in place
/// (no filtered copies, no split labels, no sorting): they run for every owner near a planned
/// domain in a zone of a million records.
extension NearMissIndex {
    static func equal(_ a: NameBytes, _ b: NameBytes) -> Bool {
        a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }

    /// `a[i ..< i + n] == b[j ..< j + n]`, both ranges inside their buffers.
    private static func equal(_ a: NameBytes, _ i: Int, _ b: NameBytes, _ j: Int, count n: Int) -> Bool {
        n <= 0 || memcmp(a.baseAddress! + i, b.baseAddress! + j, n) == 0
    }

    private static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")
    }

    /// Separators: the same letters once `_`, `-` and `.` are ignored. Catches a separator lost,
    /// added or swapped for another, the commonest slip in service labels because they carry
    /// three kinds: `_sipfederationtls_tcp` or `_sipfederationtls.tcp` for
    /// `_sipfederationtls._tcp`, `_xmpp_server` for `_xmpp-server`.
    static func equalIgnoringSeparators(_ a: NameBytes, _ b: NameBytes) -> Bool {
        var i = 0, j = 0
        while true {
            while i < a.count && isSeparator(a[i]) { i += 1 }
            while j < b.count && isSeparator(b[j]) { j += 1 }
            if i == a.count || j == b.count { return i == a.count && j == b.count }
            if a[i] != b[j] { return false }
            i += 1
            j += 1
        }
    }

    /// Label order: the same labels, each as many times, in another order. Catches the protocol
    /// written before the service (`_tcp._sipfederationtls`) and a sub-domain put between them
    /// (`_xmpp-server.conference._tcp` for `_xmpp-server._tcp.conference`). Empty labels are
    /// not counted. A multiset comparison without sorting copies: the parts hold a handful of
    /// labels, so counting each label of `a` in both parts is cheaper than any buffer.
    static func sameLabels(_ a: NameBytes, _ b: NameBytes) -> Bool {
        // Equal counts of labels and, for every label of `a`, equal occurrences in `a` and `b`:
        // then `b` can hold no label `a` lacks.
        guard labelCount(a) == labelCount(b) else { return false }
        var start = 0
        while let end = labelEnd(a, from: start) {
            if end > start, occurrences(a, start, end, in: a) != occurrences(a, start, end, in: b) { return false }
            start = end + 1
        }
        return true
    }

    /// Where the label that starts at `start` ends (its dot, or the end); nil past the end.
    private static func labelEnd(_ s: NameBytes, from start: Int) -> Int? {
        guard start < s.count else { return nil }
        var end = start
        while end < s.count && s[end] != UInt8(ascii: ".") { end += 1 }
        return end
    }

    private static func labelCount(_ s: NameBytes) -> Int {
        var n = 0, start = 0
        while let end = labelEnd(s, from: start) {
            if end > start { n += 1 }
            start = end + 1
        }
        return n
    }

    /// How many labels of `s` are `label[from ..< to]`.
    private static func occurrences(_ label: NameBytes, _ from: Int, _ to: Int, in s: NameBytes) -> Int {
        var n = 0, start = 0
        while let end = labelEnd(s, from: start) {
            if end - start == to - from, equal(s, start, label, from, count: to - from) { n += 1 }
            start = end + 1
        }
        return n
    }

    /// One edit: optimal string alignment distance exactly 1, that is one letter dropped, added,
    /// changed, or two neighbours swapped. Catches the typing slips a reader does not see
    /// (`_sipfederatontls`, `_sipfedreationtls`, `sop` for `sip`). The caller applies it only to
    /// planned parts of three bytes or more: shorter ones are one edit from too much.
    static func editDistanceIsOne(_ a: NameBytes, _ b: NameBytes) -> Bool {
        guard abs(a.count - b.count) <= 1, !equal(a, b) else { return false }
        var i = 0
        while i < a.count && i < b.count && a[i] == b[i] { i += 1 }
        if a.count == b.count {
            if equal(a, i + 1, b, i + 1, count: a.count - i - 1) { return true }  // changed
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i]
                && equal(a, i + 2, b, i + 2, count: a.count - i - 2)  // swapped
        }
        let (long, short) = a.count > b.count ? (a, b) : (b, a)
        return equal(long, i + 1, short, i, count: short.count - i)  // dropped or added
    }
}
