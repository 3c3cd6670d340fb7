/// An Extended DNS Error (RFC 8914, EDNS option 15) a server attached to a reply: its INFO-CODE
/// and EXTRA-TEXT, read by FedplanDNS from ldns's EDNS option list. The text comes from the
/// server: it is escaped wherever it is shown.
public struct ExtendedDNSError: Sendable, Equatable, Hashable {
    public var code: UInt16
    /// EXTRA-TEXT, at most `longestText` bytes of it, as UTF-8 (invalid bytes replaced).
    public var text: String

    /// A hostile server may send 65,000 bytes of text: a report shows this much.
    public static let longestText = 200

    public init(code: UInt16, text: String) {
        self.code = code
        self.text = text
    }

    /// The name IANA's registry gives the code (RFC 8914 §4, and later additions), or nil.
    public var name: String? {
        let names = ["Other Error", "Unsupported DNSKEY Algorithm", "Unsupported DS Digest Type", "Stale Answer",
                     "Forged Answer", "DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired",
                     "Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing", "No Zone Key Bit Set",
                     "NSEC Missing", "Cached Error", "Not Ready", "Blocked", "Censored", "Filtered", "Prohibited",
                     "Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported", "No Reachable Authority",
                     "Network Error", "Invalid Data", "Signature Expired before Valid", "Too Early",
                     "Unsupported NSEC3 Iterations Value", "Unable to conform to policy", "Synthesized",
                     "Invalid Query Type"]
        return Int(code) < names.count ? names[Int(code)] : nil
    }

    /// `Extended DNS Error 7 (Signature Expired): "validation failure <…>"`, escaped.
    public var description: String {
        var s = "Extended DNS Error \(code)"
        if let name { s += " (\(name))" }
        if !text.isEmpty { s += ": \"\(Escape.text(text))\"" }
        return s
    }

    /// Several errors, as one phrase.
    public static func list(_ errors: [ExtendedDNSError]) -> String {
        errors.map(\.description).joined(separator: "; ")
    }
}
