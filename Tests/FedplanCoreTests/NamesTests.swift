import FedplanCore
import Testing

@Suite struct DomainNameTests {
    @Test(arguments: [
        ("sip.contoso.com", "sip.contoso.com."),
        ("SIP.Contoso.COM.", "sip.contoso.com."),
        ("bücher.example", "xn--bcher-kva.example."),
        ("München.de", "xn--mnchen-3ya.de."),
        ("例え.テスト", "xn--r8jz45g.xn--zckzah."),
        ("xn--bcher-kva.example", "xn--bcher-kva.example."),
        // UTS #46 mapping (libidn2): compatibility forms become the plain letters.
        ("ＣＯＮＴＯＳＯ.com", "contoso.com."),
        ("ſip.contoso.com", "sip.contoso.com."),
        ("faß.de", "xn--fa-hia.de."),
        // The plain-ASCII fast path at its edges.
        ("A-B.Example.", "a-b.example."),
        (String(repeating: "a", count: 63) + ".com", String(repeating: "a", count: 63) + ".com."),
        ("x.y2", "x.y2."),
    ])
    func parsesAndNormalizes(input: String, expected: String) {
        #expect(name(input).description == expected)
    }

    @Test(arguments: [
        ("", NameProblem.empty),
        ("contoso", .singleLabel),
        ("a..b.com", .emptyLabel),
        (".contoso.com", .emptyLabel),
        ("131.107.155.10", .numericTopLevel),
        ("con toso.com", .whitespace),
        ("-sip.contoso.com", .hyphenAtEdge(label: "-sip")),
        ("sip-.contoso.com", .hyphenAtEdge(label: "sip-")),
        ("sip.contoso.com..", .emptyLabel),
        ("sip_x.contoso.com", .badCharacter(label: "sip_x", character: "_")),
        (String(repeating: "a", count: 64) + ".com", .labelTooLong(label: String(repeating: "a", count: 64), octets: 64)),
    ])
    func refuses(input: String, problem: NameProblem) {
        #expect(DomainName.parse(input) == .failure(problem))
    }

    /// What IDNA2008 refuses, refused with libidn2's reason.
    @Test(arguments: [
        ("xn--zz.com", "punycode"), ("xn--a.com", "non-transitional"), ("\u{301}abc.com", "combining"),
        ("שלוםabc.com", "bi-directional"), ("ab--cd.com", "two hyphens"), ("a.١٢٣", "bi-directional"),
    ])
    func refusesWhatIDNA2008Refuses(input: String, reason: String) {
        guard case .failure(.idna(_, let why)) = DomainName.parse(input) else {
            Issue.record("\(input) was accepted: \(DomainName.parse(input))")
            return
        }
        #expect(why.contains(reason), "\(why)")
    }

    @Test func refusesNamesOver253Octets() {
        let long = Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ".com"
        guard case .failure(.nameTooLong(let n)) = DomainName.parse(long) else {
            Issue.record("a 259-octet name was accepted")
            return
        }
        #expect(n == 259)
        let longest = Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61)
        #expect(DomainName.parse(longest).map(\.octets) == .success(253))
    }

    @Test func refusesUnicodeThatIsNoLetter() {
        guard case .failure(let problem) = DomainName.parse("smile☺.example"), case .idna(let label, let reason) = problem else {
            Issue.record("a symbol was accepted in a name")
            return
        }
        #expect(label == "smile☺" && reason.contains("disallowed"), "\(reason)")
        #expect(problem.message.contains("'smile☺' is not a valid internationalized label"))
    }

    @Test func underscoreOnlyWhenAllowed() {
        #expect(throws: Never.self) { try DomainName.parse("_sip._tls.contoso.com", allowUnderscore: true).get() }
    }

    @Test func relationships() {
        let host = name("sip.it.contoso.com")
        #expect(host.isSubdomain(of: name("contoso.com")))
        #expect(!name("contoso.com").isSubdomain(of: host))
        #expect(!name("notcontoso.com").isSubdomain(of: name("contoso.com")))
        #expect(host.parent == name("it.contoso.com"))
        #expect(host.relative(to: name("contoso.com")) == "sip.it")
        #expect(name("contoso.com").relative(to: name("contoso.com")) == "@")
    }
}

@Suite struct IPAddressTests {
    @Test(arguments: [
        ("131.107.155.10", "131.107.155.10"),
        ("2001:DB8:0:0:0:0:0:10", "2001:db8::10"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
    ])
    func canonicalForm(input: String, expected: String) {
        #expect(IPAddress(input)?.description == expected)
    }

    @Test(arguments: ["131.107.155.300", "010.1.1.1", "1.2.3", "2001:db8::1::2", "sip.contoso.com", "10.0.0.0/8", ""])
    func refuses(input: String) {
        #expect(IPAddress(input) == nil)
    }

    @Test(arguments: [
        ("10.1.2.3", "private (RFC 1918)"), ("172.31.255.255", "private (RFC 1918)"), ("192.168.1.1", "private (RFC 1918)"),
        ("127.0.0.1", "loopback"), ("169.254.10.1", "link-local"), ("100.64.0.1", "carrier-grade NAT (RFC 6598)"),
        ("::1", "loopback"), ("fd12::1", "unique local (ULA, RFC 4193)"), ("fe80::1", "link-local"),
    ])
    func nonPublic(input: String, kind: String) {
        #expect(IPAddress(input)?.nonPublicKind == kind)
    }

    @Test(arguments: ["131.107.155.10", "172.32.0.1", "100.128.0.1", "2001:db8::10", "2603:1000::1"])
    func publicAddresses(input: String) {
        #expect(IPAddress(input)?.nonPublicKind == nil)
    }
}

@Suite struct EscapeTests {
    @Test func escapesControlCharactersAndBidi() {
        #expect(Escape.text("ok\u{1B}[31mred\n") == "ok\\027[31mred\\010")
        #expect(Escape.text("a\u{202E}b") == "a\\u{202E}b")
        #expect(Escape.text("bücher") == "bücher")
    }
}
