/// The firewall rules of the Edge's external and internal interfaces for the scenarios a
/// description enables: Microsoft's Planning Tool's firewall report (Microsoft's Lync Server 2013 Edge port tables, and the
/// Lync Server 2013 port tables for the internal side and A/V).
public struct PortRule: Sendable, Equatable {
    public enum Interface: String, Sendable { case external, `internal` }
    public enum Direction: String, Sendable { case inbound, outbound }

    public var interface: Interface
    public var transport: String
    public var port: String
    public var direction: Direction
    public var source: Endpoint
    public var destination: Endpoint
    public var service: String
    public var reason: String
}

/// One end of a rule: a host or group, and its addresses when the description has them.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var addresses: [String]

    /// `sip.contoso.com (131.107.155.10, 131.107.155.11)`.
    public var description: String { addresses.isEmpty ? name : "\(name) (\(addresses.joined(separator: ", ")))" }
}

public enum PortPlanner {
    static let internet = Endpoint(name: "any (Internet)", addresses: [])
    static let frontEnd = Endpoint(name: "Front End / Director pool", addresses: [])
    static let inside = Endpoint(name: "Edge internal interface", addresses: [])
    static let clients = Endpoint(name: "internal clients", addresses: [])

    public static func plan(_ deployment: Deployment) -> [PortRule] {
        let edge = deployment.edge
        let access = addresses(edge.servers.flatMap(\.accessIPs), name: edge.accessEdge.value)
        let webcon = addresses(edge.servers.flatMap(\.webConferencingIPs), name: edge.webConferencing?.value)
        let av = addresses(edge.servers.flatMap(\.avIPs), name: edge.av?.value)
        let sip = deployment.federation.sip
        let federates = sip.discoverable || !sip.partners.isEmpty || !sip.mobilePush.isEmpty
        var rules: [PortRule] = []
        func rule(_ interface: PortRule.Interface, _ transport: String, _ port: String, _ direction: PortRule.Direction,
                  _ source: Endpoint, _ destination: Endpoint, _ service: String, _ reason: String) {
            rules.append(PortRule(interface: interface, transport: transport, port: port, direction: direction,
                                  source: source, destination: destination, service: service, reason: reason))
        }
        if federates {
            let why = federationReason(sip)
            rule(.external, "TCP", "5061", .inbound, internet, access, "SIP/MTLS", "partners' Edges connect to ours: \(why)")
            rule(.external, "TCP", "5061", .outbound, access, internet, "SIP/MTLS", "our Edge connects to partners' Edges: \(why)")
        }
        if deployment.remoteAccess {
            rule(.external, "TCP", "443", .inbound, internet, access, "SIP/TLS", "remote users sign in through the Access Edge")
            if edge.webConferencing != nil {
                rule(.external, "TCP", "443", .inbound, internet, webcon, "PSOM/TLS", "remote and federated users join web conferences")
            }
        }
        if edge.av != nil {
            rule(.external, "UDP", "3478", .inbound, internet, av, "STUN/UDP", "audio/video media relay for remote and federated users")
            rule(.external, "UDP", "3478", .outbound, av, internet, "STUN/UDP", "audio/video media relay; federation with Lync 2010 A/V")
            rule(.external, "TCP", "443", .inbound, internet, av, "STUN/TCP", "audio/video media relay over TCP when UDP is blocked")
            rule(.external, "TCP", "50000-59999", .outbound, av, internet, "RTP/TCP", "audio/video media to federated partners")
            if sip.partners.contains(where: \.legacyOCS) {
                rule(.external, "UDP", "50000-59999", .inbound, internet, av, "RTP/UDP", "A/V federation with Office Communications Server 2007 partners")
                rule(.external, "TCP", "50000-59999", .inbound, internet, av, "RTP/TCP", "A/V federation with Office Communications Server 2007 partners")
            }
        }
        if let xmpp = deployment.federation.xmpp {
            let proxy = addresses(edge.servers.flatMap(\.accessIPs), name: xmpp.proxy.value)
            rule(.external, "TCP", "5269", .inbound, internet, proxy, "XMPP", "XMPP partners' servers connect to our XMPP proxy")
            rule(.external, "TCP", "5269", .outbound, proxy, internet, "XMPP", "our XMPP proxy connects to XMPP partners' servers")
        }
        if federates || deployment.federation.xmpp != nil {
            rule(.external, "UDP", "53", .outbound, access, internet, "DNS", "finding partners' Edges and XMPP servers (SRV lookups)")
            rule(.external, "TCP", "53", .outbound, access, internet, "DNS", "DNS answers too large for UDP")
        }
        rule(.internal, "TCP", "5061", .inbound, frontEnd, inside, "SIP/MTLS", "SIP traffic from the pool to the Edge")
        rule(.internal, "TCP", "5061", .outbound, inside, frontEnd, "SIP/MTLS", "SIP traffic from the Edge to the pool")
        rule(.internal, "TCP", "4443", .inbound, Endpoint(name: "Central Management Store (Front End)", addresses: []), inside, "HTTPS",
             "replication of the topology and configuration to the Edge")
        if edge.av != nil {
            rule(.internal, "TCP", "5062", .inbound, frontEnd, inside, "SIP/MTLS", "A/V authentication (media relay credentials)")
            rule(.internal, "UDP", "3478", .inbound, clients, inside, "STUN/UDP", "internal side of the A/V media relay")
            rule(.internal, "TCP", "443", .inbound, clients, inside, "STUN/TCP", "internal side of the A/V media relay over TCP")
        }
        if deployment.federation.xmpp != nil {
            rule(.internal, "TCP", "23456", .inbound, Endpoint(name: "Front End pool (XMPP gateway)", addresses: []), inside, "XMPP/MTLS",
                 "the internal leg of XMPP federation")
        }
        return rules
    }

    static func federationReason(_ sip: SIPFederation) -> String {
        var parts: [String] = []
        if sip.discoverable { parts.append("discoverable federation") }
        if !sip.partners.isEmpty { parts.append("\(sip.partners.count) SIP partner\(sip.partners.count == 1 ? "" : "s")") }
        if sip.partners.contains(where: \.publicIM) { parts.append("public IM") }
        if !sip.mobilePush.isEmpty { parts.append("mobile push") }
        return parts.joined(separator: ", ")
    }

    static func addresses(_ ips: [Located<IPAddress>], name: DomainName?) -> Endpoint {
        var unique: [String] = []
        for ip in ips.map(\.value.description) where !unique.contains(ip) { unique.append(ip) }
        return Endpoint(name: name.map { $0.description.dropLastDot } ?? "Edge", addresses: unique)
    }
}
