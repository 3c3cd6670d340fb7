@testable import FedplanCore
import Testing

/// The pure parts of the certificate plan and check, without TLS.
@Suite struct CertificateTests {
    static let xmpp = """
        version: 1
        sip_domains: [contoso.com, fabrikam.com]
        edge:
          access_edge: sip.contoso.com
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        federation:
          xmpp:
            domains: [contoso.com]
            proxy: xmpp.contoso.com
        """

    @Test func wildcardsStandForExactlyOneLabel() {
        #expect(CertificateChecker.matches("*.contoso.com", "sip.contoso.com"))
        #expect(CertificateChecker.matches("SIP.Contoso.com", "sip.contoso.com"))
        #expect(!CertificateChecker.matches("*.contoso.com", "contoso.com"))
        #expect(!CertificateChecker.matches("*.contoso.com", "a.sip.contoso.com"))
        #expect(!CertificateChecker.matches("sip.*.com", "sip.contoso.com"))
        #expect(!CertificateChecker.matches("sip.contoso.com", "*.contoso.com"))
    }

    @Test func datesAreUTCDays() {
        #expect(CertificateChecker.date(0) == "1970-01-01")
        #expect(CertificateChecker.date(951_782_400) == "2000-02-29")
        #expect(CertificateChecker.date(1_795_219_200 + 86_399) == "2026-11-21")
    }

    @Test func endpointsAskForTheNamesOfTheirService() throws {
        let deployment = try load(Self.xmpp)
        let lync = CertificateChecker.endpoints(deployment, version: .lync2013)
        #expect(lync.map(\.port) == [5061, 5269])
        #expect(lync[0].expectedNames.map(\.name) == ["sip.contoso.com", "sip.fabrikam.com"])
        #expect(lync[1].expectedNames.map(\.name) == ["xmpp.contoso.com", "contoso.com"])
        let skype = CertificateChecker.endpoints(deployment, version: .sfb2015)
        #expect(skype[1].expectedNames.map(\.name) == ["xmpp.contoso.com", "*.contoso.com"])
    }

    static func leaf(names: [String], notAfter: Int64, serverAuth: Bool = true) -> PresentedCertificate {
        PresentedCertificate(subject: "CN=sip.contoso.com", issuer: "CN=CA", dnsNames: names, notBefore: 0, notAfter: notAfter,
                             hasEKU: true, serverAuth: serverAuth, clientAuth: false, selfSigned: false)
    }

    @Test func checkerJudgesNamesDatesUsageAndTrust() throws {
        let endpoint = CertificateChecker.endpoints(try load(Self.xmpp), version: .lync2013)[0]
        let now: Int64 = 1_795_219_200
        let good = Self.leaf(names: ["sip.contoso.com", "*.fabrikam.com"], notAfter: now + 90 * 86_400)
        #expect(CertificateChecker.check(endpoint, .presented(chain: [good], trust: .trusted), now: now).isEmpty)
        let rules = { (leaf: PresentedCertificate, trust: ChainTrust) in
            CertificateChecker.check(endpoint, .presented(chain: [leaf], trust: trust), now: now).map(\.rule)
        }
        #expect(rules(Self.leaf(names: ["sip.contoso.com"], notAfter: now + 90 * 86_400), .trusted) == ["cert-name-missing"])
        #expect(rules(Self.leaf(names: good.dnsNames!, notAfter: now - 1), .trusted) == ["cert-expired"])
        #expect(rules(Self.leaf(names: good.dnsNames!, notAfter: now + 29 * 86_400), .trusted) == ["cert-expiring"])
        #expect(rules(Self.leaf(names: good.dnsNames!, notAfter: now + 90 * 86_400, serverAuth: false), .trusted) == ["cert-eku-missing"])
        #expect(rules(good, .selfSigned) == ["cert-self-signed"])
        #expect(rules(good, .incomplete("unable to get local issuer certificate")) == ["cert-chain-incomplete"])
        let failed = CertificateChecker.check(endpoint, .failed("cannot connect"), now: now)
        #expect(failed.map(\.rule) == ["cert-check-failed"])
        #expect(ExitStatus.code(for: failed, strict: true) == ExitStatus.unverified)
    }
}
