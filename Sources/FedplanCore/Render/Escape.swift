/// Makes untrusted text (DNS data, names from a description) safe to print on a terminal or in
/// a log: control characters, DEL, C1 controls and bidirectional overrides are written as
/// escapes instead of being sent raw, so no byte from outside can move the cursor or recolour
/// the screen.
public enum Escape {
    public static func text(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if !needsEscape(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x100 {
                // RFC 1035 master-file style, familiar from dig and zone files.
                let digits = String(scalar.value)
                out += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
            } else {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        // Bidirectional controls can make text display in another order than it is stored.
        return (0x200E...0x200F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v)
            // Line and paragraph separators end a line in YAML, JavaScript and many editors.
            || v == 0x2028 || v == 0x2029
    }

    /// `'x'` for a printable character, `U+001B` for anything else.
    public static func scalarName(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count))
            + String(scalar.value, radix: 16, uppercase: true)
        if needsEscape(scalar) || scalar == " " { return code }
        return "'\(scalar)' (\(code))"
    }
}
