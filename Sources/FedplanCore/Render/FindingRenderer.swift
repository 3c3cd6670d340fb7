/// Findings and input errors as text, in the `file:line:column: severity: message [rule]`
/// form that editors, compilers and CI logs make clickable.
public enum FindingRenderer {
    public static func line(_ f: Finding, color: Bool = false) -> String {
        let location = f.location.map { "\($0): " } ?? ""
        let severity = color ? paint(f.severity) : f.severity.rawValue
        var text = "\(location)\(severity): \(Escape.text(f.message)) [\(f.rule)]"
        if let expected = f.expected, let observed = f.observed {
            text += "\n    expected \(Escape.text(expected)), found \(Escape.text(observed))"
        }
        return text
    }

    public static func text(_ findings: [Finding], color: Bool = false) -> String {
        findings.map { line($0, color: color) + "\n" }.joined()
    }

    /// `2 errors, 1 warning, 0 notices`.
    public static func counts(_ findings: [Finding]) -> String {
        Severity.allCases.map { severity in
            let n = findings.filter { $0.severity == severity }.count
            return "\(n) \(severity.rawValue)\(n == 1 ? "" : "s")"
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
