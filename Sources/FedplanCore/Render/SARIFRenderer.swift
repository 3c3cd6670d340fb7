import Foundation

/// SARIF 2.1.0 (OASIS), the format GitHub code scanning and many editors read. One run, one
/// `reportingDescriptor` per rule of the catalogue (with its summary, why it matters and its
/// source as help), one result per finding. Zone-file findings carry a `physicalLocation` (file
/// and line); live findings a `logicalLocation`, the DNS name. Problems that stopped the check
/// (a zone file that does not load) are results of the rule `zone-file-syntax`.
public enum SARIFRenderer {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    struct Message { var text: String }

    struct Descriptor {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration { var level: String }

    /// The pseudo-rule of a zone file that could not be read.
    static let syntaxRule = Descriptor(
        id: "zone-file-syntax", name: "ZoneFileSyntax",
        shortDescription: Message(text: "a zone file does not load"),
        fullDescription: Message(text: "The zone file has a syntax error, so a server refuses to load the zone; nothing was checked."),
        help: Message(text: "Fix the line as the message says; `kzonecheck` and `named-checkzone` give the same verdict."),
        defaultConfiguration: Configuration(level: "error"))

    static func descriptors() -> [Descriptor] {
        RuleCatalog.all.map { rule in
            Descriptor(id: rule.name, name: rule.name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(),
                       shortDescription: Message(text: rule.summary),
                       fullDescription: Message(text: "\(rule.summary). \(rule.rationale)"),
                       help: Message(text: "\(rule.rationale) Source: \(sentence(rule.source))"),
                       defaultConfiguration: Configuration(level: level(rule.severity)))
        } + [syntaxRule]
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .notice: "note"
        }
    }

    /// Findings of `dns check` or `cert check`, streamed into `sink` (`SARIFRenderer.write`).
    /// Findings located in the deployment description point at the line that planned the
    /// record; zone-file findings at their file and line.
    /// `omitted`: findings counted but not listed (16 per rule and name), one notification each.
    public static func findings(_ findings: [Finding], version: String, stopped: String? = nil,
                                omitted: [CheckReport.Omitted] = [], to sink: OutputSink) {
        write(findings: findings, version: version, stopped: stopped, omitted: omitted, to: sink)
    }

    /// The same document as one String, for tests and small callers; the command line streams.
    public static func findings(_ findings: [Finding], version: String, stopped: String? = nil,
                                omitted: [CheckReport.Omitted] = []) -> String {
        let sink = StringSink()
        write(findings: findings, version: version, stopped: stopped, omitted: omitted, to: sink)
        return sink.text
    }

    /// Problems that stopped the check: every one a `zone-file-syntax` error at its line.
    public static func problems(_ problems: [Diagnostic], version: String, to sink: OutputSink) {
        write(problems: problems, version: version, to: sink)
    }

    public static func problems(_ problems: [Diagnostic], version: String) -> String {
        let sink = StringSink()
        write(problems: problems, version: version, to: sink)
        return sink.text
    }

    /// A path as a URI: relative paths as relative references (RFC 3986), absolute ones as
    /// `file://` URIs (RFC 8089); bytes outside the unreserved set percent-encoded.
    static func uri(_ path: String) -> String {
        var allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/".utf8)
        allowed.insert(UInt8(ascii: "@"))
        let encoded = path.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }
}
