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
        RuleDescription(
            name: "dane-tlsa-mismatch", severity: .error, scope: .certificate,
            summary: "no TLSA record at _5269._tcp.<XMPP proxy> matches the certificate served after STARTTLS",
            rationale: "Partners that use DANE (RFC 7673) accept the XMPP proxy's certificate only when a TLSA record matches it, whatever CA issued it; with none matching they refuse the connection. Compared with ldns_dane_verify, all four usages as ldns handles them (PKIX-TA and PKIX-EE also need a chain to a CA in the trust store, --ca-file). Reported even while the answers are not DNSSEC-secure: the records are wrong, and they take effect the day the zone is signed. The expected value is the DANE-EE SPKI SHA-256 record of the certificate served.",
            source: "RFC 7673 §3; RFC 6698 §2.1; RFC 7671 §5.1, §8.1",
            triggeringExamples: ["_5269._tcp.xmpp.contoso.com. TLSA 3 1 1 for the previous certificate's key, after the certificate and key were replaced"],
            nonTriggeringExamples: ["_5269._tcp.xmpp.contoso.com. TLSA 3 1 1 with the SHA-256 of the served certificate's SubjectPublicKeyInfo (`fedplan cert plan --tlsa`)"]),
        RuleDescription(
            name: "dane-tlsa-insecure", severity: .warning, scope: .certificate,
            summary: "TLSA records are published for the XMPP proxy, but the TLSA or SRV answers are not DNSSEC-secure",
            rationale: "DANE is used only when the SRV answer that leads to the proxy and the TLSA answer are both DNSSEC-secure (RFC 7673 §3, RFC 6698 §4.1); otherwise partners ignore the records and authenticate the certificate as if there were none. Secure is read from the resolver's AD bit, so ask a validating resolver (--resolver). No TLSA record at all is not a finding: DANE is optional.",
            source: "RFC 7673 §3; RFC 6698 §4.1; RFC 4035 §3.2.3",
            triggeringExamples: ["a TLSA record in an unsigned zone contoso.com, asked through a validating resolver (no AD)"],
            nonTriggeringExamples: ["the same record in a signed zone with its DS at the parent, asked through a validating resolver (AD set on the SRV and TLSA answers)"]),
        RuleDescription(
            name: "dane-tlsa-unusable", severity: .warning, scope: .certificate,
            summary: "TLSA records are published for the XMPP proxy, and none of them can be used",
            rationale: "A TLSA record with a certificate usage above 3, a selector above 1 or a matching type above 2 (or no data) is ignored by every DANE client (RFC 6698 §2.1, RFC 7218), as ldns and OpenSSL ignore it: when all of them are like that, DANE is not in effect although records are published. Usually a typo in the three numbers.",
            source: "RFC 6698 §2.1; RFC 7218; RFC 7671 §5.1",
            triggeringExamples: ["_5269._tcp.xmpp.contoso.com. TLSA 3 1 9 … (matching type 9 does not exist)"],
            nonTriggeringExamples: ["_5269._tcp.xmpp.contoso.com. TLSA 3 1 1 with the SHA-256 of the served certificate's SubjectPublicKeyInfo (`fedplan cert plan --tlsa`)"]),
    ]
}
