/// Rules checked against DNS data: zone files (`dns check --zone-file`) and live servers
/// (`dns check`). Their examples are zone-file text for the description
/// `sip_domains: [contoso.com]`, `access_edge: sip.contoso.com`, one server at 131.107.155.10.
public enum DNSRules {
    static let srvOwner = "_sipfederationtls._tcp.contoso.com."
    static let good = "\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.10"

    static func rule(_ name: String, _ severity: Severity, _ summary: String, _ rationale: String, source: String,
                     triggering: String? = nil) -> RuleDescription {
        rule(name, severity, .dns, summary, rationale, source: source, triggering: triggering)
    }

    /// Checked by `dns check` (live servers, `--zone-file`, or both, by scope).
    static let checkedLive: Set<String> = [
        "record-missing", "srv-target-mismatch", "srv-port-mismatch", "srv-unexpected-target",
        "srv-priority-weight-mismatch", "srv-target-disabled", "srv-target-cname", "srv-target-no-address",
        "address-missing", "address-unexpected", "ttl-mismatch", "ttl-zero", "servers-disagree", "query-failed",
        "soa-serial-mismatch", "partner-srv-missing", "partner-microsoft-365", "partner-moved-to-microsoft-365", "name-missing-trailing-dot", "name-near-miss",
        "cname-and-other-data", "duplicate-record", "name-below-delegation", "srv-too-many-targets",
        "name-below-dname", "teams-only-not-ready", "dnssec-bogus", "dnssec-signature-expiring",
    ]

    /// contoso.com signed by ldns-signzone with one ECDSA P-256 key (tag 10514), the RRSIGs valid
    /// in January 2020 (long expired), from 2026 to 2037, and from December 2035 to 5 January
    /// 2036. Only the DNSKEY set and the planned RRsets with their RRSIGs are shown (no SOA, NS,
    /// NSEC): that is what the check reads.
    static let signedExpired = "$ORIGIN contoso.com.\ncontoso.com. 3600 IN DNSKEY 257 3 13 X9PPgF77PK2t1nEasdyAiOjWbyecu8JMzfA4N9Z8uNl501410q8MyqGXsfOEUV90V+DOTFEG37nTmgchcl8pTw==\ncontoso.com. 3600 IN RRSIG DNSKEY 13 2 3600 20200201000000 20200101000000 10514 contoso.com. vISFrv41casBHcEEBJVEMmWwgWk0CEl85JFJLxb54ulS5gnCFtj4K+SJ54CKgLCBy6MnRnAAfQvm8EcViSi97Q==\n_sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.\n_sipfederationtls._tcp.contoso.com. 3600 IN RRSIG SRV 13 4 3600 20200201000000 20200101000000 10514 contoso.com. 0SOxGHJWuVWx+tMI+8QCfVcJqWNULHKHBUmVLZjOjZoaDd7z+iKgIbSrZY28pYBkFaADabP79SA3kiVl30oURA==\nsip.contoso.com. 3600 IN A 131.107.155.10\nsip.contoso.com. 3600 IN RRSIG A 13 3 3600 20200201000000 20200101000000 10514 contoso.com. /g85QzqcS3XI4zqeOw+84mQVEh87sE0eSLJEqZX7kQ/BST0eg0WG8BvwgziqIavjoMLfx7OkMNiQvfi+/IkPWA=="
    static let signedUntil2037 = "$ORIGIN contoso.com.\ncontoso.com. 3600 IN DNSKEY 257 3 13 X9PPgF77PK2t1nEasdyAiOjWbyecu8JMzfA4N9Z8uNl501410q8MyqGXsfOEUV90V+DOTFEG37nTmgchcl8pTw==\ncontoso.com. 3600 IN RRSIG DNSKEY 13 2 3600 20370101000000 20260101000000 10514 contoso.com. 9qeA16QTMJ3DugZ/SwEyVm++Bp2pqOPEHZtI/tgLnRjGw14wdNcrM+m6rWqWwD7snUWgSmKUg18pCIt97iulxQ==\n_sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.\n_sipfederationtls._tcp.contoso.com. 3600 IN RRSIG SRV 13 4 3600 20370101000000 20260101000000 10514 contoso.com. WV8gm6mzs9WtQnQ3sZuMjDrugHMDLCmxmzlw8LeRndPgNloTlOLw+OaCD6GwlEIGbyr+mLvsDZ6NUezTNztrYg==\nsip.contoso.com. 3600 IN A 131.107.155.10\nsip.contoso.com. 3600 IN RRSIG A 13 3 3600 20370101000000 20260101000000 10514 contoso.com. wmCYzsVhjSE0883cOERuBfeMTl7GO4TObqYXia9xcntpcdl8pPIcQNm0xWrdcWCWg+6SnJRYl7M4tGdXBPYi+Q=="
    static let signedUntil2036 = "$ORIGIN contoso.com.\ncontoso.com. 3600 IN DNSKEY 257 3 13 X9PPgF77PK2t1nEasdyAiOjWbyecu8JMzfA4N9Z8uNl501410q8MyqGXsfOEUV90V+DOTFEG37nTmgchcl8pTw==\ncontoso.com. 3600 IN RRSIG DNSKEY 13 2 3600 20360105000000 20351201000000 10514 contoso.com. hwOPW9kjvpDvo0egYJNQO/THXUs6tJg5Zo5fTk1hyNUybeB9vdtZjn2ZmOTwZ3tGSNFw7Ocy/FQGxjUd8qcXLA==\n_sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.\n_sipfederationtls._tcp.contoso.com. 3600 IN RRSIG SRV 13 4 3600 20360105000000 20351201000000 10514 contoso.com. 4fxuGfLIo/MUm6Yq6pNAh2v6qK141pIaVbAeuve8pZEitbWb3ajnVAa9vkTatyJdMg+Dl+e8vhzsWphvNUfWwA==\nsip.contoso.com. 3600 IN A 131.107.155.10\nsip.contoso.com. 3600 IN RRSIG A 13 3 3600 20360105000000 20351201000000 10514 contoso.com. BQW/UGTlHu5Iuaz1Z7gvCHhiiJows3Qpu48fsQaIjOtVyqhdnywnxiJh8R/PrvY1N12rfv0K4/X4KqLgE3P+hQ=="

    static func rule(_ name: String, _ severity: Severity, _ scope: RuleScope, _ summary: String,
                     _ rationale: String, source: String, triggering: String? = nil) -> RuleDescription {
        RuleDescription(name: name, severity: severity, scope: scope, summary: summary, rationale: rationale,
                        source: source, triggeringExamples: triggering.map { [$0] } ?? [],
                        nonTriggeringExamples: triggering == nil ? [] : [good], implemented: checkedLive.contains(name))
    }

    public static let all: [RuleDescription] = [
        rule("record-missing", .error, "a planned record is absent (NXDOMAIN or NODATA)",
             "Partners cannot find the Edge without the record.", source: PublicSources.federationPlanning,
             triggering: "sip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("srv-target-mismatch", .error, "an SRV target differs from the plan",
             "Partners connect to the wrong host.", source: PublicSources.federationPlanning,
             triggering: "\(srvOwner) 3600 IN SRV 0 0 5061 edge.contoso.com."),
        rule("srv-port-mismatch", .error, "an SRV port differs from the plan",
             "SIP federation listens on 5061, XMPP server-to-server on 5269, remote access on 443.",
             source: PublicSources.federationPlanning, triggering: "\(srvOwner) 3600 IN SRV 0 0 5060 sip.contoso.com."),
        rule("srv-unexpected-target", .error, "an extra SRV record points somewhere the plan does not",
             "Often a retired Edge server: partners that pick it fail to connect.", source: PublicSources.federationPlanning,
             triggering: good + "\n\(srvOwner) 3600 IN SRV 0 0 5061 oldedge.contoso.com."),
        rule("srv-priority-weight-mismatch", .warning, "SRV priority or weight differ from the plan",
             "Traffic is spread differently from what the description says.", source: "RFC 2782",
             triggering: "\(srvOwner) 3600 IN SRV 10 5 5061 sip.contoso.com."),
        rule("srv-target-disabled", .error, "the SRV target is `.` while the plan needs the service",
             "A target of `.` says the service is not available at this domain.", source: "RFC 2782; \(PublicSources.xmppDNSSummary)",
             triggering: "\(srvOwner) 3600 IN SRV 0 0 0 ."),
        rule("srv-target-cname", .error, "the SRV target is an alias (CNAME)",
             "RFC 2782 forbids aliases as SRV targets; many SIP and XMPP servers refuse to follow them.",
             source: "RFC 2782; \(PublicSources.federationPlanning)",
             triggering: "\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN CNAME edge01.contoso.com."),
        rule("srv-too-many-targets", .warning, "an SRV name has more targets than fedplan follows (16)",
             "Federation needs one target per pool; dozens are stale records or a broken server. fedplan checks the addresses of the first 16 targets only, so that a server cannot make a check grow without end.",
             source: "RFC 2782; fedplan's bounds (docs/security.md)",
             triggering: good + (1...16).map { "\n\(srvOwner) 3600 IN SRV 0 0 5061 old\($0).contoso.com." }.joined()),
        rule("srv-target-no-address", .error, "the SRV target has no A/AAAA record",
             "Partners find the SRV record but cannot connect.", source: "RFC 2782",
             triggering: "\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com."),
        rule("address-missing", .error, "a planned IP is not published for the host",
             "With DNS load balancing each Edge server needs its own record, or it gets no traffic.",
             source: PublicSources.federationPlanning, triggering: "\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.99"),
        rule("address-unexpected", .error, "the host publishes an IP the plan does not have",
             "Usually the stale address of a retired Edge server.", source: PublicSources.federationPlanning,
             triggering: good + "\nsip.contoso.com. 3600 IN A 131.107.155.99"),
        rule("ttl-mismatch", .notice, "a TTL differs from the plan",
             "Not wrong in itself, but changes take longer (or shorter) to reach partners than planned. Through a resolver only a larger TTL can be seen (a cache counts TTLs down, so the value shown is what is left); a smaller one shows only with --authoritative or against the zone's own servers.",
             source: "the description's ttl (docs/description.md)", triggering: "\(srvOwner) 300 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("ttl-zero", .warning, "a planned record is published with TTL 0",
             "A TTL of 0 means the record is used once and never cached: every partner's lookup goes to the authoritative servers, and a moment of unreachability fails federation at once.",
             source: "RFC 1035 §3.2.1", triggering: "\(srvOwner) 0 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("name-missing-trailing-dot", .error, .zoneFile, "a zone-file name was written relative by mistake",
             "Without the final dot the origin is appended: sip.contoso.com becomes sip.contoso.com.contoso.com.",
             source: "RFC 1035 §5.1",
             triggering: "$ORIGIN contoso.com.\n\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("name-near-miss", .error, .zoneFile, "a record sits at a misspelling of a planned name",
             "The intended record does not exist, so partners do not find it.", source: PublicSources.federationPlanning,
             triggering: "_sipfederationtls.tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("cname-and-other-data", .error, .zoneFile, "a name has a CNAME and other records",
             "A CNAME must be the only data at its name; BIND and NSD refuse such a zone, others answer unpredictably.",
             source: "RFC 1034 §3.6.2; RFC 2181 §10.1",
             triggering: good + "\nsip.contoso.com. 3600 IN CNAME edge01.contoso.com."),
        rule("duplicate-record", .warning, .zoneFile, "the same record is written twice",
             "Servers keep one copy; the second is usually a merge or copy-paste slip worth cleaning up.",
             source: "RFC 2181 §5", triggering: good + "\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("name-below-delegation", .error, .zoneFile, "a planned name lies at or below a delegation in its zone",
             "NS records below the apex cut the zone: its servers answer names at and below the cut with a referral to other servers, and records written there (glue aside) are never served from this zone. The finding points at the NS line.",
             source: "RFC 1034 §4.2.1 and §4.3.2; RFC 9471 (glue is not authoritative)",
             triggering: "$ORIGIN contoso.com.\n\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN NS ns1.edge-dns.example.\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        rule("name-below-dname", .error, .zoneFile, "records are written below a DNAME",
             "A DNAME redirects every name below it (RFC 6672): NSD and Knot refuse to load a zone with data below one, and BIND serves the DNAME's target instead. The records belong at the DNAME's target; the finding points at the records and names the DNAME's line.",
             source: "RFC 6672 §2.4",
             triggering: "$ORIGIN contoso.com.\n_tcp.contoso.com. 3600 IN DNAME _tcp.fabrikam.com.\n\(srvOwner) 3600 IN SRV 0 0 5061 sip.contoso.com.\nsip.contoso.com. 3600 IN A 131.107.155.10"),
        {
            var r = rule("teams-only-not-ready", .error, "a teams-only domain's record still points at the on-premises Edge",
                         "Microsoft refuses to move a domain to Teams Only (Grant-CsTeamsUpgradePolicy -PolicyName UpgradeToTeams -Global fails by design) while _sipfederationtls._tcp, _sip._tls, sip or lyncdiscover points anywhere but Microsoft 365; partners keep federating with the old Edge.",
                         source: PublicSources.teamsOnlyDNS,
                         triggering: "$ORIGIN fabrikam.com.\n_sipfederationtls._tcp.fabrikam.com. 3600 IN SRV 0 0 5061 sip.fabrikam.com.\n_sip._tls.fabrikam.com. 3600 IN SRV 100 1 443 sipdir.online.lync.com.\nsip.fabrikam.com. 3600 IN CNAME sipdir.online.lync.com.\nlyncdiscover.fabrikam.com. 3600 IN CNAME webdir.online.lync.com.")
            r.nonTriggeringExamples = ["$ORIGIN fabrikam.com.\n_sipfederationtls._tcp.fabrikam.com. 3600 IN SRV 100 1 5061 sipfed.online.lync.com.\n_sip._tls.fabrikam.com. 3600 IN SRV 100 1 443 sipdir.online.lync.com.\nsip.fabrikam.com. 3600 IN CNAME sipdir.online.lync.com.\nlyncdiscover.fabrikam.com. 3600 IN CNAME webdir.online.lync.com."]
            r.exampleDescription = """
                version: 1
                sip_domains:
                  - contoso.com
                  - {domain: fabrikam.com, hosting: teams-only}
                edge:
                  access_edge: sip.contoso.com
                  servers:
                    - {name: edge01, access_ip: [131.107.155.10]}
                """
            return r
        }(),
        {
            var r = rule("dnssec-bogus", .error, "a planned RRset fails DNSSEC validation",
                         "Partners that resolve through a validating resolver get SERVFAIL for a bogus RRset: federation with them stops while the records look right to everyone else. The reason is named as DNSViz and Zonemaster name it: signature expired or not yet valid (with the dates), no RRSIG over the RRset in a signed zone, no DNSKEY matching the DS, signature does not verify. An RRset signed only with algorithms ldns does not support, by keys of those algorithms, is insecure, not bogus (RFC 6840 §5.2); an RRSIG whose algorithm is that of no key of the zone is bogus (RFC 4035 §5.3.1). In a zone file there is no chain of trust: the RRSIGs are verified with the zone's own DNSKEYs (docs/zone-files.md).",
                         source: "RFC 4033 §5; RFC 4035 §5; RFC 8914 (Extended DNS Errors)", triggering: signedExpired)
            r.nonTriggeringExamples = [signedUntil2037]
            return r
        }(),
        {
            var r = rule("dnssec-signature-expiring", .warning, "an RRSIG over a planned RRset expires soon",
                         "Unless the zone is signed again before the RRSIG's expiration time (within --signature-horizon, 7 days by default), the RRset turns bogus and validating partners stop federating. An RRset signed twice (a key rollover) stays valid until the latest expiration among the RRSIGs that verify: that one counts.",
                         source: "RFC 4034 §3.1.5; RFC 6781 §4.4", triggering: signedUntil2036)
            r.nonTriggeringExamples = [signedUntil2037]
            r.exampleCheckTime = 2_082_758_400  // 2036-01-01T00:00:00Z
            return r
        }(),
        rule("servers-disagree", .error, .live, "resolvers or authoritative servers give different answers",
             "Some partners see one answer, some another: federation works intermittently.", source: "RFC 1034 §4.3.5 (every authoritative server serves the same zone); RFC 1982"),
        rule("soa-serial-mismatch", .warning, .live, "authoritative servers serve different SOA serials",
             "A secondary has not picked up the latest zone (compared with RFC 1982 serial arithmetic).",
             source: "RFC 1982; RFC 1034 §4.3.5"),
        rule("query-failed", .error, .live, "a query failed: timeout, SERVFAIL, REFUSED, malformed or mismatched reply",
             "The record could not be verified; it is counted as unverified, never as missing (exit code 3). With --authoritative, a name server listed for a zone that answers REFUSED for it, or refers the question upward, is a lame delegation, and the message says so and names the server. `cert check` reports a TLSA question without an answer (DANE for XMPP) with this rule too.",
             source: "fedplan's exit status 3 (docs/json.md); RFC 1912 §2.8 (lame delegations)"),
        rule("partner-srv-missing", .error, .live, "a partner lacks the record federation with it needs",
             "Federation with the partner fails until it publishes the record.", source: "\(PublicSources.federationPlanning); \(PublicSources.xmppDNSSummary)"),
        rule("partner-microsoft-365", .notice, .live, "a partner's SIP federation is hosted by Microsoft 365",
             "Its _sipfederationtls._tcp record points at sipfed.online.lync.com.: federation with it goes to Microsoft 365 (Teams or Skype for Business Online), whose tenant must allow your domain in its external access settings.",
             source: "Microsoft, \"DNS requirements for Skype for Business Online and Microsoft Teams\" (_sipfederationtls._tcp SRV 100 1 5061 sipfed.online.lync.com.)"),
        rule("partner-moved-to-microsoft-365", .warning, .live, "a partner pinned to its edge now federates through Microsoft 365",
             "Direct federation (kind: allowed_server) pins the partner's Edge; once the partner's domain moves to Teams Only its _sipfederationtls._tcp record points at sipfed.online.lync.com. and the pinned edge no longer serves it, so federation breaks until the partner is allowed by domain and Microsoft 365 is allowed as a hosting provider.",
             source: PublicSources.teamsOnlyDNS),
    ]
}
