import Foundation

import Yams

/// Builds a `Deployment` from the YAML tree. Each section has one function; problems go to the
/// reader and building carries on, so the user sees every mistake in one run.
struct DeploymentBuilder {
    let reader: YAMLReader
    typealias Keys = DescriptionLoader

    func build(_ root: Node) -> Deployment? {
        guard let top = reader.mapping(root, path: "the description", allowed: Keys.topKeys,
                                       elsewhere: Keys.misplacedKeys) else { return nil }
        let version = self.version(top)
        let sipDomainsNode = top.required("sip_domains", example: "[contoso.com]")
        let sipDomainItems = top.list("sip_domains")
        let (sipDomains, domainSettings) = self.sipDomains(sipDomainItems)
        if let sipDomainsNode, sipDomainItems.isEmpty {
            reader.fail("sip_domains is empty; list every SIP domain users sign in with", at: sipDomainsNode)
        }
        let edge = top.required("edge", example: "{access_edge: sip.contoso.com, servers: [...]}").flatMap(self.edge)
        let domainNames = sipDomains.map(\.value)
        let domainSet = LazyNameSet(domainNames)
        let product: Located<Product>? = top.value("product").map { node in
            Located(top.choice("product", default: Product.lync2013), at: reader.location(node))
        }
        let teamsOnly = Set(domainSettings.filter { $0.value.hosting == .teamsOnly }.keys)
        let federation = self.federation(top.value("federation"), sipDomains: domainNames,
                                         domainSet: domainSet, teamsOnly: teamsOnly, edge: edge)
        let acknowledgements = top.list("acknowledge").compactMap(acknowledgement)
        // The dial-in name defaults into the first domain the Edge still serves.
        let served = sipDomains.first { domainSettings[$0.value]?.hosting != .teamsOnly }?.value
        let reverseProxy = top.value("reverse_proxy").flatMap { self.reverseProxy($0, firstDomain: served) }
        let srv = top.value("srv").flatMap { reader.mapping($0, path: "srv", allowed: Keys.srvKeys) }
        let zones = top.value("zones").map { _ in uniqueNames(top.list("zones"), what: "zone") }
        guard let version, let edge, let federation else { return nil }
        var deployment = Deployment(
            file: reader.file,
            version: version,
            organization: top.string("organization"),
            ttl: UInt32(top.int("ttl", range: 0...2_147_483_647, default: 3600)),
            sipDomains: sipDomains,
            edge: edge,
            federation: federation,
            remoteAccess: top.bool("remote_access", default: false),
            srv: SRVSettings(priority: UInt16(srv?.int("priority", range: 0...65535, default: 0) ?? 0),
                             weight: UInt16(srv?.int("weight", range: 0...65535, default: 0) ?? 0)),
            zones: zones,
            zonesLocation: top.value("zones").map(reader.location)
        )
        deployment.domainSettings = domainSettings
        deployment.product = product
        deployment.acknowledgements = acknowledgements
        deployment.reverseProxy = reverseProxy
        return deployment
    }

    /// `reverse_proxy:` `{addresses, external_web_services, meet, dialin, office_web_apps}`.
    private func reverseProxy(_ node: Node, firstDomain: DomainName?) -> ReverseProxy? {
        guard let map = reader.mapping(node, path: "reverse_proxy", allowed: Keys.reverseProxyKeys) else { return nil }
        let addressNodes = map.list("addresses")
        if addressNodes.isEmpty {
            reader.fail("reverse_proxy needs addresses (its public IPv4 or IPv6 addresses)", at: node,
                        suggestion: "add `addresses: [<public IP>]`")
        }
        let addresses = addressNodes.compactMap { reader.address($0, what: "reverse_proxy address") }
        let web = map.required("external_web_services", example: "webext.contoso.com").flatMap {
            reader.name($0, what: "reverse_proxy.external_web_services")
        }
        // `dialin` defaults to dialin.<first SIP domain>; `false` plans none.
        var dialin: Located<DomainName>?
        if let dialinNode = map.value("dialin") {
            if case .scalar = dialinNode, let on = dialinNode.bool {
                dialin = on ? firstDomain.map { Located($0.prepending("dialin"), at: reader.location(dialinNode)) } : nil
            } else {
                dialin = reader.name(dialinNode, what: "reverse_proxy.dialin")
            }
        } else {
            dialin = firstDomain.map { Located($0.prepending("dialin"), at: reader.location(node)) }
        }
        let owa = map.value("office_web_apps").flatMap { reader.name($0, what: "reverse_proxy.office_web_apps") }
        guard let web, !addresses.isEmpty else { return nil }
        return ReverseProxy(addresses: addresses, externalWebServices: web, meet: map.bool("meet", default: true),
                            dialin: dialin, officeWebApps: owa, location: reader.location(node))
    }

    /// `sip_domains`: each entry a name, or `{domain, hosting, access_edge}`.
    private func sipDomains(_ nodes: [Node]) -> ([Located<DomainName>], [DomainName: SIPDomainSettings]) {
        var settings: [DomainName: SIPDomainSettings] = [:]
        var names: [Node] = []
        names.reserveCapacity(nodes.count)
        var entries: [(Node, YAMLReader.Mapping)] = []
        for node in nodes {
            guard case .mapping = node else { names.append(node); continue }
            guard let map = reader.mapping(node, path: "sip_domains[]", allowed: Keys.sipDomainKeys),
                  let domain = map.required("domain", example: "litware.example") else { continue }
            names.append(domain)
            entries.append((domain, map))
        }
        let unique = uniqueNames(names, what: "SIP domain")
        for (domainNode, map) in entries {
            guard case .scalar(let s) = domainNode, case .success(let domain) = DomainName.parse(s.string) else { continue }
            let hosting: DomainHosting = map.choice("hosting", default: .onPremises)
            let accessEdge = map.value("access_edge").flatMap { reader.name($0, what: "access_edge of \(domain.text)") }
            if hosting == .teamsOnly, let accessEdge {
                reader.fail("\(domain.text) is teams-only: its records point at Microsoft 365, not at an Access Edge name",
                            at: accessEdge.location, suggestion: "remove access_edge, or set hosting: hybrid while users are still on premises")
            }
            settings[domain] = SIPDomainSettings(hosting: hosting, accessEdge: hosting == .teamsOnly ? nil : accessEdge,
                                                 location: reader.location(map.node))
        }
        return (unique, settings)
    }

    /// One `acknowledge:` entry: `{rule, domain, reason}`.
    private func acknowledgement(_ node: Node) -> Acknowledgement? {
        guard let map = reader.mapping(node, path: "acknowledge[]", allowed: Keys.acknowledgeKeys) else { return nil }
        let ruleNode = map.required("rule", example: "srv-target-outside-domain")
        let domain = map.value("domain").flatMap { reader.name($0, what: "acknowledge domain") }
        let reasonNode = map.required("reason", example: "\"accepted: partners federate through sip.contoso.com\"")
        guard let ruleNode, let rule = map.string("rule") else { return nil }
        let known = RuleCatalog.all.map(\.name)
        guard known.contains(rule) else {
            reader.fail("acknowledge names the rule '\(Escape.text(rule))', which fedplan does not have", at: ruleNode,
                        suggestion: Suggestion.closest(to: rule, in: known).map { "did you mean '\($0)'? (fedplan rules lists them)" }
                            ?? "fedplan rules lists them")
            return nil
        }
        // An error means federation is broken for someone: it is fixed, not accepted.
        if RuleCatalog.named(rule)?.severity == .error {
            reader.fail("\(rule) is an error and cannot be acknowledged; only warnings and notices can", at: ruleNode,
                        suggestion: "fix what it reports")
            return nil
        }
        guard let reasonNode, let reason = map.string("reason") else { return nil }
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            reader.fail("acknowledge of \(rule) has an empty reason", at: reasonNode,
                        suggestion: "say why the finding is accepted; reports show it")
            return nil
        }
        return Acknowledgement(rule: rule, domain: domain?.value, reason: reason, location: reader.location(node))
    }

    private func version(_ top: YAMLReader.Mapping) -> Int? {
        guard let node = top.required("version", example: "1") else { return nil }
        guard node.int == DescriptionLoader.schemaVersion else {
            reader.fail("unsupported schema version \(reader.kind(of: node)); this fedplan reads version 1", at: node,
                        suggestion: "write `version: 1`")
            return nil
        }
        return 1
    }

    /// Names from a list, each parsed, duplicates reported against the first occurrence.
    private func uniqueNames(_ nodes: [Node], what: String) -> [Located<DomainName>] {
        var seen: [DomainName: SourceLocation] = [:]
        var names: [Located<DomainName>] = []
        seen.reserveCapacity(nodes.count)
        names.reserveCapacity(nodes.count)
        for node in nodes {
            guard let name = reader.name(node, what: what) else { continue }
            // One lookup: `updateValue` stores the first sighting and hands back an earlier one
            // (put back, so that a third listing is reported against the first too). A
            // lookup and then an insert hashed each of a hoster's names twice.
            if let first = seen.updateValue(name.location, forKey: name.value) {
                seen[name.value] = first
                reader.fail("\(what) \(name.value) is listed twice (first at line \(first.line ?? 0))", at: node,
                            suggestion: "remove one of them")
                continue
            }
            names.append(name)
        }
        return names
    }

    private func edge(_ node: Node) -> Edge? {
        guard let map = reader.mapping(node, path: "edge", allowed: Keys.edgeKeys) else { return nil }
        let accessEdge = map.required("access_edge", example: "sip.contoso.com").flatMap {
            reader.name($0, what: "edge.access_edge")
        }
        let webConferencing = map.value("web_conferencing").flatMap { reader.name($0, what: "edge.web_conferencing") }
        let av = map.value("av").flatMap { reader.name($0, what: "edge.av") }
        let balancing: LoadBalancing = map.choice("load_balancing", default: .dns)
        let serversNode = map.required("servers", example: "[{name: edge01, access_ip: [131.107.155.10]}]")
        let servers = serversNode.map { _ in map.list("servers").compactMap {
            server($0, webConferencing: webConferencing != nil, av: av != nil)
        } } ?? []
        if let serversNode {
            checkPool(servers, at: serversNode, balancing: balancing)
        }
        guard let accessEdge, let serversNode else { return nil }
        return Edge(accessEdge: accessEdge, webConferencing: webConferencing, av: av,
                    loadBalancing: balancing, servers: servers, serversLocation: reader.location(serversNode))
    }

    private func server(_ node: Node, webConferencing: Bool, av: Bool) -> EdgeServer? {
        guard let map = reader.mapping(node, path: "an edge server", allowed: Keys.serverKeys) else { return nil }
        let name = map.required("name", example: "edge01").flatMap { _ in map.string("name") } ?? "?"
        let label = "edge server '\(Escape.text(name))'"
        func addresses(_ key: String, needed: Bool, service: String) -> [Located<IPAddress>] {
            let nodes = map.list(key)
            // A misspelt key (`webconferencing_ip:`) is reported once, as the misspelling.
            if needed && nodes.isEmpty && !map.misspelled.contains(key) {
                reader.fail("\(label) needs \(key) because edge.\(service) is set", at: node,
                            suggestion: "add `\(key): [<public IP>]`")
            } else if !needed && !nodes.isEmpty {
                reader.fail("\(label) has \(key) but edge.\(service) is not set", at: nodes[0],
                            suggestion: "set edge.\(service) to its public name, or remove \(key)")
            }
            return nodes.compactMap { reader.address($0, what: "\(label) \(key)") }
        }
        let access = map.list("access_ip")
        if access.isEmpty && !map.misspelled.contains("access_ip") {
            reader.fail("\(label) needs access_ip (one or more IPv4 or IPv6 addresses)", at: node,
                        suggestion: "add `access_ip: [<public IP>]`")
        }
        return EdgeServer(
            name: name,
            location: reader.location(node),
            accessIPs: access.compactMap { reader.address($0, what: "\(label) access_ip") },
            webConferencingIPs: addresses("web_conferencing_ip", needed: webConferencing, service: "web_conferencing"),
            avIPs: addresses("av_ip", needed: av, service: "av")
        )
    }

    /// Pool-wide checks: at least one server, unique names, one address per server and service.
    private func checkPool(_ servers: [EdgeServer], at node: Node, balancing: LoadBalancing) {
        if servers.isEmpty && reader.diagnostics.isEmpty {
            reader.fail("edge.servers is empty; list one entry per Edge server", at: node)
        }
        if balancing == .hardware && servers.count > 1 {
            reader.fail("with load_balancing: hardware, edge.servers holds a single entry with the VIPs, found \(servers.count)",
                        at: node, suggestion: "put the virtual IPs in one entry, or use load_balancing: dns")
        }
        var names: [String: SourceLocation] = [:]
        var addresses: [String: String] = [:]
        for server in servers {
            if let first = names[server.name] {
                reader.fail("edge server name '\(Escape.text(server.name))' is used twice (first at line \(first.line ?? 0))",
                            at: server.location)
            }
            names[server.name] = server.location
            let services = [("access_ip", server.accessIPs), ("web_conferencing_ip", server.webConferencingIPs),
                            ("av_ip", server.avIPs)]
            for (service, list) in services {
                for address in list {
                    let key = "\(service) \(address.value)"
                    if let owner = addresses[key] {
                        reader.fail("\(service) \(address.value) is given twice (also for '\(Escape.text(owner))')",
                                    at: address.location, suggestion: "each Edge server has its own addresses")
                    }
                    addresses[key] = server.name
                }
            }
        }
    }

    private func federation(_ node: Node?, sipDomains: [DomainName], domainSet: LazyNameSet, teamsOnly: Set<DomainName>,
                            edge: Edge?) -> Federation? {
        guard let node else {
            return Federation(sip: SIPFederation(discoverable: true, mobilePush: [], partners: []), xmpp: nil)
        }
        guard let map = reader.mapping(node, path: "federation", allowed: Keys.federationKeys) else { return nil }
        var sip = SIPFederation(discoverable: true, mobilePush: [], partners: [])
        if let sipNode = map.value("sip"), let sipMap = reader.mapping(sipNode, path: "federation.sip", allowed: Keys.sipKeys) {
            sip.discoverable = sipMap.bool("discoverable", default: true)
            sip.mobilePush = mobilePush(sipMap, sipDomains: sipDomains, domainSet: domainSet)
            sip.partners = sipMap.list("partners").compactMap(sipPartner)
            checkUniquePartners(sip.partners.map(\.domain), what: "SIP partner")
        }
        // `xmpp:` with nothing after it turns XMPP on with every default, like `xmpp: {}`.
        var xmpp: XMPPFederation?
        if let entry = map.entries["xmpp"] {
            let node = map.value("xmpp") ?? Node.mapping(.init([], .implicit, .any, entry.key.mark))
            xmpp = xmppFederation(node, sipDomains: sipDomains, domainSet: domainSet, teamsOnly: teamsOnly, edge: edge)
        }
        return Federation(sip: sip, xmpp: xmpp)
    }

    private func mobilePush(_ map: YAMLReader.Mapping, sipDomains: [DomainName], domainSet: LazyNameSet) -> [DomainName] {
        guard let node = map.value("mobile_push") else { return [] }
        if case .scalar = node, let all = node.bool { return all ? sipDomains : [] }
        return uniqueNames(map.list("mobile_push"), what: "mobile_push domain").compactMap { name in
            guard domainSet.contains(name.value) else {
                reader.fail("mobile_push names \(name.value), which is not one of sip_domains", at: name.location,
                            suggestion: "add it to sip_domains, or remove it here")
                return nil
            }
            return name.value
        }
    }

    private func sipPartner(_ node: Node) -> SIPPartner? {
        guard let map = reader.mapping(node, path: "a SIP partner", allowed: Keys.sipPartnerKeys),
              let domain = map.required("domain", example: "litwareinc.com").flatMap({ reader.name($0, what: "partner domain") })
        else { return nil }
        let kind: PartnerKind = map.choice("kind", default: .allowedDomain)
        let edge = map.value("edge").flatMap { reader.name($0, what: "partner edge") }
        if kind == .allowedServer && edge == nil && !map.misspelled.contains("edge") {
            reader.fail("partner \(domain.value) is an allowed_server (direct federation) and needs its edge FQDN",
                        at: node, suggestion: "add `edge: sip.\(domain.value.text)`")
        }
        if kind != .allowedServer, let edge {
            reader.fail("partner \(domain.value): edge is only used with kind: allowed_server", at: edge.location,
                        suggestion: "remove edge, or set kind: allowed_server")
        }
        let publicIM = map.bool("public_im", default: false)
        if publicIM && kind != .hostingProvider {
            reader.fail("partner \(domain.value): public_im needs kind: hosting_provider (public IM providers are hosting providers)",
                        at: map.value("public_im")!)
        }
        return SIPPartner(domain: domain, kind: kind, edge: edge, legacyOCS: map.bool("legacy_ocs", default: false),
                          publicIM: publicIM, location: reader.location(node))
    }

    private func xmppFederation(_ node: Node, sipDomains: [DomainName], domainSet: LazyNameSet, teamsOnly: Set<DomainName>,
                                edge: Edge?) -> XMPPFederation? {
        guard let map = reader.mapping(node, path: "federation.xmpp", allowed: Keys.xmppKeys) else { return nil }
        // Teams has no XMPP federation: by default a teams-only domain gets no _xmpp-server record.
        var domains = teamsOnly.isEmpty ? sipDomains : sipDomains.filter { !teamsOnly.contains($0) }
        if map.value("domains") != nil {
            domains = uniqueNames(map.list("domains"), what: "XMPP domain").compactMap { name in
                guard domainSet.contains(name.value) else {
                    reader.fail("federation.xmpp.domains names \(name.value), which is not one of sip_domains",
                                at: name.location, suggestion: "XMPP federation is for SIP domains; add it to sip_domains")
                    return nil
                }
                guard !teamsOnly.contains(name.value) else {
                    reader.fail("federation.xmpp.domains names \(name.value), which is teams-only; Teams has no XMPP federation",
                                at: name.location, suggestion: "remove it here, or set its hosting to hybrid while the Edge still serves it")
                    return nil
                }
                return name.value
            }
        }
        let proxy = map.value("proxy").flatMap { reader.name($0, what: "federation.xmpp.proxy") } ?? edge?.accessEdge
        let partners = map.list("partners").compactMap(xmppPartner)
        checkUniquePartners(partners.map(\.domain), what: "XMPP partner")
        guard let proxy else { return nil }
        return XMPPFederation(domains: domains, proxy: proxy, partners: partners, location: reader.location(node))
    }

    private func xmppPartner(_ node: Node) -> XMPPPartner? {
        guard let map = reader.mapping(node, path: "an XMPP partner", allowed: Keys.xmppPartnerKeys),
              let domain = map.required("domain", example: "jabber.example.org").flatMap({ reader.name($0, what: "XMPP partner domain") })
        else { return nil }
        return XMPPPartner(
            domain: domain,
            additionalDomains: uniqueNames(map.list("additional_domains"), what: "additional domain"),
            type: map.choice("type", default: .publicUnverified),
            tls: map.choice("tls", default: .required),
            sasl: map.choice("sasl", default: .required),
            dialback: map.bool("dialback", default: true),
            location: reader.location(node)
        )
    }

    private func checkUniquePartners(_ domains: [Located<DomainName>], what: String) {
        var seen: [DomainName: SourceLocation] = [:]
        for domain in domains {
            if let first = seen[domain.value] {
                reader.fail("\(what) \(domain.value) is listed twice (first at line \(first.line ?? 0))", at: domain.location)
            }
            seen[domain.value] = domain.location
        }
    }
}

/// The SIP domains as a set, hashed only when a list is checked against them (`mobile_push`,
/// `federation.xmpp.domains`): most descriptions have neither, and hashing a hoster's 10,000
/// names for nothing cost 6.8M instructions.
final class LazyNameSet {
    private let names: [DomainName]
    private lazy var set = Set(names)

    init(_ names: [DomainName]) {
        self.names = names
    }

    func contains(_ name: DomainName) -> Bool { set.contains(name) }
}
