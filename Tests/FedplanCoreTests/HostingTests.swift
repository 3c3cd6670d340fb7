import FedplanCore
import Testing

/// `sip_domains` entries with `hosting` and `access_edge`, `product:` and `acknowledge:` (issue 26).
@Suite struct HostingTests {
    static func description(_ domains: String, _ extra: String = "", edge: String = "sip.contoso.com") -> String {
        """
        version: 1
        sip_domains:
        \(domains)
        remote_access: true
        edge:
          access_edge: \(edge)
          servers:
            - {name: edge01, access_ip: [131.107.155.10, "2001:db8::10"]}
            - {name: edge02, access_ip: [131.107.155.11]}
        \(extra)
        """
    }

    static func lines(_ plan: Plan, under domain: String) -> [String] {
        plan.records.filter { $0.name.description.hasSuffix(domain) }.map { "\($0.name) \($0.type.rawValue) \($0.data)" }
    }

    @Test func teamsOnlyPlansMicrosoftsValuesAndNothingOnPremises() throws {
        let plan = try Planner.plan(try load(Self.description(
            "  - contoso.com\n  - {domain: fabrikam.com, hosting: teams-only}", "federation:\n  xmpp: {}")))
        #expect(Self.lines(plan, under: "fabrikam.com.") == [
            "_sipfederationtls._tcp.fabrikam.com. SRV 100 1 5061 sipfed.online.lync.com.",
            "_sip._tls.fabrikam.com. SRV 100 1 443 sipdir.online.lync.com.",
            "sip.fabrikam.com. CNAME sipdir.online.lync.com.",
            "lyncdiscover.fabrikam.com. CNAME webdir.online.lync.com.",
        ])
        // Teams has no XMPP federation: the default XMPP domains leave the teams-only one out.
        #expect(!plan.records.contains { $0.name.description == "_xmpp-server._tcp.fabrikam.com." })
        #expect(plan.records.contains { $0.name.description == "_xmpp-server._tcp.contoso.com." })
        #expect(plan.records.filter { $0.name.description.hasSuffix("fabrikam.com.") }.allSatisfy {
            $0.reason.contains("Teams Only") && $0.source.contains("Teams Only")
        })
    }

    @Test func hybridKeepsEveryRecordOnPremisesAndSaysSo() throws {
        let plan = try Planner.plan(try load(Self.description("  - contoso.com\n  - {domain: fabrikam.com, hosting: hybrid}")))
        let records = plan.records.filter { $0.name.description.hasSuffix("fabrikam.com.") }
        #expect(Self.lines(plan, under: "fabrikam.com.").prefix(2) == [
            "_sipfederationtls._tcp.fabrikam.com. SRV 0 0 5061 sip.contoso.com.",
            "_sip._tls.fabrikam.com. SRV 0 0 443 sip.contoso.com.",
        ])
        #expect(records.filter { $0.type == .srv }.allSatisfy { $0.reason.contains("hybrid: stays on premises") })
    }

    @Test func ownAccessEdgeNameIsTheTargetAnAddressAndASAN() throws {
        let deployment = try load(Self.description("  - contoso.com\n  - {domain: litware.com, access_edge: sip.litware.com}"))
        let plan = try Planner.plan(deployment)
        #expect(Self.lines(plan, under: "litware.com.") == [
            "_sipfederationtls._tcp.litware.com. SRV 0 0 5061 sip.litware.com.",
            "_sip._tls.litware.com. SRV 0 0 443 sip.litware.com.",
            "sip.litware.com. A 131.107.155.10",
            "sip.litware.com. AAAA 2001:db8::10",
            "sip.litware.com. A 131.107.155.11",
        ])
        #expect(!RuleCatalog.check(deployment, plan: plan).contains { $0.rule == "srv-target-outside-domain" })
        let shared = try load(Self.description("  - contoso.com\n  - litware.com"))
        #expect(RuleCatalog.check(shared, plan: try Planner.plan(shared)).contains { $0.rule == "srv-target-outside-domain" })
        let certificate = CertificatePlanner.plan(deployment, version: .lync2013)
        #expect(certificate.subjectAlternativeNames.map(\.name).contains("sip.litware.com"))
    }

    @Test func refusals() {
        let teamsWithEdge = diagnostics(Self.description("  - {domain: fabrikam.com, hosting: teams-only, access_edge: sip.fabrikam.com}",
                                                         edge: "edge.contoso.com"))
        #expect(teamsWithEdge.contains { $0.message.contains("teams-only") && $0.location.line == 3 })
        let xmpp = diagnostics(Self.description("  - contoso.com\n  - {domain: fabrikam.com, hosting: teams-only}",
                                                "federation:\n  xmpp: {domains: [contoso.com, fabrikam.com]}"))
        #expect(xmpp.contains { $0.message.contains("Teams has no XMPP federation") })
        // The Access Edge named sip.<teams-only domain>, which must be Microsoft's CNAME.
        let alias = diagnostics(Self.description("  - {domain: contoso.com, hosting: teams-only}\n  - litware.com"))
        #expect(alias.contains { $0.message.contains("a CNAME cannot share its name") })
        let hosting = diagnostics(Self.description("  - {domain: fabrikam.com, hosting: teams}"))
        #expect(hosting.contains { $0.message.contains("must be one of on-premises, hybrid, teams-only") })
        let key = diagnostics(Self.description("  - {domain: fabrikam.com, hostng: hybrid}"))
        #expect(key.contains { $0.suggestion?.contains("hosting") == true })
    }

    @Test func productDecidesXMPPAndCertificateNames() throws {
        for (product, xmppError) in [("lync-2013", false), ("sfb-2015", false), ("sfb-2019", true), ("sfb-se", true)] {
            let d = try load(Self.description("  - contoso.com", "product: \(product)\nfederation:\n  xmpp: {}"))
            let rules = RuleCatalog.check(d, plan: try Planner.plan(d)).map(\.rule)
            #expect(rules.contains("xmpp-not-in-product") == xmppError, "\(product)")
            #expect(rules.contains("product-out-of-support") == (product != "sfb-se"), "\(product)")
        }
        let sfb = try load(Self.description("  - contoso.com", "product: sfb-2015\nfederation:\n  xmpp: {}"))
        let version = try CertificatePlanner.version(sfb, given: nil)
        #expect(version == .sfb2015)
        #expect(CertificatePlanner.plan(sfb, version: version).subjectAlternativeNames.map(\.name).contains("*.contoso.com"))
        #expect(throws: DiagnosticList.self) { try CertificatePlanner.version(sfb, given: .lync2013) }
        let unset = try load(Self.description("  - contoso.com"))
        #expect(try CertificatePlanner.version(unset, given: nil) == .lync2013)
        #expect(!RuleCatalog.check(unset, plan: try Planner.plan(unset)).contains { $0.rule == "product-out-of-support" })
    }

    @Test func acknowledgedWarningsNeverFailStrict() throws {
        let yaml = Self.description("  - contoso.com\n  - litware.com", """
            acknowledge:
              - {rule: srv-target-outside-domain, domain: litware.com, reason: "partners use sip.contoso.com"}
            """)
        let d = try load(yaml)
        let findings = RuleCatalog.check(d, plan: try Planner.plan(d))
        let outside = findings.filter { $0.rule == "srv-target-outside-domain" }
        #expect(!outside.isEmpty && outside.allSatisfy { $0.acknowledged == "partners use sip.contoso.com" })
        #expect(ExitStatus.code(for: findings, strict: true) == ExitStatus.ok)
        #expect(FindingRenderer.text(findings).contains("acknowledged in the description: partners use sip.contoso.com"))
        #expect(FindingRenderer.counts(findings).contains("acknowledged"))
        #expect(SARIFRenderer.findings(findings, version: "test").contains("\"justification\""))
        // Another domain's finding is not covered.
        let other = try load(Self.description("  - contoso.com\n  - litware.com\n  - adatum.com", """
            acknowledge:
              - {rule: srv-target-outside-domain, domain: litware.com, reason: "accepted"}
            """))
        #expect(ExitStatus.code(for: RuleCatalog.check(other, plan: try Planner.plan(other)), strict: true) == ExitStatus.findings)
    }

    @Test func acknowledgementsAreChecked() {
        let unknown = diagnostics(Self.description("  - contoso.com", "acknowledge:\n  - {rule: srv-target-outside-domian, reason: x}"))
        #expect(unknown.contains { $0.suggestion?.contains("srv-target-outside-domain") == true })
        let error = diagnostics(Self.description("  - contoso.com", "acknowledge:\n  - {rule: record-missing, reason: x}"))
        #expect(error.contains { $0.message.contains("cannot be acknowledged") })
        let empty = diagnostics(Self.description("  - contoso.com", "acknowledge:\n  - {rule: ttl-mismatch, reason: \" \"}"))
        #expect(empty.contains { $0.message.contains("empty reason") })
        let missing = diagnostics(Self.description("  - contoso.com", "acknowledge:\n  - {rule: ttl-mismatch}"))
        #expect(missing.contains { $0.message.contains("needs 'reason'") })
    }

    @Test func reverseProxyPlansTheWebNamesOfEveryDomainTheEdgeServes() throws {
        let plan = try Planner.plan(try load(Self.description("  - contoso.com\n  - {domain: fabrikam.com, hosting: teams-only}", """
            reverse_proxy:
              addresses: [131.107.155.40]
              external_web_services: webext.contoso.com
              office_web_apps: owas.contoso.com
            """)))
        let proxied = plan.records.filter { $0.source.contains("reverse proxy") }.map { "\($0.name) \($0.type.rawValue) \($0.data)" }
        #expect(proxied == [
            "webext.contoso.com. A 131.107.155.40", "lyncdiscover.contoso.com. A 131.107.155.40",
            "meet.contoso.com. A 131.107.155.40", "dialin.contoso.com. A 131.107.155.40", "owas.contoso.com. A 131.107.155.40",
        ])
        // The teams-only domain keeps Microsoft's lyncdiscover alias and gets no meet name.
        #expect(Self.lines(plan, under: "fabrikam.com.").contains("lyncdiscover.fabrikam.com. CNAME webdir.online.lync.com."))
        #expect(!plan.records.contains { $0.name.description == "meet.fabrikam.com." })
        let noAddresses = diagnostics(Self.description("  - contoso.com", "reverse_proxy:\n  external_web_services: webext.contoso.com"))
        #expect(noAddresses.contains { $0.message.contains("reverse_proxy needs addresses") })
        let chosen = try Planner.plan(try load(Self.description("  - contoso.com", """
            reverse_proxy: {addresses: [131.107.155.40], external_web_services: webext.contoso.com, meet: false, dialin: false}
            """)))
        #expect(!chosen.records.contains { $0.name.description.hasPrefix("meet.") || $0.name.description.hasPrefix("dialin.") })
    }

    /// A single mapping where a list is expected is a list of one, as a single name is.
    @Test func aSingleEntryNeedsNoList() throws {
        let d = try load("""
            version: 1
            sip_domains: {domain: fabrikam.com, hosting: hybrid}
            acknowledge: {rule: srv-target-outside-domain, reason: accepted}
            edge: {access_edge: sip.fabrikam.com, servers: {name: edge01, access_ip: 131.107.155.10}}
            """)
        #expect(d.hosting(of: d.sipDomains[0].value) == .hybrid && d.acknowledgements.count == 1 && d.edge.servers.count == 1)
    }
}
