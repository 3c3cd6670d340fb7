/// A minimal valid description the rule examples start from; `%` marks where each example
/// puts its own lines.
enum Example {
    static func description(_ extra: String = "", sipDomains: String = "[contoso.com]",
                            edge: String = "sip.contoso.com", balancing: String = "dns",
                            servers: String = "    - {name: edge01, access_ip: [131.107.155.10]}") -> String {
        """
        version: 1
        sip_domains: \(sipDomains)
        edge:
          access_edge: \(edge)
          load_balancing: \(balancing)
          servers:
        \(servers)
        \(extra)
        """
    }

    static func xmppPartner(tls: String, sasl: String, dialback: Bool) -> String {
        description("""
        federation:
          xmpp:
            partners:
              - {domain: jabber.example.org, tls: \(tls), sasl: \(sasl), dialback: \(dialback)}
        """)
    }
}

public enum XMPPNegotiationInvalidRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "xmpp-negotiation-invalid", severity: .error, scope: .description,
        summary: "an XMPP partner's TLS / SASL / dialback combination is not valid",
        rationale: "Lync refuses these combinations: no TLS-secured SASL and no dialback leaves no way to authenticate the partner server.",
        source: "\(PublicSources.xmppGateway) (New-CsXmppAllowedPartner)",
        triggeringExamples: [Example.xmppPartner(tls: "not_supported", sasl: "required", dialback: false),
                             Example.xmppPartner(tls: "required", sasl: "not_supported", dialback: false)],
        nonTriggeringExamples: [Example.xmppPartner(tls: "required", sasl: "required", dialback: false),
                                Example.xmppPartner(tls: "not_supported", sasl: "not_supported", dialback: true)])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        (deployment.federation.xmpp?.partners ?? []).compactMap { partner in
            let cell = XMPPNegotiationMatrix.Cell(partner.tls, partner.sasl, partner.dialback)
            guard XMPPNegotiationMatrix.cells[cell] == .invalid else { return nil }
            return finding(partner.domain.value.description,
                           "TLS \(partner.tls.rawValue), SASL \(partner.sasl.rawValue), dialback \(partner.dialback) (\(cell.text)) is not a valid combination; enable dialback, or require TLS together with SASL",
                           observed: cell.text, at: partner.location)
        }
    }
}

public enum XMPPNegotiationWarningRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "xmpp-negotiation-warning", severity: .warning, scope: .description,
        summary: "an XMPP partner's TLS / SASL / dialback combination is valid but warned about",
        rationale: "The combination works, but not as configured: dialback never runs when TLS and SASL are both required, and SASL is only used over TLS.",
        source: "\(PublicSources.xmppGateway) (New-CsXmppAllowedPartner)",
        triggeringExamples: [Example.xmppPartner(tls: "required", sasl: "required", dialback: true),
                             Example.xmppPartner(tls: "optional", sasl: "optional", dialback: false)],
        nonTriggeringExamples: [Example.xmppPartner(tls: "required", sasl: "optional", dialback: true),
                                Example.xmppPartner(tls: "required", sasl: "not_supported", dialback: true)])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        (deployment.federation.xmpp?.partners ?? []).compactMap { partner in
            let cell = XMPPNegotiationMatrix.Cell(partner.tls, partner.sasl, partner.dialback)
            guard case .warning(let why) = XMPPNegotiationMatrix.cells[cell] else { return nil }
            return finding(partner.domain.value.description,
                           "XMPP partner settings \(cell.text) are valid, but \(why)",
                           observed: cell.text, at: partner.location,
                           fix: XMPPNegotiationMatrix.fix(for: cell))
        }
    }
}

public enum DNSLoadBalancingFailoverRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "dns-lb-failover-lost", severity: .warning, scope: .description,
        summary: "DNS load balancing with OCS 2007 partners, XMPP or public IM loses failover",
        rationale: "OCS 2007 / 2007 R2 partners, public IM providers and XMPP servers do not understand DNS load balancing: they stay on the first Edge server that answered and lose failover. Use hardware load balancing where those matter.",
        source: PublicSources.federationPlanning,
        triggeringExamples: [Example.description("""
            federation:
              sip:
                partners: [{domain: fabrikam.com, legacy_ocs: true}]
            """, servers: "    - {name: edge01, access_ip: [131.107.155.10]}\n    - {name: edge02, access_ip: [131.107.155.11]}"),
                             Example.description("federation: {xmpp: {}}",
                                                 servers: "    - {name: edge01, access_ip: [131.107.155.10]}\n    - {name: edge02, access_ip: [131.107.155.11]}")],
        nonTriggeringExamples: [Example.description("federation: {xmpp: {}}"),
                                Example.description("federation: {xmpp: {}}",
                                                    balancing: "hardware", servers: "    - {name: vip, access_ip: [131.107.155.10]}")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        let edge = deployment.edge
        guard edge.loadBalancing == .dns, edge.servers.count > 1 else { return [] }
        let sip = deployment.federation.sip.partners
        var reasons: [String] = []
        let legacy = sip.filter(\.legacyOCS).map(\.domain.value.text)
        if !legacy.isEmpty { reasons.append("OCS 2007 partners (\(legacy.joined(separator: ", ")))") }
        let publicIM = sip.filter(\.publicIM).map(\.domain.value.text)
        if !publicIM.isEmpty { reasons.append("public IM providers (\(publicIM.joined(separator: ", ")))") }
        if deployment.federation.xmpp != nil { reasons.append("XMPP federation") }
        guard let last = reasons.last else { return [] }
        let who = reasons.count == 1 ? last : reasons.dropLast().joined(separator: ", ") + " and " + last
        return [finding(edge.accessEdge.value.description, type: "A",
                        "\(edge.servers.count) Edge servers behind DNS load balancing: failover is lost for \(who); consider hardware load balancing",
                        observed: "load_balancing: dns", at: edge.serversLocation)]
    }
}

public enum EdgePoolTooLargeRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "edge-pool-too-large", severity: .error, scope: .description,
        summary: "more than 12 Edge servers in one pool",
        rationale: "An Edge pool holds at most 12 servers; split the deployment into several pools.",
        source: PublicSources.federationPlanning,
        triggeringExamples: [Example.description(servers: (1...13).map {
            "    - {name: edge\($0), access_ip: [131.107.155.\($0)]}"
        }.joined(separator: "\n"))],
        nonTriggeringExamples: [Example.description(servers: (1...12).map {
            "    - {name: edge\($0), access_ip: [131.107.155.\($0)]}"
        }.joined(separator: "\n"))])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        let count = deployment.edge.servers.count
        guard count > 12 else { return [] }
        return [finding(deployment.edge.accessEdge.value.description, type: "A",
                        "the Edge pool has \(count) servers; at most 12 are supported",
                        expected: "at most 12", observed: String(count), at: deployment.edge.serversLocation)]
    }
}

public enum SRVTargetOutsideDomainRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "srv-target-outside-domain", severity: .warning, scope: .description,
        summary: "an SRV target is not directly inside the SRV owner's SIP domain",
        rationale: "Federation with Skype consumer and Skype for Business Online matches the SRV target strictly against the SIP domain: for contoso.com, sip.contoso.com is valid, sip.contoso-edge.com and sip.it.contoso.com are not.",
        source: PublicSources.federationPlanning,
        triggeringExamples: [Example.description(edge: "sip.contoso-edge.com"),
                             Example.description(edge: "sip.it.contoso.com")],
        nonTriggeringExamples: [Example.description(edge: "sip.contoso.com"),
                                Example.description(edge: "access.contoso.com"),
                                Example.description(sipDomains: "[contoso.com, {domain: litware.com, access_edge: sip.litware.com}]"),
                                Example.description(sipDomains: "[contoso.com, {domain: fabrikam.com, hosting: teams-only}]")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        let domains = Set(deployment.sipDomains.map(\.value))
        return plan.records.compactMap { record in
            // Microsoft 365's own values for a teams-only domain point into online.lync.com by design.
            guard case .srv(let srv) = record.data else { return nil }
            if case .teamsOnly = record.why { return nil }
            // The SRV owner is _service._proto.<domain>.
            let domain = DomainName(uncheckedLabels: Array(record.name.labels.dropFirst(2)))
            guard domains.contains(domain), srv.target.parent != domain else { return nil }
            return finding(record.name.description, type: "SRV",
                           "target \(srv.target) is not directly inside \(domain.text); Skype consumer and Skype for Business Online federation expect a name like \(srv.target.labels[0]).\(domain.text)",
                           expected: "<name>.\(domain)", observed: srv.target.description, at: record.origin)
        }
    }
}

public enum AddressPrivateRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "address-private", severity: .warning, scope: .description,
        summary: "an external record points to a private, loopback, link-local, CGNAT or ULA address",
        rationale: "Federation partners reach the Edge over the Internet; an address they cannot route to breaks federation (often an internal address published by mistake).",
        source: "\(PublicSources.federationPlanning); RFC 6890 special-purpose addresses",
        triggeringExamples: [Example.description(servers: "    - {name: edge01, access_ip: [10.0.0.5]}"),
                             Example.description(servers: "    - {name: edge01, access_ip: [\"fd00::5\"]}")],
        nonTriggeringExamples: [Example.description(servers: "    - {name: edge01, access_ip: [131.107.155.10, \"2001:db8::10\"]}")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        plan.records.compactMap { record in
            guard case .address(let ip) = record.data, let sentence = ip.unreachableSentence else { return nil }
            return finding(record.name.description, type: record.type.rawValue, sentence,
                           observed: ip.description, at: record.origin)
        }
    }
}
