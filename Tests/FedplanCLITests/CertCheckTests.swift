import FedplanCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Certificates made by `openssl` for one test run: a root CA, an intermediate, and leaves
/// signed by the intermediate with `openssl ca` (which can set any start and end date).
final class CertificateFactory {
    let folder: URL

    init() throws {
        folder = try temporaryFolder()
        try "".write(to: file("index.txt"), atomically: true, encoding: .utf8)
        try "1000\n".write(to: file("serial"), atomically: true, encoding: .utf8)
        try """
            [ ca ]
            default_ca = test
            [ test ]
            database = \(file("index.txt").path)
            new_certs_dir = \(folder.path)
            serial = \(file("serial").path)
            default_md = sha256
            policy = anything
            unique_subject = no
            [ anything ]
            commonName = supplied
            [ intermediate ]
            basicConstraints = critical, CA:true
            keyUsage = critical, keyCertSign, cRLSign
            """.write(to: file("ca.cnf"), atomically: true, encoding: .utf8)
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("root.key"), "-out", path("root.pem"),
                     "-days", "3650", "-subj", "/CN=fedplan test root",
                     "-addext", "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("intermediate.key"),
                     "-out", path("intermediate.csr"), "-subj", "/CN=fedplan test intermediate"])
        try openssl(["ca", "-batch", "-config", path("ca.cnf"), "-cert", path("root.pem"), "-keyfile", path("root.key"),
                     "-in", path("intermediate.csr"), "-out", path("intermediate.pem"), "-days", "3650",
                     "-extfile", path("ca.cnf"), "-extensions", "intermediate", "-notext"])
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    func file(_ name: String) -> URL { folder.appendingPathComponent(name) }
    func path(_ name: String) -> String { file(name).path }

    func openssl(_ arguments: [String]) throws {
        let result = try run("openssl", arguments)
        guard result.code == 0 else { throw Failure(text: "openssl \(arguments.joined(separator: " ")): \(result.stderr)") }
    }

    struct Failure: Error, CustomStringConvertible { let text: String; var description: String { text } }

    /// A leaf for `names`; returns the paths of its chain file (leaf + intermediate, or the leaf
    /// alone) and key. `start`/`end` are openssl dates (YYYYMMDDHHMMSSZ).
    func leaf(_ name: String, names: [String], eku: String = "serverAuth", start: String? = nil, end: String? = nil,
              selfSigned: Bool = false, withIntermediate: Bool = true) throws -> (chain: String, key: String) {
        let ext = "[ leaf ]\nbasicConstraints = CA:false\nkeyUsage = critical, digitalSignature, keyEncipherment\n"
            + "extendedKeyUsage = \(eku)\nsubjectAltName = " + names.map { "DNS:\($0)" }.joined(separator: ", ") + "\n"
        try ext.write(to: file("\(name).ext"), atomically: true, encoding: .utf8)
        if selfSigned {
            try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).pem"),
                         "-days", "365", "-subj", "/CN=\(names[0])", "-extensions", "leaf", "-config", configWith(ext)])
            return (path("\(name).pem"), path("\(name).key"))
        }
        try openssl(["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
                     "-subj", "/CN=\(names[0])"])
        var dates = ["-days", "365"]
        if let start, let end { dates = ["-startdate", start, "-enddate", end] } else if let end { dates = ["-enddate", end] }
        try openssl(["ca", "-batch", "-config", path("ca.cnf"), "-cert", path("intermediate.pem"), "-keyfile", path("intermediate.key"),
                     "-in", path("\(name).csr"), "-out", path("\(name).pem"), "-extfile", path("\(name).ext"),
                     "-extensions", "leaf", "-notext"] + dates)
        let leafText = try String(contentsOf: file("\(name).pem"), encoding: .utf8)
        let chain = withIntermediate ? leafText + (try String(contentsOf: file("intermediate.pem"), encoding: .utf8)) : leafText
        try chain.write(to: file("\(name)-chain.pem"), atomically: true, encoding: .utf8)
        return (path("\(name)-chain.pem"), path("\(name).key"))
    }

    private func configWith(_ ext: String) throws -> String {
        try ("[ req ]\ndistinguished_name = dn\n[ dn ]\n" + ext).write(to: file("selfsigned.cnf"), atomically: true, encoding: .utf8)
        return path("selfsigned.cnf")
    }

    /// An openssl date `days` from now.
    static func date(daysFromNow days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMddHHmmss'Z'"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }
}

/// `openssl s_server` (direct TLS, like the Access Edge on 5061) on a loopback port.
final class TLSServer: TestServer {
    let host: String
    let port: UInt16
    var address: String { "\(host):\(port)" }

    /// `chain`: the leaf, then any intermediates, which s_server sends with `-cert_chain`.
    init(chain: String, key: String, host: String = "127.0.0.1", port: UInt16 = freePort()) throws {
        self.host = host
        self.port = port
        try super.init()
        let pems = try String(contentsOfFile: chain, encoding: .utf8).components(separatedBy: "-----BEGIN CERTIFICATE-----")
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        var arguments = ["s_server", "-accept", "\(host):\(port)", "-cert", chain, "-key", key, "-www", "-quiet"]
        if pems.count > 1 {
            let extra = folder.appendingPathComponent("intermediates.pem")
            try pems.dropFirst().map { "-----BEGIN CERTIFICATE-----" + $0 }.joined().write(to: extra, atomically: true, encoding: .utf8)
            arguments += ["-cert_chain", extra.path]
        }
        try launch("openssl", arguments)
        try waitForPort(port, host: host)
    }
}

/// Tests/Fixtures/servers/xmppfront.py: XMPP STARTTLS, then TLS with the given chain.
final class XMPPFront: TestServer {
    let port = freePort()
    var address: String { "127.0.0.1:\(port)" }
    private let pipe = Pipe()

    init(chain: String, key: String, mode: String = "starttls") throws {
        try super.init()
        let script = packageRoot.appendingPathComponent("Tests/Fixtures/servers/xmppfront.py").path
        try launch("python3", [script, String(port), chain, key, mode], output: pipe.fileHandleForWriting)
        // The script's is the only write end: one that dies before "ready" ends the read below.
        try? pipe.fileHandleForWriting.close()
        guard String(decoding: pipe.fileHandleForReading.availableData, as: UTF8.self).contains("ready") else {
            stop()
            throw ServerDidNotStart(name: "xmppfront.py", log: log)
        }
    }
}

extension TestServer {
    /// Polls until something accepts TCP connections on the port (at most about 10 s).
    func waitForPort(_ port: UInt16, host: String = "127.0.0.1") throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr(host)
            address.sin_port = port.bigEndian
            let ok = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if ok == 0 { return }
            usleep(100_000)
        }
        stop()
        throw ServerDidNotStart(name: "TLS server", log: log)
    }
}

/// `cert check` against real TLS servers with good and bad certificates.
@Suite(.serialized) struct CertCheckTests {
    static let description = """
        version: 1
        organization: Contoso
        sip_domains: [contoso.com]
        edge:
          access_edge: sip.contoso.com
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        federation:
          xmpp:
            domains: [contoso.com]
            proxy: xmpp.contoso.com
        """
    static let goodNames = ["sip.contoso.com", "xmpp.contoso.com", "contoso.com"]

    /// A description with SIP federation only, whose endpoints come from DNS: sip.contoso.com:5061.
    static func sipOnly(in factory: CertificateFactory) throws -> URL {
        let file = factory.file("sip-only.yaml")
        try """
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func check(_ factory: CertificateFactory, sip: String? = nil, xmpp: String? = nil,
               extra: [String] = []) throws -> (Int32, CertificateCheckRenderer.Document?, String) {
        let file = factory.file("fedplan.yaml")
        try Self.description.write(to: file, atomically: true, encoding: .utf8)
        var arguments = ["cert", "check", file.path, "--ca-file", factory.path("root.pem"), "--timeout", "3", "--format", "json"]
        if let sip { arguments += ["--target", sip] }
        if let xmpp { arguments += ["--xmpp-target", xmpp] }
        let result = try run(fedplanBinary, arguments + extra)
        let doc = try? JSONDecoder().decode(CertificateCheckRenderer.Document.self, from: Data(result.stdout.utf8))
        return (result.code, doc, result.stdout + result.stderr)
    }

    @Test func goodCertificatesOnBothEndpoints() throws {
        let factory = try CertificateFactory()
        let good = try factory.leaf("good", names: Self.goodNames)
        let sip = try TLSServer(chain: good.chain, key: good.key)
        defer { sip.stop() }
        let xmpp = try XMPPFront(chain: good.chain, key: good.key)
        defer { xmpp.stop() }
        let (code, doc, output) = try check(factory, sip: sip.address, xmpp: xmpp.address)
        let report = try #require(doc, "\(output)")
        #expect(code == 0, "\(output)")
        #expect(report.findings.isEmpty)
        #expect(report.endpoints.map(\.status) == ["ok", "ok"])
        #expect(report.endpoints.allSatisfy { $0.trust == "trusted" && $0.chain.count == 2 })
        #expect(report.endpoints[1].chain[0].dns_names == Self.goodNames)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let rules: [String]
        let code: Int32
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "expired", rules: ["cert-expired"], code: 1),
        Case(name: "expiring", rules: ["cert-expiring"], code: 0),
        Case(name: "wrong-name", rules: ["cert-name-missing"], code: 1),
        Case(name: "self-signed", rules: ["cert-self-signed"], code: 1),
        Case(name: "no-intermediate", rules: ["cert-chain-incomplete"], code: 1),
        Case(name: "client-eku", rules: ["cert-eku-missing"], code: 1),
    ]

    /// Each bad certificate, presented on 5061-style TLS and behind XMPP STARTTLS.
    @Test(arguments: cases)
    func badCertificate(_ c: Case) throws {
        let factory = try CertificateFactory()
        let cert: (chain: String, key: String)
        switch c.name {
        case "expired":
            cert = try factory.leaf(c.name, names: Self.goodNames, start: "20200101000000Z", end: "20210101000000Z")
        case "expiring":
            cert = try factory.leaf(c.name, names: Self.goodNames, end: CertificateFactory.date(daysFromNow: 10))
        case "wrong-name": cert = try factory.leaf(c.name, names: ["edge.contoso.com"])
        case "self-signed": cert = try factory.leaf(c.name, names: Self.goodNames, selfSigned: true)
        case "no-intermediate": cert = try factory.leaf(c.name, names: Self.goodNames, withIntermediate: false)
        default: cert = try factory.leaf(c.name, names: Self.goodNames, eku: "clientAuth")
        }
        let sip = try TLSServer(chain: cert.chain, key: cert.key)
        defer { sip.stop() }
        let xmpp = try XMPPFront(chain: cert.chain, key: cert.key)
        defer { xmpp.stop() }
        let (code, doc, output) = try check(factory, sip: sip.address, xmpp: xmpp.address)
        let report = try #require(doc, "\(output)")
        #expect(code == c.code, "\(c.name): \(output)")
        #expect(Set(report.findings.map(\.rule)) == Set(c.rules), "\(c.name): \(report.findings.map(\.message))")
        for endpoint in ["SIP federation", "XMPP federation"] {
            #expect(report.findings.contains { $0.message.hasPrefix(endpoint) }, "\(c.name) found on \(endpoint)")
        }
        if c.name == "wrong-name" {
            let missing = Set(report.findings.compactMap(\.expected))
            #expect(missing == ["sip.contoso.com", "xmpp.contoso.com", "contoso.com"], "\(missing)")
        }
        if c.name == "wrong-name" {  // the CI formats carry the same verdict
            let junit = try run(fedplanBinary, ["cert", "check", factory.path("fedplan.yaml"), "--ca-file", factory.path("root.pem"),
                                                "--target", sip.address, "--xmpp-target", xmpp.address, "--format", "junit"])
            let xml = try XMLDocument(xmlString: junit.stdout)
            #expect(try xml.nodes(forXPath: "//testcase/failure[@type='cert-name-missing']").count == 2, "\(junit.stdout)")
            let github = try run(fedplanBinary, ["cert", "check", factory.path("fedplan.yaml"), "--ca-file", factory.path("root.pem"),
                                                 "--target", sip.address, "--format", "github"])
            #expect(github.stdout.hasPrefix("::error file=") && github.stdout.contains("title=cert-name-missing"), "\(github.stdout)")
        }
        if c.name == "expiring" {
            let strict = try check(factory, sip: sip.address, xmpp: xmpp.address, extra: ["--strict"])
            #expect(strict.0 == 1)
            // JUnit's verdict is the exit code's: with --strict the warnings fail their test
            // cases; without, they pass and say the warning in <system-out>.
            func junit(_ extra: [String]) throws -> (code: Int32, xml: XMLDocument, text: String) {
                let r = try run(fedplanBinary, ["cert", "check", factory.path("fedplan.yaml"), "--ca-file", factory.path("root.pem"),
                                                "--target", sip.address, "--xmpp-target", xmpp.address, "--format", "junit"] + extra)
                return (r.code, try XMLDocument(xmlString: r.stdout), r.stdout)
            }
            let failing = try junit(["--strict"])
            #expect(failing.code == 1)
            #expect(try failing.xml.nodes(forXPath: "//testcase/failure[@type='cert-expiring']").count == 2, "\(failing.text)")
            #expect(failing.text.contains("message=\"warning (--strict): "), "\(failing.text)")
            let passing = try junit([])
            #expect(passing.code == 0)
            #expect(try passing.xml.nodes(forXPath: "//testcase/failure").isEmpty, "\(passing.text)")
            #expect(try passing.xml.nodes(forXPath: "//testcase/system-out").count == 2, "\(passing.text)")
            #expect(passing.text.contains("<system-out>warning: [cert-expiring] "), "\(passing.text)")
        }
    }

    @Test func unreachableAndNonTLSEndpointsAreUnverified() throws {
        let factory = try CertificateFactory()
        let good = try factory.leaf("good", names: Self.goodNames)
        let plain = try XMPPFront(chain: good.chain, key: good.key, mode: "no-starttls")
        defer { plain.stop() }
        let closed = "127.0.0.1:\(freePort())"
        let (code, doc, output) = try check(factory, sip: closed, xmpp: plain.address)
        let report = try #require(doc, "\(output)")
        #expect(code == 3, "\(output)")
        #expect(report.findings.allSatisfy { $0.rule == "cert-check-failed" })
        #expect(report.findings.contains { $0.message.contains("cannot connect") })
        #expect(report.findings.contains { $0.message.contains("does not offer STARTTLS") })
        #expect(report.summary.unverified == 2)
    }

    /// Without --target the endpoints come from DNS (through ldns): every address of the SRV
    /// target is checked on the planned port, so one bad server of a pool shows.
    @Test func everyAddressOfTheTargetIsChecked() throws {
        let factory = try CertificateFactory()
        let good = try factory.leaf("good", names: Self.goodNames)
        let old = try factory.leaf("old", names: Self.goodNames, start: "20200101000000Z", end: "20210101000000Z")
        let zone = """
            $ORIGIN contoso.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            sip IN A 127.0.0.5
            sip IN A 127.0.0.6
            """
        let nsd = try NSDServer(zones: ["contoso.com": zone])
        defer { nsd.stop() }
        let first = try TLSServer(chain: good.chain, key: good.key, host: "127.0.0.5", port: 5061)
        defer { first.stop() }
        let second = try TLSServer(chain: old.chain, key: old.key, host: "127.0.0.6", port: 5061)
        defer { second.stop() }
        let file = try Self.sipOnly(in: factory)
        let result = try run(fedplanBinary, ["cert", "check", file.path, "--resolver", nsd.address, "--ca-file", factory.path("root.pem"),
                                             "--format", "json"])
        let report = try #require(try? JSONDecoder().decode(CertificateCheckRenderer.Document.self, from: Data(result.stdout.utf8)),
                                  "\(result.stdout) \(result.stderr)")
        #expect(result.code == 1)
        #expect(report.endpoints.map(\.address).sorted() == ["127.0.0.5", "127.0.0.6"])
        #expect(report.findings.map(\.rule) == ["cert-expired"])
        #expect(report.findings.first?.server == "127.0.0.6:5061")
    }

    /// A server that accepts and then says nothing costs one timeout, not a hang.
    @Test func stalledXMPPServerEndsAtTheTimeout() throws {
        let factory = try CertificateFactory()
        let good = try factory.leaf("good", names: Self.goodNames)
        let stalled = try XMPPFront(chain: good.chain, key: good.key, mode: "stall")
        defer { stalled.stop() }
        let (code, doc, output) = try check(factory, xmpp: stalled.address, extra: ["--timeout", "1"])
        #expect(code == 3, "\(output)")
        #expect(doc?.findings.first?.message.contains("within the timeout") == true, "\(output)")
    }

    /// `--deadline` bounds the whole check: endpoints that all stall cost the deadline, not the
    /// timeout once each; those not reached say so and count as unverified.
    @Test func theDeadlineBoundsManyStalledEndpoints() throws {
        let factory = try CertificateFactory()
        let good = try factory.leaf("good", names: Self.goodNames)
        let stalled = try XMPPFront(chain: good.chain, key: good.key, mode: "stall")
        defer { stalled.stop() }
        let targets = Array(repeating: ["--xmpp-target", stalled.address], count: 5).flatMap { $0 }
        let (code, doc, output) = try check(factory, extra: ["--timeout", "1", "--deadline", "1.5"] + targets)
        let report = try #require(doc, "\(output)")
        #expect(code == 3, "\(output)")
        #expect(report.findings.count == 5 && report.findings.allSatisfy { $0.rule == "cert-check-failed" })
        let notReached = report.findings.filter { $0.message.contains("the deadline of 1.5 s passed (--deadline)") }
        #expect(notReached.count >= 3, "\(report.findings.map(\.message))")
        #expect(report.summary.unverified == 5)
    }

    /// A host with 20 addresses (and one of them twice): 8 distinct addresses are tried.
    @Test func atMostEightAddressesPerHostAreTried() throws {
        let factory = try CertificateFactory()
        let records = (10..<30).map { "sip IN A 127.0.0.\($0)" } + ["sip IN A 127.0.0.10"]
        let zone = """
            $ORIGIN contoso.com.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            \(records.joined(separator: "\n"))
            """
        let nsd = try NSDServer(zones: ["contoso.com": zone])
        defer { nsd.stop() }
        let file = try Self.sipOnly(in: factory)
        let result = try run(fedplanBinary, ["cert", "check", file.path, "--resolver", nsd.address, "--ca-file", factory.path("root.pem"),
                                             "--timeout", "1", "--format", "json"])
        let report = try #require(try? JSONDecoder().decode(CertificateCheckRenderer.Document.self, from: Data(result.stdout.utf8)),
                                  "\(result.stdout) \(result.stderr)")
        #expect(result.code == 3)
        let addresses = report.endpoints.map(\.address)
        #expect(addresses.count == 8 && Set(addresses).count == 8, "\(addresses)")
        #expect(addresses.allSatisfy { $0.hasPrefix("127.0.0.") })
    }
}
