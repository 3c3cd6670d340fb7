/// The deployment description (docs/description.md), after loading: names are parsed, defaults applied,
/// references (mobile_push, xmpp.domains) checked against the SIP domains.
public struct Deployment: Sendable {
    public var file: String
    public var version: Int
    public var organization: String?
    public var ttl: UInt32
    public var sipDomains: [Located<DomainName>]
    public var edge: Edge
    public var federation: Federation
    public var remoteAccess: Bool
    public var srv: SRVSettings
    /// Explicit `zones:`; nil means the default grouping (each SIP domain plus host parents).
    public var zones: [Located<DomainName>]?
    public var zonesLocation: SourceLocation?
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
