import FedplanCore
import Foundation
import Testing

@Suite struct LoaderTests {
    static let minimal = """
        version: 1
        sip_domains: [contoso.com]
        edge:
          access_edge: sip.contoso.com
          servers:
            - name: edge01
              access_ip: 131.107.155.10
        """

    @Test func appliesDefaults() throws {
        let d = try load(Self.minimal)
        #expect(d.ttl == 3600)
        #expect(d.edge.loadBalancing == .dns)
        #expect(d.federation.sip.discoverable)
        #expect(d.federation.sip.mobilePush.isEmpty)
        #expect(d.federation.xmpp == nil)
        #expect(!d.remoteAccess)
        #expect(d.srv.priority == 0 && d.srv.weight == 0)
        #expect(d.zones == nil)
        // A single scalar is accepted where a list is expected.
        #expect(d.edge.servers[0].accessIPs.map(\.value) == [IPAddress("131.107.155.10")!])
    }

    @Test func xmppDefaults() throws {
        let d = try load(Self.minimal.replacingOccurrences(of: "version: 1", with: """
            version: 1
            federation:
              xmpp:
                partners: [{domain: jabber.example.org}]
            """))
        let xmpp = try #require(d.federation.xmpp)
        #expect(xmpp.proxy.value == name("sip.contoso.com"))
        #expect(xmpp.domains == [name("contoso.com")])
        let partner = try #require(xmpp.partners.first)
        #expect(partner.type == .publicUnverified)
        #expect(partner.tls == .required && partner.sasl == .required && partner.dialback)
    }

    @Test func emptyXMPPKeyTurnsXMPPOn() throws {
        let d = try load(Self.minimal + "\nfederation:\n  xmpp:\n")
        #expect(d.federation.xmpp != nil)
    }

    @Test func mobilePushTrueMeansEveryDomain() throws {
        let d = try load(Self.minimal.replacingOccurrences(of: "[contoso.com]", with: "[contoso.com, fabrikam.com]")
            + "\nfederation: {sip: {discoverable: false, mobile_push: true}}\n")
        #expect(d.federation.sip.mobilePush == [name("contoso.com"), name("fabrikam.com")])
    }

    @Test func readsJSON() throws {
        let json = """
            {
              "version": 1,
              "sip_domains": ["contoso.com"],
              "edge": {
                "access_edge": "sip.contoso.com",
                "servers": [{"name": "edge01", "access_ip": ["131.107.155.10", "2001:db8::10"]}]
              }
            }
            """
        let d = try load(json, file: "fedplan.json")
        #expect(d.edge.servers[0].accessIPs.count == 2)
        #expect(d.edge.accessEdge.location.line == 5)
    }

    @Test func convertsUnicodeDomains() throws {
        let d = try load(Self.minimal.replacingOccurrences(of: "[contoso.com]", with: "[bücher.example]"))
        #expect(d.sipDomains[0].value.description == "xn--bcher-kva.example.")
    }

    @Test func reportsEveryErrorInOneRun() {
        let problems = diagnostics("""
            version: 1
            sip_domains: [contoso..com]
            ttl: -5
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [300.1.1.1]}
            """)
        #expect(problems.map(\.location.line) == [2, 3, 7])
    }

    /// Every file of Tests/Fixtures/invalid starts with `# expect: LINE:COLUMN: text`.
    static let invalidFiles: [URL] = (try? FileManager.default.contentsOfDirectory(
        at: packageRoot.appendingPathComponent("Tests/Fixtures/invalid"), includingPropertiesForKeys: nil))?
        .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path } ?? []

    @Test func corpusIsThere() {
        #expect(Self.invalidFiles.count >= 30)
    }

    @Test(arguments: invalidFiles)
    func invalidInputIsLocated(file: URL) throws {
        let data = try Data(contentsOf: file)
        let header = String(decoding: data.prefix { $0 != 10 }, as: UTF8.self)
        let expectation = header.replacingOccurrences(of: "# expect: ", with: "")
        let parts = expectation.split(separator: ":", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
        let (line, column, text) = (Int(parts[0]), Int(parts[1]), parts[2])
        var found: [Diagnostic] = []
        switch DescriptionLoader.load(data: data, file: file.lastPathComponent) {
        case .failure(let list): found = list.diagnostics
        case .success(let d):
            do { _ = try Planner.plan(d) } catch { found = error.diagnostics }
        }
        #expect(!found.isEmpty, "\(file.lastPathComponent) was accepted")
        let match = found.first { $0.location.line == line && $0.location.column == column && $0.description.contains(text) }
        #expect(match != nil, "\(file.lastPathComponent): wanted \(expectation), got \(found.map(\.description))")
        // No problem is reported twice at one place (an alias makes the walk meet one node often).
        #expect(Set(found.map(\.description)).count == found.count, "\(file.lastPathComponent): \(found.map(\.description))")
    }
}

@Suite struct SuggestionTests {
    @Test func starterDescriptionIsValid() throws {
        let d = try load(StarterDescription.text(domain: name("fabrikam.com")))
        #expect(d.edge.accessEdge.value == name("sip.fabrikam.com"))
    }

    @Test(arguments: [("sipDomains", "sip_domains"), ("sip-domains", "sip_domains"), ("acess_edge", "access_edge"),
                      ("load_balancnig", "load_balancing")])
    func suggestsTheKeyMeant(typo: String, meant: String) {
        let yaml = LoaderTests.minimal.replacingOccurrences(of: "version: 1", with: "version: 1\n\(typo): x")
        #expect(diagnostics(yaml).contains { $0.suggestion?.hasPrefix("did you mean '\(meant)'") == true })
    }
}
