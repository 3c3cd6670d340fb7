/// The external Edge certificate a deployment needs (Microsoft's Lync Server 2013 Edge certificate planning): subject, every SAN with
/// the reason it is there, the EKUs, and notes on keys and pools. What Microsoft's Planning
/// Tool printed as its certificate report, from the same description as the DNS plan.
public struct CertificatePlan: Sendable, Equatable {
    public struct Name: Sendable, Equatable {
        /// Why a name is on the certificate, for code; `reason` says it to people.
        public enum Role: Sendable, Equatable {
            case accessEdge, webConferencing, sipDomain
            case xmppProxy
            /// One of the names of an XMPP domain (`domain` is the XMPP domain itself).
            case xmppDomain(domain: String)
        }

        /// Lower-case, no final dot, as certificates carry names (`*.contoso.com` for a wildcard).
        public var name: String
        public var role: Role
        public var reason: String
        public var origin: SourceLocation
    }

    public struct Usage: Sendable, Equatable {
        public var name: String
        public var oid: String
        public var reason: String
    }

    public var serverVersion: ServerVersion
    /// The description's `product:`, when it names one: the title reports show.
    public var product: Product?
    public var subject: String
    public var organization: String?
    public var subjectAlternativeNames: [Name]
    public var extendedKeyUsages: [Usage]
    /// Servers that share the certificate (every node of the pool uses the same one).
    public var servers: [String]
    public var notes: [String]

    /// The release reports name: the description's product, else the XMPP name rule's release.
    public var title: String { product?.title ?? serverVersion.title }
}

/// The XMPP SANs differ between releases (Microsoft's Lync Server 2013 Edge certificate planning).
public enum ServerVersion: String, Sendable, CaseIterable {
    case lync2013
    case sfb2015

    public var title: String {
        switch self {
        case .lync2013: "Lync Server 2013"
        case .sfb2015: "Skype for Business Server 2015"
        }
    }
}

public enum CertificatePlanner {
    public static let serverAuth = CertificatePlan.Usage(
        name: "Server Authentication", oid: "1.3.6.1.5.5.7.3.1",
        reason: "the Edge is a TLS server to partners, clients and XMPP servers")
    public static let clientAuth = CertificatePlan.Usage(
        name: "Client Authentication", oid: "1.3.6.1.5.5.7.3.2",
        reason: "public IM with AOL: AOL requires the client EKU on the Edge certificate")

    /// The XMPP name rule: `--server-version` when given, else the description's `product:`
    /// (Lync Server 2013 when it has none). Both given and different is refused: one is wrong.
    public static func version(_ deployment: Deployment, given: ServerVersion?) throws(DiagnosticList) -> ServerVersion {
        let described = deployment.effectiveProduct.certificateRule
        guard let given else { return described }
        if let product = deployment.product, given != described {
            throw DiagnosticList([Diagnostic(
                "--server-version \(given.rawValue) contradicts product: \(product.value.rawValue), whose certificate follows \(described.title)'s rule",
                at: product.location, suggestion: "drop --server-version, or correct product:")])
        }
        return given
    }

    public static func plan(_ deployment: Deployment, version: ServerVersion) -> CertificatePlan {
        var names: [CertificatePlan.Name] = []
        func add(_ name: String, _ role: CertificatePlan.Name.Role, _ reason: String, _ origin: SourceLocation) {
            let name = name.lowercased()
            guard !names.contains(where: { $0.name == name }) else { return }
            names.append(CertificatePlan.Name(name: name, role: role, reason: reason, origin: origin))
        }
        let edge = deployment.edge
        let access = edge.accessEdge.value.description.dropLastDot
        add(access, .accessEdge, "Access Edge FQDN, the certificate's subject and the target of the federation SRV records",
            edge.accessEdge.location)
        if let webcon = edge.webConferencing {
            add(webcon.value.description.dropLastDot, .webConferencing, "web conferencing Edge FQDN", webcon.location)
        }
        for domain in deployment.sipDomains where deployment.hosting(of: domain.value) != .teamsOnly {
            let d = domain.value.description.dropLastDot
            if let own = deployment.domainSettings[domain.value]?.accessEdge {
                add(own.value.description.dropLastDot, .sipDomain,
                    "Access Edge name of SIP domain \(d), the target of its SRV records", own.location)
            }
            add("sip.\(d)", .sipDomain, "sip.<domain> for SIP domain \(d) (the Deployment Wizard adds it)", domain.location)
        }
        // A release without XMPP federation needs no XMPP names (the rule xmpp-not-in-product
        // reports the description's federation.xmpp).
        if let xmpp = deployment.federation.xmpp, deployment.effectiveProduct.hasXMPPFederation {
            add(xmpp.proxy.value.description.dropLastDot, .xmppProxy, "XMPP proxy FQDN, the target of the _xmpp-server._tcp SRV records",
                xmpp.proxy.location)
            for domain in xmpp.domains {
                let d = domain.description.dropLastDot
                switch version {
                case .lync2013:
                    add(d, .xmppDomain(domain: d), "XMPP domain \(d): Lync Server 2013 presents the domain itself to XMPP partners", xmpp.location)
                case .sfb2015:
                    add("xmpp.\(d)", .xmppDomain(domain: d), "XMPP domain \(d): Skype for Business Server 2015 needs xmpp.<domain>", xmpp.location)
                    add("*.\(d)", .xmppDomain(domain: d), "XMPP domain \(d): Skype for Business Server 2015 needs the wildcard *.<domain> for XMPP",
                        xmpp.location)
                }
            }
        }
        var usages = [serverAuth]
        if deployment.federation.sip.partners.contains(where: isAOL) { usages.append(clientAuth) }
        let servers = edge.servers.map(\.name)
        var notes = [
            "Issued by a public certification authority that partners trust; the subject is the Access Edge FQDN, not a wildcard.",
            "RSA key of 2048 bits or more, and the private key marked exportable.",
        ]
        if servers.count > 1 {
            notes.append("Every Edge server of the pool (\(servers.joined(separator: ", "))) uses this same certificate: request it once and import it, with its key, on each.")
        }
        if deployment.federation.xmpp != nil, !deployment.effectiveProduct.hasXMPPFederation {
            notes.append("No XMPP names: \(deployment.effectiveProduct.title) has no XMPP federation, so federation.xmpp plans nothing here (see the rule xmpp-not-in-product).")
        }
        if deployment.federation.xmpp != nil, version == .lync2013, deployment.product == nil {
            notes.append("With Skype for Business Server 2015 the XMPP names are xmpp.<domain> and *.<domain> instead (--server-version sfb2015).")
        }
        return CertificatePlan(serverVersion: version, product: deployment.product?.value, subject: access, organization: deployment.organization,
                               subjectAlternativeNames: names, extendedKeyUsages: usages, servers: servers, notes: notes)
    }

    /// AOL is the one public IM provider whose federation needs the client EKU (Microsoft's Lync Server 2013 Edge certificate planning).
    static func isAOL(_ partner: SIPPartner) -> Bool {
        let domain = partner.domain.value.description.dropLastDot
        return partner.publicIM && (domain == "aol.com" || domain.hasSuffix(".aol.com"))
    }
}

extension String {
    /// `contoso.com.` → `contoso.com`: certificates carry names without the final dot.
    var dropLastDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
