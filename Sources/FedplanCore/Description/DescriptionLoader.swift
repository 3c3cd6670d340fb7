import Foundation
import Yams

/// Turns the text of a deployment description (schema version 1, YAML or JSON) into a
/// `Deployment`, or into every problem it has, each with file, line and column.
public enum DescriptionLoader {
    public static let schemaVersion = 1

    static let topKeys = ["version", "organization", "product", "ttl", "sip_domains", "edge", "federation",
                          "remote_access", "srv", "zones", "acknowledge", "reverse_proxy"]
    static let reverseProxyKeys = ["addresses", "external_web_services", "meet", "dialin", "office_web_apps"]
    static let sipDomainKeys = ["domain", "hosting", "access_edge"]
    static let acknowledgeKeys = ["rule", "domain", "reason"]
    static let edgeKeys = ["access_edge", "web_conferencing", "av", "load_balancing", "servers"]
    static let serverKeys = ["name", "access_ip", "web_conferencing_ip", "av_ip"]
    static let federationKeys = ["sip", "xmpp"]
    static let sipKeys = ["discoverable", "mobile_push", "partners"]
    static let sipPartnerKeys = ["domain", "kind", "edge", "legacy_ocs", "public_im"]
    static let xmppKeys = ["domains", "proxy", "partners"]
    static let xmppPartnerKeys = ["domain", "additional_domains", "type", "tls", "sasl", "dialback"]
    static let srvKeys = ["priority", "weight"]

    /// Every section the loader reads and its keys, as docs/description.md heads its tables
    /// (a test checks that each key is there, and nothing else).
    static let sections: [(path: String, keys: [String])] = [
        ("Top level", topKeys), ("edge", edgeKeys), ("edge.servers[]", serverKeys), ("federation", federationKeys),
        ("federation.sip", sipKeys), ("federation.sip.partners[]", sipPartnerKeys), ("federation.xmpp", xmppKeys),
        ("federation.xmpp.partners[]", xmppPartnerKeys), ("srv", srvKeys), ("sip_domains[]", sipDomainKeys),
        ("reverse_proxy", reverseProxyKeys), ("acknowledge[]", acknowledgeKeys),
    ]

    /// Keys that people put one level too high, and where they belong.
    static let misplacedKeys: [String: String] = {
        var map: [String: String] = [:]
        for key in edgeKeys { map[key] = "edge" }
        for key in sipKeys { map[key] = "federation.sip" }
        map["xmpp"] = "federation"
        map["sip"] = "federation"
        for key in srvKeys { map[key] = "srv" }
        return map
    }()

    /// The largest description read: 100,000 domains fit in a few MiB; anything near this is a
    /// wrong file, and refusing it up front keeps time and memory bounded.
    public static let maximumSize = 16 << 20

    public static func tooLarge(_ size: Int, file: String) -> Diagnostic {
        Diagnostic("the file is \(size >> 20) MiB; a description may be at most \(maximumSize >> 20) MiB",
                   at: SourceLocation(file: file), suggestion: "is this the right file?")
    }

    /// Loads raw bytes: refuses invalid UTF-8 and NUL bytes with their position first.
    public static func load(data: Data, file: String) -> Result<Deployment, DiagnosticList> {
        if data.count > maximumSize { return .failure(DiagnosticList([tooLarge(data.count, file: file)])) }
        if let problem = TextCheck.firstProblem(in: data, file: file) {
            return .failure(DiagnosticList([problem]))
        }
        return load(text: String(decoding: data, as: UTF8.self), file: file)
    }

    public static func load(text: String, file: String) -> Result<Deployment, DiagnosticList> {
        let start = SourceLocation(file: file, line: 1, column: 1)
        let root: Node
        let parser: Parser
        if let found = AnchorScan.first(in: text) {
            return .failure(DiagnosticList([Diagnostic(
                "YAML anchors and aliases (&name, *name) are not supported in a fedplan description",
                at: SourceLocation(file: file, line: found.line, column: found.column),
                suggestion: "write the value out where it is needed")]))
        }
        do {
            // The parser stays alive while we walk the tree: Yams holds anchors weakly, and we
            // look at them to refuse aliases.
            parser = try Parser(yaml: text)
            guard let node = try parser.singleRoot() else {
                return .failure(DiagnosticList([Diagnostic(
                    "the description is empty", at: start,
                    suggestion: "run `fedplan init` for a commented starter file")]))
            }
            root = node
        } catch {
            return .failure(DiagnosticList([yamlDiagnostic(error, file: file)]))
        }
        // A document with nothing in it (`---` alone) is an empty description, like an empty file.
        if YAMLReader.isNull(root) {
            return .failure(DiagnosticList([Diagnostic(
                "the description is empty", at: start,
                suggestion: "run `fedplan init` for a commented starter file")]))
        }
        let reader = YAMLReader(file: file, anchorFree: !AnchorScan.mayHold(text))
        let deployment = withExtendedLifetime(parser) { DeploymentBuilder(reader: reader).build(root) }
        if let deployment, reader.diagnostics.isEmpty { return .success(deployment) }
        let sorted = reader.diagnostics.sorted {
            ($0.location.line ?? 0, $0.location.column ?? 0) < ($1.location.line ?? 0, $1.location.column ?? 0)
        }
        return .failure(DiagnosticList(sorted))
    }

    /// Yams' errors carry a mark; turn them into our one-line form.
    static func yamlDiagnostic(_ error: Error, file: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        let advice = "the file must be YAML (or JSON); check indentation, quotes and colons near this point"
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return Diagnostic("not valid YAML: \(problem)", at: at(mark), suggestion: advice)
        case .duplicatedKeysInMapping(let keys, let context):
            return Diagnostic("the key '\(keys.joined(separator: "', '"))' appears more than once in one mapping",
                              at: at(context.mark), suggestion: "keep one of them")
        case .reader(let problem, _, _, _):
            return Diagnostic("cannot read the file: \(problem)", at: SourceLocation(file: file))
        default:
            return Diagnostic("not valid YAML: \(error)", at: SourceLocation(file: file), suggestion: advice)
        }
    }
}

/// Bytes a text file must not hold, found before YAML sees them so the position is exact.
enum TextCheck {
    static func firstProblem(in data: Data, file: String) -> Diagnostic? {
        // Plain ASCII without NUL, the usual description, is fine: one pass over the bytes.
        let plain = data.withUnsafeBytes { bytes in bytes.allSatisfy { $0 != 0 && $0 < 0x80 } }
        if plain { return nil }
        var line = 1, column = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\0" {
                    return Diagnostic("the file contains a NUL byte", at: SourceLocation(file: file, line: line, column: column),
                                      suggestion: "this does not look like a text file")
                }
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return nil
            case .error:
                return Diagnostic("the file is not valid UTF-8", at: SourceLocation(file: file, line: line, column: column),
                                  suggestion: "save the description as UTF-8")
            }
        }
    }
}
