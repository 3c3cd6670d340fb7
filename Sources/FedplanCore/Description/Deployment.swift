/// The deployment description (docs/description.md), after loading: names are parsed, defaults applied,
/// references (mobile_push, xmpp.domains) checked against the SIP domains.
public struct Deployment: Sendable {
    public var file: String
    public var version: Int
    public var organization: String?
    public var ttl: UInt32
    public var sipDomains: [Located<DomainName>]
    /// Hosting and own Access Edge name of the SIP domains written as a mapping in
    /// `sip_domains`; a domain written as a bare name is on premises with the shared Access Edge.
    public var domainSettings: [DomainName: SIPDomainSettings] = [:]
    /// The server that runs the Edge (`product:`); nil when the description does not say, which
    /// plans as Lync Server 2013 (schema 1's meaning).
    public var product: Located<Product>?
    /// Findings the admin accepted, with the reason (`acknowledge:`).
    public var acknowledgements: [Acknowledgement] = []
    /// The reverse proxy that publishes the pool's web services (`reverse_proxy:`).
    public var reverseProxy: ReverseProxy?
    public var edge: Edge
    public var federation: Federation
    public var remoteAccess: Bool
    public var srv: SRVSettings
    /// Explicit `zones:`; nil means the default grouping (each SIP domain plus host parents).
    public var zones: [Located<DomainName>]?
    public var zonesLocation: SourceLocation?
}

extension Deployment {
    /// How `domain` is hosted (on premises unless its `sip_domains` entry says otherwise).
    public func hosting(of domain: DomainName) -> DomainHosting { domainSettings[domain]?.hosting ?? .onPremises }

    /// The Access Edge name `domain`'s SRV records point at: its own `access_edge`, or the Edge's.
    public func accessEdge(for domain: DomainName) -> DomainName {
        domainSettings[domain]?.accessEdge?.value ?? edge.accessEdge.value
    }

    /// The product the plan follows: the one written, or Lync Server 2013.
    public var effectiveProduct: Product { product?.value ?? .lync2013 }
}

/// Where a SIP domain's users and federation live (Microsoft, "Plan hybrid connectivity";
/// "Update DNS entries to enable your organization to be all Teams Only").
public enum DomainHosting: String, Sendable, CaseIterable {
    case onPremises = "on-premises", hybrid, teamsOnly = "teams-only"
}

public struct SIPDomainSettings: Sendable {
    public var hosting: DomainHosting
    /// A name of the domain's own on the Access Edge (`sip.litware.example`), on the Edge's
    /// access addresses: the domain's SRV target and a certificate SAN.
    public var accessEdge: Located<DomainName>?
    public var location: SourceLocation
}

/// One accepted finding: `rule` on `domain` (and the names below it; every name when nil).
public struct Acknowledgement: Sendable {
    public var rule: String
    public var domain: DomainName?
    public var reason: String
    public var location: SourceLocation

    /// Whether this acknowledgement accepts `finding`.
    public func covers(_ finding: Finding) -> Bool {
        guard finding.rule == rule else { return false }
        guard let domain else { return true }
        let name = finding.name.lowercased()
        let suffix = domain.description.lowercased()
        return name == suffix || name.hasSuffix("." + suffix)
    }
}

/// The reverse proxy in front of the Front End pool's external web services: the names clients
/// and meeting links reach through it ("DNS requirements for Skype for Business Server 2015";
/// "Determine DNS requirements for Lync Server 2013").
public struct ReverseProxy: Sendable {
    public var addresses: [Located<IPAddress>]
    public var externalWebServices: Located<DomainName>
    /// `meet.<domain>` for every SIP domain the Edge serves (the default simple URL form).
    public var meet: Bool
    /// The dial-in simple URL, one per organization.
    public var dialin: Located<DomainName>?
    public var officeWebApps: Located<DomainName>?
    public var location: SourceLocation
}

public struct Edge: Sendable {
    public var accessEdge: Located<DomainName>
    public var webConferencing: Located<DomainName>?
    public var av: Located<DomainName>?
    public var loadBalancing: LoadBalancing
    public var servers: [EdgeServer]
    public var serversLocation: SourceLocation
}

public enum LoadBalancing: String, Sendable, CaseIterable {
    case dns, hardware
}

public struct EdgeServer: Sendable {
    public var name: String
    public var location: SourceLocation
    public var accessIPs: [Located<IPAddress>]
    public var webConferencingIPs: [Located<IPAddress>]
    public var avIPs: [Located<IPAddress>]
}

public struct Federation: Sendable {
    public var sip: SIPFederation
    public var xmpp: XMPPFederation?
}

public struct SIPFederation: Sendable {
    public var discoverable: Bool
    /// The SIP domains whose mobile clients need push notifications (`true` expanded to all).
    public var mobilePush: [DomainName]
    public var partners: [SIPPartner]
}

public enum PartnerKind: String, Sendable, CaseIterable {
    case discovered, allowedDomain = "allowed_domain", allowedServer = "allowed_server"
    case hostingProvider = "hosting_provider"
}

public struct SIPPartner: Sendable {
    public var domain: Located<DomainName>
    public var kind: PartnerKind
    public var edge: Located<DomainName>?
    public var legacyOCS: Bool
    /// A public IM provider (AOL, Yahoo!) configured as a hosting provider: matters for DNS LB
    /// failover and, later, the client EKU on the Edge certificate.
    public var publicIM: Bool
    public var location: SourceLocation
}

public struct XMPPFederation: Sendable {
    public var domains: [DomainName]
    public var proxy: Located<DomainName>
    public var partners: [XMPPPartner]
    public var location: SourceLocation
}

public enum XMPPPartnerType: String, Sendable, CaseIterable {
    case federated, publicVerified = "public_verified", publicUnverified = "public_unverified"
}

public enum Negotiation: String, Sendable, CaseIterable {
    case required, optional, notSupported = "not_supported"

    /// The abbreviations of the reference's matrix: Req, Opt, NS.
    public var short: String {
        switch self {
        case .required: "Req"
        case .optional: "Opt"
        case .notSupported: "NS"
        }
    }
}

public struct XMPPPartner: Sendable {
    public var domain: Located<DomainName>
    public var additionalDomains: [Located<DomainName>]
    public var type: XMPPPartnerType
    public var tls: Negotiation
    public var sasl: Negotiation
    public var dialback: Bool
    public var location: SourceLocation
}

public struct SRVSettings: Sendable, Hashable {
    public var priority: UInt16
    public var weight: UInt16
}
