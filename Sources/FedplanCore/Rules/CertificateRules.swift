/// Rules checked by `cert check` on the certificate each federation endpoint presents. Their
/// examples describe certificates for the description `access_edge: sip.contoso.com`,
/// `sip_domains: [contoso.com]`; the tests make each with openssl and serve it over TLS.
public enum CertificateRules {
    static func rule(_ name: String, _ severity: Severity, _ summary: String, _ rationale: String, source: String,
                     triggering: String, notTriggering: String) -> RuleDescription {
        RuleDescription(name: name, severity: severity, scope: .certificate, summary: summary, rationale: rationale,
                        source: source, triggeringExamples: [triggering], nonTriggeringExamples: [notTriggering])
    }

    static let good = "subject CN=sip.contoso.com, SAN DNS:sip.contoso.com, EKU serverAuth, valid for a year, issued by a public CA, intermediates sent"

    public static let all: [RuleDescription] = [
        rule("cert-name-missing", .error, "the certificate does not name the SRV target, sip.<domain> or an XMPP name",
             "Partners check that the certificate names the host the SRV record sent them to; without it the TLS connection is refused.",
             source: "\(PublicSources.federationPlanning); \(PublicSources.xmppGateway)",
             triggering: "SAN DNS:edge.contoso.com only (the SRV target is sip.contoso.com)", notTriggering: good),
        rule("cert-expired", .error, "the certificate has expired, or is not valid yet",
             "Every partner refuses an expired certificate: federation stops at once.", source: "RFC 5280 §4.1.2.5",
             triggering: "notAfter 2021-01-01", notTriggering: good),
        rule("cert-expiring", .warning, "the certificate expires within 30 days",
             "Time to renew it and import it on every Edge server before federation stops.", source: PublicSources.xmppGateway,
             triggering: "notAfter in 10 days", notTriggering: good),
        rule("cert-eku-missing", .error, "the certificate does not allow Server Authentication",
             "The external Edge certificate needs the Server Authentication EKU (and Client Authentication only for AOL public IM).",
             source: PublicSources.xmppGateway, triggering: "EKU clientAuth only", notTriggering: good),
        rule("cert-chain-incomplete", .error, "the chain the server sends does not lead to a trusted root",
             "Partners cannot fetch missing intermediates; the Edge must send the whole chain of a CA they trust.",
             source: PublicSources.federationPlanning, triggering: "the leaf alone, without its intermediate CA certificate",
             notTriggering: good),
        rule("cert-self-signed", .error, "the certificate is self-signed",
             "No partner trusts a self-signed certificate on a federation edge.", source: PublicSources.federationPlanning,
             triggering: "issuer = subject = CN=sip.contoso.com", notTriggering: good),
        rule("cert-check-failed", .error, "no certificate could be read: no connection, no STARTTLS, no handshake",
             "Counted as unverified (exit 3), like query-failed: nothing is known about the certificate.",
             source: "fedplan's exit status 3 (docs/json.md)", triggering: "port 5061 closed; an XMPP server that does not offer STARTTLS",
             notTriggering: good),
    ]
}
