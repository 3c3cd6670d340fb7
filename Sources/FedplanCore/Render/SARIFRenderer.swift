import Foundation

/// SARIF 2.1.0 (OASIS), the format GitHub code scanning and many editors read. One run, one
/// `reportingDescriptor` per rule of the catalogue (with its summary, why it matters and its
/// source as help), one result per finding. Zone-file findings carry a `physicalLocation` (file
/// and line); live findings a `logicalLocation`, the DNS name. Problems that stopped the check
/// (a zone file that does not load) are results of the rule `zone-file-syntax`.
public enum SARIFRenderer {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

    struct Log: Encodable {
        var version = "2.1.0"
        var schema = SARIFRenderer.schemaURI
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version
            case schema = "$schema"
            case runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var invocations: [Invocation]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "fedplan"
        var version: String
        var informationUri = "https://www.rfc-editor.org/rfc/rfc2782"
        var rules: [Descriptor]
    }

    struct Message: Encodable { var text: String }

    struct Descriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { var level: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable { var uri: String }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }

    struct LogicalLocation: Encodable {
        var name: String
        var fullyQualifiedName: String
        var kind = "resource"
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]?
    }

    struct Notification: Encodable {
        var level: String
        var message: Message
    }

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
                       help: Message(text: "\(rule.rationale) Source: \(rule.source)."),
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

    /// Findings of `dns check` or `cert check`. `description` is the deployment description:
    /// findings located there point at the line that planned the record.
    public static func findings(_ findings: [Finding], version: String, stopped: String? = nil) -> String {
        let rules = descriptors()
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = findings.map { f in
            var message = f.message
            if let expected = f.expected { message += " Expected: \(expected)." }
            if let observed = f.observed { message += " Observed: \(observed)." }
            if let fix = f.fix { message += " Fix: \(fix)." }
            if let server = f.server { message += " (server \(server))" }
            var location = Location(logicalLocations: [LogicalLocation(name: Escape.text(f.name), fullyQualifiedName: Escape.text(f.name))])
            if let place = f.location {
                location.physicalLocation = physical(place)
            }
            return Result(ruleId: f.rule, ruleIndex: index[f.rule], level: level(f.severity),
                          message: Message(text: Escape.text(message)), locations: [location])
        }
        let notes = stopped.map { [Notification(level: "warning", message: Message(text: "the check stopped early (\(Escape.text($0)))"))] }
        return encode(rules: rules, results: results, success: true, notifications: notes, version: version)
    }

    /// Problems that stopped the check: every one a `zone-file-syntax` error at its line.
    public static func problems(_ problems: [Diagnostic], version: String) -> String {
        let rules = descriptors()
        let results = problems.map { d in
            Result(ruleId: syntaxRule.id, ruleIndex: rules.count - 1, level: "error",
                   message: Message(text: Escape.text(d.message + (d.suggestion.map { "; \($0)" } ?? ""))),
                   locations: [Location(physicalLocation: physical(d.location))])
        }
        return encode(rules: rules, results: results, success: false, notifications: nil, version: version)
    }

    static func physical(_ place: SourceLocation) -> PhysicalLocation {
        PhysicalLocation(artifactLocation: ArtifactLocation(uri: uri(place.file)),
                         region: place.line.flatMap { $0 > 0 ? Region(startLine: $0, startColumn: place.column) : nil })
    }

    /// A path as a URI: relative paths as relative references (RFC 3986), absolute ones as
    /// `file://` URIs (RFC 8089); bytes outside the unreserved set percent-encoded.
    static func uri(_ path: String) -> String {
        var allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/".utf8)
        allowed.insert(UInt8(ascii: "@"))
        let encoded = path.utf8.map { allowed.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        return path.hasPrefix("/") ? "file://" + encoded : encoded
    }

    static func encode(rules: [Descriptor], results: [Result], success: Bool, notifications: [Notification]?,
                       version: String) -> String {
        JSONDocuments.encode(Log(runs: [Run(
            tool: Tool(driver: Driver(version: version, rules: rules)), results: results,
            invocations: [Invocation(executionSuccessful: success, toolExecutionNotifications: notifications)])]))
    }
}
