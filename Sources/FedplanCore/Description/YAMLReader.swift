import Foundation
import Yams

/// Reads typed values out of Yams nodes and records every problem with its line and column,
/// so one run reports all mistakes of a description instead of the first.
final class YAMLReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    /// The text has neither `&` nor `*` (`AnchorScan.mayHold`): no node can carry an anchor or
    /// be an alias, so `refuseAnchor` need not look (reading a node's weakly held anchor costs
    /// 300 instructions, and a hoster's description has tens of thousands of nodes).
    let anchorFree: Bool

    init(file: String, anchorFree: Bool = false) {
        self.file = file
        self.anchorFree = anchorFree
    }

    func location(_ node: Node) -> SourceLocation {
        // `mark` copied out of the node once (each read of it copies the node: 300 instructions).
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line, column: mark?.column)
    }

    /// Problems already reported: an alias makes the walk meet the same node many times.
    private var reported: Set<String> = []

    func fail(_ message: String, at node: Node, suggestion: String? = nil) {
        fail(message, at: location(node), suggestion: suggestion)
    }

    func fail(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        guard reported.insert("\(location) \(message)").inserted else { return }
        diagnostics.append(Diagnostic(message, at: location, suggestion: suggestion))
    }

    /// A mapping's entries by key, after reporting unknown keys and anchors.
    func mapping(_ node: Node, path: String, allowed: [String], elsewhere: [String: String] = [:]) -> Mapping? {
        refuseAnchor(node)
        guard case .mapping(let mapping) = node else {
            fail("\(path) must be a mapping of keys to values, found \(kind(of: node))", at: node)
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        var misspelled: Set<String> = []
        for (key, value) in mapping {
            let name = key.string ?? ""
            if allowed.contains(name) {
                entries[name] = (key, value)
            } else if let section = elsewhere[name] {
                fail("'\(name)' is not a key of \(path)", at: key, suggestion: "it belongs under '\(section)'")
            } else {
                let guess = Suggestion.closest(to: name, in: allowed)
                if let guess { misspelled.insert(guess) }
                var hint = guess.map { "did you mean '\($0)'?" }
                if guess == nil, let other = Suggestion.closest(to: name, in: Array(elsewhere.keys).sorted()) {
                    hint = "did you mean '\(other)' (under '\(elsewhere[other]!)')?"
                }
                fail("unknown key '\(name)' in \(path)", at: key,
                     suggestion: hint ?? "known keys: \(allowed.joined(separator: ", "))")
            }
        }
        return Mapping(node: node, path: path, entries: entries, misspelled: misspelled, reader: self)
    }

    /// Anchors and aliases have no use in a deployment description, and an alias can make a
    /// small file expand into a huge tree ("billion laughs"): refuse them outright.
    func refuseAnchor(_ node: Node) {
        if anchorFree { return }
        let anchored: Bool
        switch node {
        case .mapping(let m): anchored = m.anchor != nil
        case .sequence(let s): anchored = s.anchor != nil
        case .scalar(let s): anchored = s.anchor != nil
        default: anchored = true
        }
        if anchored {
            fail("YAML anchors and aliases (&name, *name) are not supported in a fedplan description",
                 at: node, suggestion: "write the value out where it is needed")
        }
    }

    func kind(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): Self.isNull(node) ? "nothing" : "'\(Escape.text(s.string))'"
        default: "an alias"
        }
    }

    struct Mapping {
        let node: Node
        let path: String
        let entries: [String: (key: Node, value: Node)]
        /// Keys that an unknown key probably meant: not reported again as missing.
        let misspelled: Set<String>
        let reader: YAMLReader

        /// `ttl` at the top level, `edge.access_edge` below it.
        func keyPath(_ key: String) -> String { path == "the description" ? key : path + "." + key }

        /// The value of `key`; a YAML null (`key:` with nothing after it) counts as absent.
        func value(_ key: String) -> Node? {
            guard let value = entries[key]?.value else { return nil }
            if case .scalar = value, YAMLReader.isNull(value) { return nil }
            return value
        }

        func required(_ key: String, example: String) -> Node? {
            if let value = value(key) { return value }
            if misspelled.contains(key) { return nil }
            let at = entries[key]?.key ?? node
            reader.fail("\(path) needs '\(key)'", at: at, suggestion: "add e.g. `\(key): \(example)`")
            return nil
        }

        func string(_ key: String) -> String? {
            guard let node = value(key) else { return nil }
            guard case .scalar(let s) = node else {
                reader.fail("\(keyPath(key)) must be text, found \(reader.kind(of: node))", at: node)
                return nil
            }
            // Text from the description ends up in reports, zone-file comments, diagrams and
            // JSON: a control character there could rewrite a terminal or add lines.
            if let bad = s.string.unicodeScalars.first(where: Escape.needsEscape) {
                reader.fail("\(keyPath(key)) contains \(Escape.scalarName(bad)), a control or line-breaking character", at: node,
                            suggestion: "remove it; the text is printed in reports, zone comments and diagrams")
                return nil
            }
            return s.string
        }

        func bool(_ key: String, default fallback: Bool) -> Bool {
            guard let node = value(key) else { return fallback }
            if case .scalar = node, let b = node.bool { return b }
            reader.fail("\(keyPath(key)) must be true or false, found \(reader.kind(of: node))", at: node)
            return fallback
        }

        func int(_ key: String, range: ClosedRange<Int>, default fallback: Int) -> Int {
            guard let node = value(key) else { return fallback }
            // Decimal digits only: YAML 1.1 readers take `010` for 8, `1:00` for 60 and `0x10`
            // for 16, so a number that means different things to different tools is refused.
            guard case .scalar(let s) = node, !s.string.isEmpty, s.string.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let n = Int(s.string) else {
                reader.fail("\(keyPath(key)) must be a whole number in decimal digits, found \(reader.kind(of: node))", at: node,
                            suggestion: "write e.g. `\(key): \(range.lowerBound == 0 ? 3600 : range.lowerBound)`")
                return fallback
            }
            if s.string.count > 1, s.string.hasPrefix("0") {
                reader.fail("\(keyPath(key)) is written with a leading zero ('\(s.string)'), which YAML 1.1 tools read as an octal number",
                            at: node, suggestion: "write `\(key): \(n)`")
                return fallback
            }
            guard range.contains(n) else {
                reader.fail("\(keyPath(key)) is \(n); it must be between \(range.lowerBound) and \(range.upperBound)",
                            at: node)
                return fallback
            }
            return n
        }

        func choice<E: RawRepresentable & CaseIterable>(_ key: String, default fallback: E) -> E
        where E.RawValue == String {
            guard let node = value(key) else { return fallback }
            let allowed = E.allCases.map(\.rawValue)
            if case .scalar(let s) = node, let value = E(rawValue: s.string) { return value }
            let text = node.string ?? ""
            let hint = Suggestion.closest(to: text, in: allowed).map { "did you mean '\($0)'?" }
            reader.fail("\(keyPath(key)) must be one of \(allowed.joined(separator: ", ")), found \(reader.kind(of: node))",
                        at: node, suggestion: hint)
            return fallback
        }

        /// The items of a list; a single scalar or mapping is taken as a list of one.
        func list(_ key: String) -> [Node] {
            guard let node = value(key) else { return [] }
            reader.refuseAnchor(node)
            switch node {
            case .sequence(let seq): return Array(seq)
            case .scalar, .mapping: return [node]
            default:
                reader.fail("\(keyPath(key)) must be a list, found \(reader.kind(of: node))", at: node)
                return []
            }
        }
    }

    /// A domain name from a scalar node, or nil after reporting why it is not one.
    /// YAML's null (`~`, `null`, nothing), as Yams reads it: a plain scalar of at most four
    /// characters. Names are longer; they skip Yams's comparisons (a thousand instructions).
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node else { return false }
        return isNull(s)
    }

    /// `isNull` of a scalar already taken out of its node (`node.null` is `NSNull.construct`
    /// of the node's scalar).
    static func isNull(_ s: Node.Scalar) -> Bool {
        s.string.utf8.count <= 4 && NSNull.construct(from: s) != nil
    }

    func name(_ node: Node, what: String) -> Located<DomainName>? {
        refuseAnchor(node)
        // The scalar taken out once and asked everything: each look at the node (null? where?)
        // copied its scalar again, weakly held anchor included (850 instructions a name).
        guard case .scalar(let s) = node, !Self.isNull(s) else {
            fail("\(what) must be a domain name, found \(kind(of: node))", at: node)
            return nil
        }
        switch DomainName.parse(s.string) {
        case .success(let name): return Located(name, at: SourceLocation(file: file, line: s.mark?.line, column: s.mark?.column))
        case .failure(let problem):
            fail("\(what) '\(Escape.text(s.string))' is not a valid domain name: \(problem.message)", at: node)
            return nil
        }
    }

    /// An IP address from a scalar node, or nil after reporting why it is not one.
    func address(_ node: Node, what: String) -> Located<IPAddress>? {
        guard case .scalar(let s) = node, !Self.isNull(node) else {
            fail("\(what) must be an IP address, found \(kind(of: node))", at: node)
            return nil
        }
        let text = s.string.trimmingCharacters(in: .whitespaces)
        guard let address = IPAddress(text) else {
            let hint = text.contains("/") ? "write a single address, without a prefix length"
                : "write an IPv4 address like 131.107.155.10 or an IPv6 address like \"2001:db8::10\""
            fail("\(what) '\(Escape.text(s.string))' is not a valid IP address", at: node, suggestion: hint)
            return nil
        }
        return Located(address, at: location(node))
    }
}
