import CIDN2
import Glibc

/// Internationalized labels by the standard, through libidn2: IDNA2008 (RFC 5890-5893) with
/// the UTS #46 mapping, non-transitional (what browsers and current resolvers use). Fullwidth
/// letters and other compatibility forms map to their plain form (`ＣＯＮＴＯＳＯ` → `contoso`,
/// `ſip` → `sip`); what IDNA2008 forbids is refused with libidn2's reason: invalid A-labels,
/// a leading combining mark, right-to-left text mixed with left-to-right, `--` in the third
/// and fourth positions.
public enum IDNA {
    struct Refusal: Error {
        let reason: String
    }

    /// The ASCII form of one label, or libidn2's reason why there is none.
    static func toASCII(_ label: String) -> Result<String, Refusal> {
        var output: UnsafeMutablePointer<CChar>?
        let rc = idn2_to_ascii_8z(label, &output, Int32(IDN2_NONTRANSITIONAL.rawValue))
        defer { free(output) }
        guard rc == Int32(IDN2_OK.rawValue), let output else { return .failure(Refusal(reason: String(cString: idn2_strerror(rc)))) }
        return .success(String(cString: output))
    }

    /// The Unicode form of an ASCII label (`xn--bcher-kva` → `bücher`); the label itself when it
    /// has none.
    public static func toUnicode(_ label: String) -> String {
        guard label.hasPrefix("xn--") else { return label }
        var output: UnsafeMutablePointer<CChar>?
        let rc = idn2_to_unicode_8z8z(label, &output, 0)
        defer { free(output) }
        guard rc == Int32(IDN2_OK.rawValue), let output else { return label }
        return String(cString: output)
    }
}
