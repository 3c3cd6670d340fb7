import FedplanCore
import Testing

@Suite struct PlannerTests {
    /// The single-Edge description of docs/description.md, whose plan is spelled out below.
    static let specExample = """
        version: 1
        organization: Contoso
        ttl: 3600
        sip_domains: [contoso.com, fabrikam.com]
        edge:
          access_edge: sip.contoso.com
          web_conferencing: webcon.contoso.com
          av: av.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10, "2001:db8::10"]
              web_conferencing_ip: [131.107.155.20]
              av_ip: [131.107.155.30]
            - name: edge02
              access_ip: [131.107.155.11]
              web_conferencing_ip: [131.107.155.21]
              av_ip: [131.107.155.31]
        federation:
          sip:
            discoverable: true
          xmpp:
            domains: [contoso.com]
            proxy: xmpp.contoso.com
        remote_access: true
        srv: {priority: 10, weight: 20}
        zones: [contoso.com, fabrikam.com]
        """

    static func lines(_ plan: Plan) -> [String] {
        plan.records.map { "\($0.zone) \($0.name) \($0.ttl) \($0.type.rawValue) \($0.data)" }
    }

    @Test func specSection2() throws {
        let plan = try Planner.plan(try load(Self.specExample))
        #expect(Set(Self.lines(plan)) == [
            "contoso.com. _sipfederationtls._tcp.contoso.com. 3600 SRV 10 20 5061 sip.contoso.com.",
            "fabrikam.com. _sipfederationtls._tcp.fabrikam.com. 3600 SRV 10 20 5061 sip.contoso.com.",
            "contoso.com. _xmpp-server._tcp.contoso.com. 3600 SRV 10 20 5269 xmpp.contoso.com.",
            "contoso.com. _sip._tls.contoso.com. 3600 SRV 10 20 443 sip.contoso.com.",
            "fabrikam.com. _sip._tls.fabrikam.com. 3600 SRV 10 20 443 sip.contoso.com.",
            "contoso.com. sip.contoso.com. 3600 A 131.107.155.10",
            "contoso.com. sip.contoso.com. 3600 AAAA 2001:db8::10",
            "contoso.com. sip.contoso.com. 3600 A 131.107.155.11",
            "contoso.com. xmpp.contoso.com. 3600 A 131.107.155.10",
            "contoso.com. xmpp.contoso.com. 3600 AAAA 2001:db8::10",
            "contoso.com. xmpp.contoso.com. 3600 A 131.107.155.11",
            "fabrikam.com. sip.fabrikam.com. 3600 A 131.107.155.10",
            "fabrikam.com. sip.fabrikam.com. 3600 AAAA 2001:db8::10",
            "fabrikam.com. sip.fabrikam.com. 3600 A 131.107.155.11",
            "contoso.com. webcon.contoso.com. 3600 A 131.107.155.20",
            "contoso.com. webcon.contoso.com. 3600 A 131.107.155.21",
            "contoso.com. av.contoso.com. 3600 A 131.107.155.30",
            "contoso.com. av.contoso.com. 3600 A 131.107.155.31",
        ])
        #expect(plan.records.count == 18, "no record twice")
        #expect(plan.records.allSatisfy { !$0.reason.isEmpty && !$0.source.isEmpty })
        #expect(plan.records.allSatisfy { Self.isPublic($0.source) }, "\(Set(plan.records.map(\.source)))")
    }

    @Test func mobilePushOnlyWhenNotDiscoverable() throws {
        let yaml = LoaderTests.minimal.replacingOccurrences(of: "[contoso.com]", with: "[contoso.com, fabrikam.com]")
            + "\nfederation: {sip: {discoverable: false, mobile_push: [fabrikam.com]}}\n"
        let srv = try Planner.plan(try load(yaml)).records.filter { $0.type == .srv }
        #expect(srv.map(\.name) == [name("_sipfederationtls._tcp.fabrikam.com")])
        #expect(srv[0].reason.contains("mobile push"))
    }

    @Test func proxyEqualToAccessEdgeAddsNoHost() throws {
        let plan = try Planner.plan(try load(LoaderTests.minimal + "\nfederation: {xmpp: {}}\n"))
        #expect(Self.lines(plan) == [
            "contoso.com. _sipfederationtls._tcp.contoso.com. 3600 SRV 0 0 5061 sip.contoso.com.",
            "contoso.com. _xmpp-server._tcp.contoso.com. 3600 SRV 0 0 5269 sip.contoso.com.",
            "contoso.com. sip.contoso.com. 3600 A 131.107.155.10",
        ])
    }

    @Test func defaultZonesAddTheParentOfOutsideHosts() throws {
        let yaml = LoaderTests.minimal.replacingOccurrences(of: "access_edge: sip.contoso.com",
                                                           with: "access_edge: sip.edge.contoso-hosting.net")
        let plan = try Planner.plan(try load(yaml))
        #expect(plan.zones.map(\.zone) == [name("contoso.com"), name("edge.contoso-hosting.net")])
    }

    @Test func explicitZonesTakeTheDeepestMatch() throws {
        let yaml = LoaderTests.minimal.replacingOccurrences(of: "access_edge: sip.contoso.com",
                                                           with: "access_edge: sip.edge.contoso.com")
            + "\nzones: [contoso.com, edge.contoso.com]\n"
        let plan = try Planner.plan(try load(yaml))
        #expect(plan.zone(name("edge.contoso.com"))?.records.map(\.name) == [name("sip.edge.contoso.com")])
    }

    /// A zone contains names below it at a label boundary only: `notcontoso.com` is not in
    /// `contoso.com`, and the deepest of nested zones wins whatever order they are listed in.
    @Test func zonesMatchWholeLabels() throws {
        let outside = LoaderTests.minimal.replacingOccurrences(of: "access_edge: sip.contoso.com",
                                                              with: "access_edge: sip.notcontoso.com")
            + "\nzones: [contoso.com]\n"
        #expect(throws: DiagnosticList.self) { try Planner.plan(try load(outside)) }
        let nested = LoaderTests.minimal.replacingOccurrences(of: "access_edge: sip.contoso.com",
                                                             with: "access_edge: sip.a.edge.contoso.com")
            + "\nzones: [edge.contoso.com, contoso.com, a.edge.contoso.com]\n"
        let plan = try Planner.plan(try load(nested))
        #expect(plan.zone(name("a.edge.contoso.com"))?.records.map(\.name) == [name("sip.a.edge.contoso.com")])
        #expect(plan.zone(name("contoso.com"))?.records.allSatisfy { $0.name.description.hasSuffix("._tcp.contoso.com.") } == true)
    }

    @Test func sipHostEqualToAccessEdgeIsNotRepeated() throws {
        let plan = try Planner.plan(try load(LoaderTests.minimal + "\nremote_access: true\n"))
        #expect(plan.records.filter { $0.name == name("sip.contoso.com") }.count == 1)
    }

    /// What admins paste into change tickets cites public documents (page titles, RFC
    /// numbers), never the team's internal spec, reference or seed numbers.
    static func isPublic(_ source: String) -> Bool {
        source.range(of: #"(spec|reference) §|seeds? \d"#, options: .regularExpression) == nil
    }

    @Test func ruleAndDocSourcesArePublic() throws {
        #expect(!Self.isPublic("reference §1 (seed 004): x"), "the check itself must catch an internal reference")
        for rule in RuleCatalog.all { #expect(Self.isPublic(rule.source), "\(rule.name): \(rule.source)") }
        for file in ["README.md", "docs/description.md", "docs/json.md", "docs/rules.md", "docs/security.md", "docs/zone-files.md", "docs/dane.md", "docs/dnssec.md"] {
            let text = try String(contentsOf: packageRoot.appendingPathComponent(file), encoding: .utf8)
            #expect(Self.isPublic(text), "\(file) cites an internal section")
            #expect(!text.contains("../shared"), "\(file) points outside the repository")
        }
    }
}
