/// `dns plan --format mermaid | dot`: the federation topology as a picture. SIP and XMPP domains
/// lead to their SRV records, SRV records to the Edge hosts they name (labelled with the port),
/// hosts to their addresses, and the Edge to the partners on the far side.
public enum TopologyRenderer {
    /// The picture as plain nodes and edges, shared by both syntaxes.
    struct Graph {
        enum Kind { case domain, srv, host, address, partner }
        struct Node { let id: String; let label: String; let kind: Kind; let ours: Bool }
        struct Edge { let from: String; let to: String; let label: String? }
        var nodes: [Node] = []
        var edges: [Edge] = []
        private var ids: [String: String] = [:]

        /// A stable, syntax-safe id (`n0`, `n1`, …) per distinct key.
        mutating func node(_ key: String, _ label: String, _ kind: Kind, ours: Bool = true) -> String {
            if let id = ids[key] { return id }
            let id = "n\(nodes.count)"
            ids[key] = id
            nodes.append(Node(id: id, label: label, kind: kind, ours: ours))
            return id
        }

        mutating func edge(_ from: String, _ to: String, _ label: String? = nil) {
            if !edges.contains(where: { $0.from == from && $0.to == to && $0.label == label }) {
                edges.append(Edge(from: from, to: to, label: label))
            }
        }
    }

    static func graph(_ deployment: Deployment, plan: Plan) -> Graph {
        var g = Graph()
        for domain in deployment.sipDomains { _ = g.node("domain \(domain.value)", domain.value.description.dropLastDot, .domain) }
        for record in plan.records {
            guard case .srv(let srv) = record.data else { continue }
            // `_service._proto.<domain>`: the domain is the owner without its first two labels.
            let labels = record.name.description.split(separator: ".", omittingEmptySubsequences: true)
            let domainName = labels.dropFirst(2).joined(separator: ".")
            let domain = g.node("domain \(domainName).", domainName, .domain)
            let service = g.node("srv \(record.name)", "\(labels.prefix(2).joined(separator: ".")) SRV", .srv)
            g.edge(domain, service)
            let host = g.node("host \(srv.target)", srv.target.description.dropLastDot, .host)
            g.edge(service, host, "\(srv.port)")
        }
        for record in plan.records {
            guard case .address(let ip) = record.data else { continue }
            let host = g.node("host \(record.name)", record.name.description.dropLastDot, .host)
            let address = g.node("address \(ip)", ip.description, .address)
            g.edge(host, address, [record.type.rawValue, record.server].compactMap { $0 }.joined(separator: " "))
        }
        let access = g.node("host \(deployment.edge.accessEdge.value)", deployment.edge.accessEdge.value.description.dropLastDot, .host)
        for partner in deployment.federation.sip.partners {
            let id = g.node("partner \(partner.domain.value)", partner.domain.value.description.dropLastDot, .partner, ours: false)
            g.edge(access, id, "SIP " + partner.kind.rawValue.replacingOccurrences(of: "_", with: " "))
        }
        if let xmpp = deployment.federation.xmpp {
            let proxy = g.node("host \(xmpp.proxy.value)", xmpp.proxy.value.description.dropLastDot, .host)
            for partner in xmpp.partners {
                let id = g.node("partner \(partner.domain.value)", partner.domain.value.description.dropLastDot, .partner, ours: false)
                g.edge(proxy, id, "XMPP " + partner.type.rawValue.replacingOccurrences(of: "_", with: " "))
            }
        }
        return g
    }

    public static func mermaid(_ deployment: Deployment, plan: Plan) -> String {
        let g = graph(deployment, plan: plan)
        let title = deployment.organization.map { mermaidText(Escape.text($0)) } ?? "our side"
        var out = "flowchart LR\n  subgraph ours[\"\(title)\"]\n"
        for n in g.nodes where n.ours { out += "    \(n.id)\(mermaidShape(n))\n" }
        out += "  end\n"
        if g.nodes.contains(where: { !$0.ours }) {
            out += "  subgraph partners[\"federation partners\"]\n"
            for n in g.nodes where !n.ours { out += "    \(n.id)\(mermaidShape(n))\n" }
            out += "  end\n"
        }
        for e in g.edges {
            out += e.label.map { "  \(e.from) -- \"\(mermaidText($0))\" --> \(e.to)\n" } ?? "  \(e.from) --> \(e.to)\n"
        }
        return out
    }

    static func mermaidShape(_ n: Graph.Node) -> String {
        let label = "\"\(mermaidText(n.label))\""
        switch n.kind {
        case .domain: return "[(\(label))]"
        case .srv: return "[/\(label)/]"
        case .host: return "[\(label)]"
        case .address: return "(\(label))"
        case .partner: return "{{\(label)}}"
        }
    }

    /// Inside a quoted Mermaid label only `"` needs care: its entity code.
    static func mermaidText(_ text: String) -> String { text.replacingOccurrences(of: "\"", with: "#quot;") }

    public static func dot(_ deployment: Deployment, plan: Plan) -> String {
        let g = graph(deployment, plan: plan)
        var out = "digraph fedplan {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        let title = deployment.organization.map { Escape.text($0) } ?? "our side"
        out += "  subgraph cluster_ours {\n    label=\(dotString(title));\n"
        for n in g.nodes where n.ours { out += "    \(n.id) [label=\(dotString(n.label)), shape=\(dotShape(n.kind))];\n" }
        out += "  }\n"
        if g.nodes.contains(where: { !$0.ours }) {
            out += "  subgraph cluster_partners {\n    label=\"federation partners\";\n"
            for n in g.nodes where !n.ours { out += "    \(n.id) [label=\(dotString(n.label)), shape=\(dotShape(n.kind))];\n" }
            out += "  }\n"
        }
        for e in g.edges {
            out += "  \(e.from) -> \(e.to)" + (e.label.map { " [label=\(dotString($0))]" } ?? "") + ";\n"
        }
        return out + "}\n"
    }

    static func dotShape(_ kind: Graph.Kind) -> String {
        switch kind {
        case .domain: "folder"
        case .srv: "parallelogram"
        case .host: "box"
        case .address: "ellipse"
        case .partner: "hexagon"
        }
    }

    /// A DOT quoted string: backslashes and quotes escaped, so no label ends early.
    static func dotString(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
