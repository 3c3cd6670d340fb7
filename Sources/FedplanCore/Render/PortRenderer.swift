import Foundation

/// `ports plan` output: a table per interface, Markdown, JSON and CSV (RFC 4180) for a firewall
/// change request.
public enum PortRenderer {
    static let headers = ["INTERFACE", "PROTOCOL", "PORT", "DIRECTION", "SOURCE", "DESTINATION", "SERVICE", "REASON"]

    /// `full`: endpoints with their addresses (CSV); else names only, the addresses listed once.
    static func cells(_ r: PortRule, full: Bool = true) -> [String] {
        let source = full ? r.source.description : r.source.name
        let destination = full ? r.destination.description : r.destination.name
        return [r.interface.rawValue, r.transport, r.port, r.direction.rawValue, source, destination, r.service, r.reason]
    }

    /// Each named host with its addresses, once, in order of first use.
    static func legend(_ rules: [PortRule]) -> [(String, String)] {
        var seen: [(String, String)] = []
        for e in rules.flatMap({ [$0.source, $0.destination] }) where !e.addresses.isEmpty && !seen.contains(where: { $0.0 == e.name }) {
            seen.append((e.name, e.addresses.joined(separator: ", ")))
        }
        return seen
    }

    public static func table(_ rules: [PortRule]) -> String {
        var out = ""
        let hosts = legend(rules)
        if !hosts.isEmpty {
            var table = TextTable()
            for (name, addresses) in hosts { table.add([Escape.text(name), addresses]) }
            out += "Edge addresses\n" + table.render(indent: "  ") + "\n\n"
        }
        for interface in [PortRule.Interface.external, .internal] {
            let rows = rules.filter { $0.interface == interface }
            guard !rows.isEmpty else { continue }
            var table = TextTable()
            table.add(Array(headers.dropFirst()))
            for r in rows { table.add(cells(r, full: false).dropFirst().map(Escape.text)) }
            out += "\(interface == .external ? "External" : "Internal") interface of the Edge\n" + table.render(indent: "  ") + "\n\n"
        }
        return out
    }

    public static func markdown(_ rules: [PortRule]) -> String {
        var out = "# Edge firewall rules\n"
        let hosts = legend(rules)
        if !hosts.isEmpty {
            out += "\n| Host | Addresses |\n|---|---|\n" + hosts.map { "| `\(PlanRenderer.cell($0.0))` | \($0.1) |\n" }.joined()
        }
        for interface in [PortRule.Interface.external, .internal] {
            let rows = rules.filter { $0.interface == interface }
            guard !rows.isEmpty else { continue }
            out += "\n## \(interface == .external ? "External" : "Internal") interface\n\n"
            out += "| Protocol | Port | Direction | Source | Destination | Service | Reason |\n|---|---|---|---|---|---|---|\n"
            for r in rows { out += "| " + cells(r, full: false).dropFirst().map(PlanRenderer.cell).joined(separator: " | ") + " |\n" }
        }
        return out
    }

    public struct EndpointJSON: Codable, Equatable {
        public var name: String
        public var addresses: [String]
    }

    public struct RuleJSON: Codable, Equatable {
        public var interface: String
        public var `protocol`: String
        public var port: String
        public var direction: String
        public var source: EndpointJSON
        public var destination: EndpointJSON
        public var service: String
        public var reason: String
    }

    public struct Document: Codable, Equatable {
        public var schema: Int = 1
        public var description: String
        public var rules: [RuleJSON]
    }

    public static func json(_ rules: [PortRule], file: String) -> String {
        JSONDocuments.encode(Document(description: Escape.text(file), rules: rules.map {
            RuleJSON(interface: $0.interface.rawValue, protocol: $0.transport, port: $0.port, direction: $0.direction.rawValue,
                     source: EndpointJSON(name: Escape.text($0.source.name), addresses: $0.source.addresses),
                     destination: EndpointJSON(name: Escape.text($0.destination.name), addresses: $0.destination.addresses),
                     service: $0.service,
                     reason: Escape.text($0.reason))
        }))
    }

    /// RFC 4180: every field quoted, quotes doubled, CRLF line ends.
    public static func csv(_ rules: [PortRule]) -> String {
        let lines = [headers.map { $0.lowercased() }] + rules.map { cells($0) }
        return lines.map { row in
            row.map { "\"" + Escape.text($0).replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",")
        }.joined(separator: "\r\n") + "\r\n"
    }
}
