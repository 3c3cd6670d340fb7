/// Findings and input errors as text, in the `file:line:column: severity: message [rule]`
/// form that editors, compilers and CI logs make clickable.
public enum FindingRenderer {
    public static func line(_ f: Finding, color: Bool = false) -> String {
        let location = f.location.map { "\($0): " } ?? ""
        let severity = color ? paint(f.severity) : f.severity.rawValue
        let subject = Escape.text(f.name) + (f.type.map { " \($0)" } ?? "")
        var text = "\(location)\(severity): \(subject): \(Escape.text(f.message)) [\(f.rule)]"
        if let expected = f.expected, let observed = f.observed {
            text += "\n    expected \(Escape.text(expected)), found \(Escape.text(observed))"
        }
        if let fix = f.fix { text += "\n    fix: \(Escape.text(fix))" }
        if let reason = f.acknowledged { text += "\n    acknowledged in the description: \(Escape.text(reason))" }
        return text
    }

    /// Findings for people. A run of findings of one rule about one value (600 tenant domains
    /// whose SRV records point at the hoster's Edge) shows its first lines and a count; the
    /// JSON output keeps every finding.
    public static func text(_ findings: [Finding], color: Bool = false, keep: Int = 3) -> String {
        var out = ""
        var shown: [String: Int] = [:]
        var folded: [String: Int] = [:]
        var order: [String] = []
        for f in findings {
            let key = "\(f.rule)\u{0}\(f.observed ?? f.message)"
            if shown[key] == nil { order.append(key) }
            shown[key, default: 0] += 1
            if shown[key]! <= keep {
                out += line(f, color: color) + "\n"
            } else {
                folded[key, default: 0] += 1
            }
        }
        for key in order {
            guard let n = folded[key] else { continue }
            let rule = key.split(separator: "\u{0}").first.map(String.init) ?? ""
            out += "... and \(n) more \(rule) finding\(n == 1 ? "" : "s") like these (all of them are in --format json)\n"
        }
        return out
    }

    /// `2 errors, 1 warning, 0 notices`; `1 warning (1 acknowledged)` when the description
    /// accepts some.
    public static func counts(_ findings: [Finding]) -> String {
        Severity.allCases.map { severity in
            let n = findings.filter { $0.severity == severity }.count
            let accepted = findings.filter { $0.severity == severity && $0.acknowledged != nil }.count
            return "\(n) \(severity.rawValue)\(n == 1 ? "" : "s")" + (accepted > 0 ? " (\(accepted) acknowledged)" : "")
        }.joined(separator: ", ")
    }

    static func paint(_ severity: Severity) -> String {
        let code = switch severity {
        case .error: "1;31"
        case .warning: "1;33"
        case .notice: "1;36"
        }
        return "\u{1B}[\(code)m\(severity.rawValue)\u{1B}[0m"
    }
}
