/// What a TLS server presented, as plain values (FedplanTLS reads them with OpenSSL).
public struct PresentedCertificate: Sendable, Equatable {
    public var subject: String
    public var issuer: String
    /// subjectAltName dNSNames, lower-cased, RFC 1035-escaped; nil without the extension.
    public var dnsNames: [String]?
    /// Seconds since 1970.
    public var notBefore: Int64
    public var notAfter: Int64
    /// Whether the certificate has an EKU extension, and what it allows.
    public var hasEKU: Bool
    public var serverAuth: Bool
    public var clientAuth: Bool
    public var selfSigned: Bool
    /// The certificate as sent (DER), for DANE: ldns compares TLSA records with it.
    public var der: [UInt8]

    public init(subject: String, issuer: String, dnsNames: [String]?, notBefore: Int64, notAfter: Int64,
                hasEKU: Bool, serverAuth: Bool, clientAuth: Bool, selfSigned: Bool, der: [UInt8] = []) {
        self.der = der
        self.subject = subject
        self.issuer = issuer
        self.dnsNames = dnsNames
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.hasEKU = hasEKU
        self.serverAuth = serverAuth
        self.clientAuth = clientAuth
        self.selfSigned = selfSigned
    }
}

/// How the presented chain verified against the trust store (time left aside: dates are
/// checked separately, so that an expired certificate does not hide a broken chain).
public enum ChainTrust: Sendable, Equatable {
    case trusted
    case selfSigned
    /// The chain does not reach a trusted root; OpenSSL's reason.
    case incomplete(String)
}

public enum TLSOutcome: Sendable, Equatable {
    /// The chain as sent, leaf first.
    case presented(chain: [PresentedCertificate], trust: ChainTrust)
    case failed(String)
}

/// One place a certificate is presented: a federation service at one address.
public struct CertificateEndpoint: Sendable, Equatable {
    public enum Service: String, Sendable { case sip = "SIP federation", xmpp = "XMPP federation" }

    public var service: Service
    /// The SRV target the partners connect to (what the certificate must name).
    public var host: String
    /// Where we connect: an address, or the host given with --target.
    public var connectTo: String
    public var port: UInt16
    /// Every name the certificate must carry here, with why.
    public var expectedNames: [CertificatePlan.Name]
    public var origin: SourceLocation

    public var display: String { "\(service.rawValue) \(host) at \(connectTo.contains(":") ? "[\(connectTo)]" : connectTo):\(port)" }
}

/// Compares what each endpoint presented with the certificate plan (Microsoft's Lync Server 2013 Edge certificate planning).
public enum CertificateChecker {
    public static let expiringWithin: Int64 = 30 * 86_400

    /// The endpoints of the plan: the Access Edge on 5061 (direct TLS) and the XMPP proxy on 5269
    /// (STARTTLS), each with the names its certificate must carry. `connectTo` is filled by the caller.
    public static func endpoints(_ deployment: Deployment, version: ServerVersion) -> [CertificateEndpoint] {
        let plan = CertificatePlanner.plan(deployment, version: version)
        let access = deployment.edge.accessEdge
        let accessName = access.value.description.dropLastDot
        let sipNames = plan.subjectAlternativeNames.filter { $0.role == .accessEdge || $0.role == .sipDomain }
        var endpoints = [CertificateEndpoint(service: .sip, host: accessName, connectTo: accessName, port: 5061,
                                             expectedNames: sipNames, origin: access.location)]
        if let xmpp = deployment.federation.xmpp {
            let proxy = xmpp.proxy.value.description.dropLastDot
            let xmppNames = plan.subjectAlternativeNames.filter {
                if case .xmppDomain = $0.role { return true }
                return $0.role == .xmppProxy || $0.name == proxy
            }
            endpoints.append(CertificateEndpoint(service: .xmpp, host: proxy, connectTo: proxy, port: 5269,
                                                 expectedNames: xmppNames, origin: xmpp.proxy.location))
        }
        return endpoints
    }

    public static func check(_ endpoint: CertificateEndpoint, _ outcome: TLSOutcome, now: Int64) -> [Finding] {
        var findings: [Finding] = []
        func report(_ rule: String, _ severity: Severity, _ message: String, expected: String? = nil,
                    observed: String? = nil, fix: String) {
            findings.append(Finding(rule: rule, severity: severity, name: endpoint.host + ".", type: "TLS",
                                    message: "\(endpoint.display): \(message)", expected: expected, observed: observed,
                                    server: "\(endpoint.connectTo):\(endpoint.port)", location: endpoint.origin, fix: fix))
        }
        guard case .presented(let chain, let trust) = outcome, let leaf = chain.first else {
            if case .failed(let why) = outcome {
                report("cert-check-failed", .error, "could not read the certificate: \(why)", observed: "no certificate",
                       fix: "make sure \(endpoint.connectTo) accepts \(endpoint.service == .xmpp ? "XMPP (STARTTLS)" : "TLS") on port \(endpoint.port)")
            }
            return findings
        }
        let names = leaf.dnsNames ?? []
        for expected in endpoint.expectedNames where !names.contains(where: { matches($0, expected.name) }) {
            report("cert-name-missing", .error, "the certificate does not name \(expected.name) (\(expected.reason))",
                   expected: expected.name, observed: names.isEmpty ? "no DNS names" : names.joined(separator: ", "),
                   fix: "request a certificate with \(expected.name) among its subject alternative names (`fedplan cert plan`)")
        }
        if leaf.notAfter < now {
            report("cert-expired", .error, "the certificate expired \(days(now - leaf.notAfter)) ago (\(date(leaf.notAfter)))",
                   observed: "not after \(date(leaf.notAfter))", fix: "renew the certificate and import it on every Edge server")
        } else if leaf.notBefore > now {
            report("cert-expired", .error, "the certificate is not valid before \(date(leaf.notBefore))",
                   observed: "not before \(date(leaf.notBefore))", fix: "check the Edge server's clock, or the certificate's dates")
        } else if leaf.notAfter - now < expiringWithin {
            report("cert-expiring", .warning, "the certificate expires in \(days(leaf.notAfter - now)) (\(date(leaf.notAfter)))",
                   observed: "not after \(date(leaf.notAfter))", fix: "renew the certificate before it expires")
        }
        if !leaf.hasEKU || !leaf.serverAuth {
            report("cert-eku-missing", .error,
                   leaf.hasEKU ? "the certificate's extended key usage does not allow Server Authentication"
                               : "the certificate has no extended key usage; the Edge needs Server Authentication",
                   expected: "Server Authentication (1.3.6.1.5.5.7.3.1)",
                   observed: leaf.hasEKU ? (leaf.clientAuth ? "Client Authentication only" : "other usages") : "none",
                   fix: "request the certificate with the Server Authentication EKU")
        }
        switch trust {
        case .trusted: break
        case .selfSigned:
            report("cert-self-signed", .error, "the certificate is self-signed; partners do not trust it",
                   observed: "issuer = subject: \(leaf.subject)", fix: "use a certificate from a public certification authority")
        case .incomplete(let why):
            report("cert-chain-incomplete", .error,
                   "the chain the server sends does not lead to a trusted root (\(why)); \(chain.count) certificate\(chain.count == 1 ? "" : "s") sent",
                   observed: chain.map(\.subject).joined(separator: " ← "),
                   fix: "install the intermediate CA certificates on the Edge so it sends the whole chain, and use a public CA")
        }
        return findings
    }

    /// RFC 6125 §6.4: exact match, or a wildcard standing for exactly one left-most label.
    public static func matches(_ presented: String, _ wanted: String) -> Bool {
        let p = presented.lowercased(), w = wanted.lowercased()
        if p == w { return true }
        guard p.hasPrefix("*."), !w.hasPrefix("*.") else { return false }
        let suffix = p.dropFirst(1)
        guard w.hasSuffix(suffix) else { return false }
        let label = w.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    static func days(_ seconds: Int64) -> String {
        let d = seconds / 86_400
        return d == 1 ? "1 day" : d == 0 ? "less than a day" : "\(d) days"
    }

    /// `2026-11-21` (UTC).
    static func date(_ seconds: Int64) -> String { String(DNSSECTime.iso8601(seconds).prefix(10)) }
}
