import FedplanCore
import Testing

/// The TLSA records `cert plan --tlsa` proposes, and the DANE findings of `cert check`, as values.
@Suite struct DANECoreTests {
    static let digest = TLSAData(usage: 3, selector: 1, matchingType: 1, data: Array(repeating: 0xAB, count: 32))

    /// Two XMPP domains, one proxy outside the SIP domains: one record for the one SRV target,
    /// in the zone its address records are planned in.
    @Test func oneRecordPerXMPPTargetInItsZone() throws {
        let d = try load(LoaderTests.minimal.replacingOccurrences(of: "[contoso.com]", with: "[contoso.com, fabrikam.com]") + """

            federation:
              xmpp:
                domains: [contoso.com, fabrikam.com]
                proxy: xmpp.contoso.net
            """)
        let plan = try Planner.plan(d)
        let records = try DANEPlanner.plan(d, plan, data: Self.digest, keyFile: "edge.pem", description: "test.yaml")
        #expect(records.count == 1)
        let r = try #require(records.first)
        #expect(r.name == name("_5269._tcp.xmpp.contoso.net"))
        #expect(r.zone == plan.records.first { $0.name == name("xmpp.contoso.net") }?.zone)
        #expect(r.presentation == "_5269._tcp.xmpp.contoso.net. 3600 IN TLSA 3 1 1 " + String(repeating: "ab", count: 32))
        #expect(r.reason.contains("edge.pem") && r.port == 5269)
    }

    @Test func aDescriptionWithoutXMPPIsRefused() throws {
        let d = try load(LoaderTests.minimal)
        #expect(throws: DiagnosticList.self) {
            try DANEPlanner.plan(d, try Planner.plan(d), data: Self.digest, keyFile: "edge.pem", description: "test.yaml")
        }
    }

    /// The XMPP endpoint of a description, as `cert check` plans it.
    static let endpoint: CertificateEndpoint = {
        let d = try! load(LoaderTests.minimal + "\nfederation:\n  xmpp:\n    domains: [contoso.com]\n    proxy: xmpp.contoso.com\n")
        return CertificateChecker.endpoints(d, version: .lync2013).first { $0.service == .xmpp }!
    }()

    static func rules(_ lookup: TLSALookup, _ match: DANEMatch?) -> [String] {
        DANEChecker.check(endpoint, DANEReport(lookup: lookup, match: match, served: digest)).map(\.rule).sorted()
    }

    @Test func findingsFollowSecurityAndMatch() {
        let name = "_5269._tcp.xmpp.contoso.com."
        let records = TLSALookup.Outcome.records([Self.digest], total: 1)
        // Secure and matching: nothing. Secure, not matching: the error alone.
        #expect(Self.rules(TLSALookup(name: name, outcome: records, secure: true), .match).isEmpty)
        #expect(Self.rules(TLSALookup(name: name, outcome: records, secure: true), .noMatch("ldns: no")) == ["dane-tlsa-mismatch"])
        // A secure TLSA answer is not enough: an insecure SRV answer makes partners ignore it.
        let srv = TLSALookup(name: name, outcome: records, secure: true, insecureSRV: ["_xmpp-server._tcp.contoso.com."])
        #expect(!srv.usedByPartners)
        let found = DANEChecker.check(Self.endpoint, DANEReport(lookup: srv, match: .match, served: Self.digest))
        #expect(found.map { $0.rule } == ["dane-tlsa-insecure"])
        #expect(found.first?.message.contains("the SRV answer for _xmpp-server._tcp.contoso.com.") == true)
        // No record, or not asked: DANE is optional, no finding.
        #expect(Self.rules(TLSALookup(name: name, outcome: .none), nil).isEmpty)
        #expect(Self.rules(TLSALookup(name: name, outcome: .notChecked("no resolver")), nil).isEmpty)
        #expect(Self.rules(TLSALookup(name: name, outcome: .failed("timeout")), nil) == ["query-failed"])
        // Only records no client can use: nothing compared, status says so.
        let odd = TLSALookup(name: name, outcome: .records([TLSAData(usage: 7, selector: 1, matchingType: 1, data: [1])], total: 1),
                             secure: true)
        #expect(DANEReport(lookup: odd, match: nil, served: nil).status == "unusable")
    }

    @Test func hexRoundTrips() {
        #expect(Hex.text([0x00, 0x0f, 0xf0, 0xff]) == "000ff0ff")
        #expect(Hex.bytes("000FF0ff") == [0x00, 0x0f, 0xf0, 0xff])
        #expect(Hex.bytes("abc") == nil && Hex.bytes("zz") == nil)
        #expect(Self.digest.mnemonic == "DANE-EE SPKI SHA2-256")
    }
}
