/// "Did you mean" for keys and enumerated values: the closest known word, if it is close.
public enum Suggestion {
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let folded = fold(word)
        if let exact = candidates.first(where: { fold($0) == folded }) { return exact }
        let scored = candidates.map { ($0, distance(folded, fold($0))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(2, word.count / 4) ? best.0 : nil
    }

    /// `sipDomains`, `sip-domains` and `SIP_Domains` all fold to `sip_domains`.
    static func fold(_ word: String) -> String {
        var out = ""
        for (i, ch) in word.enumerated() {
            if ch.isUppercase, i > 0, !out.hasSuffix("_") { out.append("_") }
            out.append(ch == "-" || ch == " " ? "_" : Character(ch.lowercased()))
        }
        return out
    }

    /// Levenshtein distance with transpositions counted as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { rows[i][0] = i }
        for j in 0...b.count { rows[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
                }
            }
        }
        return rows[a.count][b.count]
    }
}
