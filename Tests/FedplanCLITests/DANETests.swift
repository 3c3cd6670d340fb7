import FedplanCore
import Foundation
import Testing

/// `cert plan --tlsa`: the TLSA 3 1 1 record for the XMPP proxy, made by ldns from a PEM
/// certificate or key, checked against openssl's own digest of the key.
@Suite(.ownThread) struct DANEPlanTests {
    static let description = CertCheckTests.description

    /// A self-signed certificate and its key, the public key, and the SHA-256 of the
    /// SubjectPublicKeyInfo as openssl computes it.
    static func material(in folder: URL) throws -> (cert: String, key: String, pub: String, digest: String) {
        let cert = folder.appendingPathComponent("edge.pem").path, key = folder.appendingPathComponent("edge.key").path
        let pub = folder.appendingPathComponent("edge.pub").path
        try #require(try run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                         "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=xmpp.contoso.com"]).code == 0)
        try #require(try run("openssl", ["pkey", "-in", key, "-pubout", "-out", pub]).code == 0)
        let digest = try run("sh", ["-c", "openssl x509 -in '\(cert)' -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum"])
        return (cert, key, pub, String(digest.stdout.prefix(64)))
    }

    @Test func proposesTLSA311ForTheXMPPProxyFromACertificateOrKey() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let m = try Self.material(in: folder)
        #expect(m.digest.count == 64)
        let file = folder.appendingPathComponent("fedplan.yaml")
        try Self.description.write(to: file, atomically: true, encoding: .utf8)
        for input in [m.cert, m.key, m.pub] {
            let result = try run(fedplanBinary, ["cert", "plan", file.path, "--tlsa", input, "--format", "json"])
            #expect(result.code == 0, "\(result.stderr)")
            let doc = try JSONDecoder().decode(CertificateRenderer.Document.self, from: Data(result.stdout.utf8))
            let tlsa = try #require(doc.tlsa)
            #expect(tlsa.count == 1)
            #expect(tlsa.first?.name == "_5269._tcp.xmpp.contoso.com.")
            #expect(tlsa.first?.data == "3 1 1 \(m.digest)", "\(input)")
            #expect(tlsa.first?.zone == "contoso.com." && tlsa.first?.port == 5269 && tlsa.first?.target == "xmpp.contoso.com.")
            #expect(tlsa.first?.source.contains("RFC 7673") == true && tlsa.first?.reason.contains("DANE") == true)
        }
        // A DER certificate (a .cer from the Windows store) gives the same record.
        let der = folder.appendingPathComponent("edge.cer").path
        try #require(try run("openssl", ["x509", "-in", m.cert, "-outform", "DER", "-out", der]).code == 0)
        let fromDER = try run(fedplanBinary, ["cert", "plan", file.path, "--tlsa", der, "--format", "zone"])
        #expect(fromDER.code == 0 && fromDER.stdout.contains("TLSA 3 1 1 \(m.digest)\n"), "\(fromDER.stderr)")
        // --tlsa repeated (a rollover): one record per certificate, in the order given.
        let other = folder.appendingPathComponent("other.pem").path
        try #require(try run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                                         folder.appendingPathComponent("other.key").path, "-out", other, "-days", "30",
                                         "-subj", "/CN=xmpp.contoso.com"]).code == 0)
        let both = try run(fedplanBinary, ["cert", "plan", file.path, "--tlsa", m.cert, "--tlsa", other, "--format", "zone"])
        let lines = both.stdout.split(separator: "\n").filter { !$0.hasPrefix(";") && $0.contains(" TLSA ") }
        #expect(lines.count == 2 && lines.first?.hasSuffix(m.digest) == true && lines.last?.hasSuffix(m.digest) == false, "\(both.stdout)")
        // Without --tlsa the JSON has no tlsa key at all.
        let plain = try run(fedplanBinary, ["cert", "plan", file.path, "--format", "json"])
        #expect(!plain.stdout.contains("\"tlsa\""))
        // The table names the record and the rollover rule.
        let table = try run(fedplanBinary, ["cert", "plan", file.path, "--tlsa", m.cert])
        #expect(table.stdout.contains("_5269._tcp.xmpp.contoso.com. 3600 IN TLSA 3 1 1 \(m.digest)"))
        #expect(table.stdout.contains("RFC 7671 §8.1"))
    }

    /// `--format zone` is master-file text a zone loads: kzonecheck accepts it in the zone.
    @Test func zoneSnippetLoads() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let m = try Self.material(in: folder)
        let file = folder.appendingPathComponent("fedplan.yaml")
        try Self.description.write(to: file, atomically: true, encoding: .utf8)
        let snippet = try run(fedplanBinary, ["cert", "plan", file.path, "--tlsa", m.key, "--format", "zone"])
        #expect(snippet.code == 0, "\(snippet.stderr)")
        #expect(snippet.stdout.contains("_5269._tcp.xmpp.contoso.com. 3600 IN TLSA 3 1 1 \(m.digest)\n"))
        let zone = folder.appendingPathComponent("contoso.com.zone")
        try ("$ORIGIN contoso.com.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 900 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n"
             + "xmpp IN A 131.107.155.10\n" + snippet.stdout).write(to: zone, atomically: true, encoding: .utf8)
        let check = try run("kzonecheck", ["-o", "contoso.com", zone.path])
        #expect(check.code == 0, "\(check.stdout) \(check.stderr)")
    }

    /// What is not a certificate or key, a key it cannot read without a pass phrase, and a
    /// description without XMPP federation: exit 2, the file named, nothing on stdout.
    @Test func refusesWhatItCannotUse() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let m = try Self.material(in: folder)
        let file = folder.appendingPathComponent("fedplan.yaml")
        try Self.description.write(to: file, atomically: true, encoding: .utf8)
        let junk = folder.appendingPathComponent("notes.txt")
        try "not a certificate\n".write(to: junk, atomically: true, encoding: .utf8)
        let encrypted = folder.appendingPathComponent("encrypted.key").path
        try #require(try run("openssl", ["pkey", "-in", m.key, "-aes256", "-passout", "pass:secret", "-out", encrypted]).code == 0)
        let sipOnly = folder.appendingPathComponent("sip-only.yaml")
        try """
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: sipOnly, atomically: true, encoding: .utf8)
        let cases: [(String, String, String, String)] = [
            (file.path, junk.path, "notes.txt", "not a certificate or key; expected a PEM certificate"),
            (file.path, encrypted, "encrypted.key", "encrypted"),
            (file.path, folder.appendingPathComponent("missing.pem").path, "missing.pem", "no such file"),
            (sipOnly.path, m.cert, "sip-only.yaml", "no XMPP federation"),
        ]
        for (description, input, named, says) in cases {
            let result = try run(fedplanBinary, ["cert", "plan", description, "--tlsa", input, "--format", "zone"], input: "")
            #expect(result.code == 2, "\(input): \(result.stdout) \(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains(named) && result.stderr.contains(says), "\(result.stderr)")
        }
        let noTLSA = try run(fedplanBinary, ["cert", "plan", file.path, "--format", "zone"])
        #expect(noTLSA.code == 2 && noTLSA.stderr.contains("--tlsa"), "\(noTLSA.stderr)")
    }
}

/// `cert check` compares the TLSA records at `_5269._tcp.<proxy>` with the certificate the XMPP
/// front serves after STARTTLS. One certificate, one XMPP front, one NSD with a zone per case,
/// and one validating Unbound for the signed zone, shared by every case.
@Suite(.serialized, .ownThread) struct DANECheckTests {
    static func zone(_ origin: String, tlsa: String?) -> String {
        """
        $ORIGIN \(origin).
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        _xmpp-server._tcp IN SRV 0 0 5269 xmpp
        xmpp IN A 127.0.0.1
        \(tlsa.map { $0.split(separator: "\n").map { "_5269._tcp.xmpp IN TLSA \($0)" }.joined(separator: "\n") } ?? "")

        """
    }

    static func description(_ origin: String) -> String {
        """
        version: 1
        sip_domains: [\(origin)]
        edge:
          access_edge: sip.\(origin)
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        federation:
          xmpp:
            domains: [\(origin)]
            proxy: xmpp.\(origin)
        """
    }

    @Test func publishedTLSAIsComparedWithTheServedCertificate() throws {
        let factory = try CertificateFactory()
        let origins = ["ee.test", "ta.test", "wrong.test", "none.test", "secure.test", "many.test", "elsewhere.test", "unusable.test"]
        let leaf = try factory.leaf("xmpp", names: origins.flatMap { ["xmpp.\($0)", $0] })
        let spki = try run("sh", ["-c", "openssl x509 -in '\(leaf.chain)' -pubkey -noout | openssl pkey -pubin -outform DER | sha256sum"])
        let ee = "3 1 1 " + spki.stdout.prefix(64)
        let intermediate = try run("sh", ["-c", "openssl x509 -in '\(factory.path("intermediate.pem"))' -outform DER | sha256sum"])
        let ta = "2 0 1 " + intermediate.stdout.prefix(64)
        let wrong = "3 1 1 " + String(repeating: "ab", count: 32)
        let secure = try signedZone(Self.zone("secure.test", tlsa: ee), origin: "secure.test")
        let anchor = try #require(secure.split(separator: "\n").first { $0.contains("DNSKEY") && $0.contains("257") })
        let nsd = try NSDServer(zones: [
            "ee.test": Self.zone("ee.test", tlsa: ee), "ta.test": Self.zone("ta.test", tlsa: ta),
            "wrong.test": Self.zone("wrong.test", tlsa: wrong), "none.test": Self.zone("none.test", tlsa: nil),
            "secure.test": secure,
            "many.test": Self.zone("many.test", tlsa: (0..<20).map { "3 1 1 " + String(format: "%064x", $0) }.joined(separator: "\n")),
            "unusable.test": Self.zone("unusable.test", tlsa: "3 1 9 \(spki.stdout.prefix(64))\n7 1 1 \(spki.stdout.prefix(64))"),
        ])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: ["secure.test", "wrong.test"], to: nsd, options: [
            "module-config: \"validator iterator\"", "trust-anchor: \"\(anchor.replacingOccurrences(of: "\t", with: " "))\"",
        ])
        defer { unbound.stop() }
        let front = try XMPPFront(chain: leaf.chain, key: leaf.key)
        defer { front.stop() }

        func check(_ origin: String, resolver: String?) throws -> (Int32, CertificateCheckRenderer.Document, String) {
            let file = factory.file("\(origin).yaml")
            try Self.description(origin).write(to: file, atomically: true, encoding: .utf8)
            var arguments = ["cert", "check", file.path, "--xmpp-target", front.address, "--ca-file", factory.path("root.pem"),
                             "--timeout", "3", "--format", "json"]
            if let resolver { arguments += ["--resolver", resolver] }
            let result = try run(fedplanBinary, arguments)
            let doc = try #require(try? JSONDecoder().decode(CertificateCheckRenderer.Document.self, from: Data(result.stdout.utf8)),
                                   "\(result.stdout) \(result.stderr)")
            return (result.code, doc, result.stdout + result.stderr)
        }
        func dane(_ doc: CertificateCheckRenderer.Document) -> [String] { doc.findings.map(\.rule).filter { $0.hasPrefix("dane-") }.sorted() }

        // Signed, validated (AD on the SRV and TLSA answers), matching: nothing to say.
        let (okCode, ok, okText) = try check("secure.test", resolver: unbound.address)
        #expect(ok.endpoints.first?.dane?.status == "match", "\(okText)")
        #expect(ok.endpoints.first?.dane?.secure == true, "\(okText)")
        #expect(ok.endpoints.first?.dane?.records == [ee])
        #expect(dane(ok).isEmpty, "\(okText)")
        #expect(okCode == 0 && ok.findings.isEmpty, "\(okText)")

        // Matching (DANE-EE, and DANE-TA on the intermediate), asked directly at NSD, which sets
        // no AD: a warning that partners ignore the records, exit 0.
        for origin in ["ee.test", "ta.test"] {
            let (code, doc, text) = try check(origin, resolver: nsd.address)
            #expect(doc.endpoints.first?.dane?.status == "match", "\(origin): \(text)")
            #expect(doc.endpoints.first?.dane?.secure == false)
            #expect(dane(doc) == ["dane-tlsa-insecure"], "\(origin): \(text)")
            #expect(doc.findings.first { $0.rule == "dane-tlsa-insecure" }?.name == "_5269._tcp.xmpp.\(origin).")
            #expect(code == 0 && doc.findings.count == 1, "\(text)")
        }

        // A record for another key: the error names the record to publish for the served one.
        let (badCode, bad, badText) = try check("wrong.test", resolver: nsd.address)
        #expect(badCode == 1, "\(badText)")
        #expect(bad.endpoints.first?.dane?.status == "mismatch")
        #expect(dane(bad) == ["dane-tlsa-insecure", "dane-tlsa-mismatch"], "\(badText)")
        let mismatch = try #require(bad.findings.first { $0.rule == "dane-tlsa-mismatch" })
        #expect(mismatch.expected == "_5269._tcp.xmpp.wrong.test. IN TLSA \(ee)")
        #expect(mismatch.observed == wrong)
        #expect(mismatch.severity == "error")
        // Through the validating resolver the unsigned zone is still insecure (no AD).
        let (_, viaUnbound, viaText) = try check("wrong.test", resolver: unbound.address)
        #expect(viaUnbound.endpoints.first?.dane?.secure == false, "\(viaText)")
        #expect(dane(viaUnbound) == ["dane-tlsa-insecure", "dane-tlsa-mismatch"], "\(viaText)")

        // Only records no client can use (matching type 9, usage 7): DANE is not in effect.
        let (unusableCode, unusable, unusableText) = try check("unusable.test", resolver: nsd.address)
        #expect(unusable.endpoints.first?.dane?.status == "unusable", "\(unusableText)")
        #expect(dane(unusable) == ["dane-tlsa-insecure", "dane-tlsa-unusable"], "\(unusableText)")
        #expect(unusable.findings.first { $0.rule == "dane-tlsa-unusable" }?.expected == "_5269._tcp.xmpp.unusable.test. IN TLSA \(ee)")
        #expect(unusableCode == 0)

        // No TLSA record: DANE is optional, so no finding; the report says none.
        let (_, none, noneText) = try check("none.test", resolver: nsd.address)
        #expect(none.endpoints.first?.dane?.status == "none", "\(noneText)")
        #expect(none.endpoints.first?.dane?.name == "_5269._tcp.xmpp.none.test.")
        #expect(dane(none).isEmpty)

        // 20 records: 16 are taken and shown, the rest counted.
        let (_, many, manyText) = try check("many.test", resolver: nsd.address)
        #expect(many.endpoints.first?.dane?.records.count == 16, "\(manyText)")
        #expect(many.endpoints.first?.dane?.records_not_shown == 4)
        let cut = try #require(many.findings.first { $0.rule == "dane-tlsa-mismatch" })
        #expect(cut.observed?.hasSuffix(", and 4 more") == true && cut.observed_total == 20, "\(cut)")
        #expect(cut.message.contains("the first 16 of 20 compared"))

        // A TLSA question the server refuses (NSD does not serve elsewhere.test): unverified.
        let (refusedCode, refused, refusedText) = try check("elsewhere.test", resolver: nsd.address)
        #expect(refusedCode == 3, "\(refusedText)")
        #expect(refused.endpoints.first?.dane?.status == "lookup-failed")
        #expect(refused.findings.map(\.rule) == ["query-failed"] && refused.findings.first?.type == "TLSA", "\(refusedText)")

        // --xmpp-target without --resolver asks no DNS: DANE is not checked, and says why.
        let (_, unasked, unaskedText) = try check("ee.test", resolver: nil)
        #expect(unasked.endpoints.first?.dane?.status == "not-checked", "\(unaskedText)")
        #expect(unasked.endpoints.first?.dane?.reason?.contains("--resolver") == true)

        // The text report shows the verdict on the endpoint.
        let text = try run(fedplanBinary, ["cert", "check", factory.path("wrong.test.yaml"), "--xmpp-target", front.address,
                                           "--resolver", nsd.address, "--ca-file", factory.path("root.pem"), "--timeout", "3"])
        #expect(text.stdout.contains("DANE:    1 TLSA record at _5269._tcp.xmpp.wrong.test.: none matches the certificate"), "\(text.stdout)")
        #expect(text.stdout.contains("dane-tlsa-mismatch"))
    }
}
