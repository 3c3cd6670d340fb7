import FedplanCore
import Foundation
import Testing

/// `cert plan` and `ports plan`; the OpenSSL request configuration goes through the real
/// `openssl req`, and the SANs are read back from the CSR it makes.
@Suite(.ownThread) struct CertPlanTests {
    /// The CSR's subject, SANs and EKUs, as `openssl req -text` prints them.
    static func csr(from config: String, in folder: URL) throws -> (subject: String, sans: [String], text: String) {
        let configFile = folder.appendingPathComponent("edge.cnf")
        try config.write(to: configFile, atomically: true, encoding: .utf8)
        let made = try run("openssl", ["req", "-new", "-config", configFile.path, "-newkey", "rsa:2048", "-nodes",
                                       "-keyout", folder.appendingPathComponent("edge.key").path,
                                       "-out", folder.appendingPathComponent("edge.csr").path])
        #expect(made.code == 0, "openssl req: \(made.stderr)")
        let text = try run("openssl", ["req", "-in", folder.appendingPathComponent("edge.csr").path, "-noout", "-text",
                                       "-nameopt", "RFC2253,-esc_msb"]).stdout
        let subject = text.components(separatedBy: "\n").first { $0.contains("Subject:") }?
            .components(separatedBy: "Subject:").last?.trimmingCharacters(in: .whitespaces) ?? ""
        let lines = text.components(separatedBy: "\n")
        let sanLine = lines.firstIndex { $0.contains("X509v3 Subject Alternative Name") }.map { lines[$0 + 1] } ?? ""
        let sans = sanLine.components(separatedBy: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("DNS:") }.map { String($0.dropFirst(4)) }
        return (subject, sans, text)
    }

    @Test(arguments: ["lync2013", "sfb2015"])
    func openSSLConfigMakesACSRWithExactlyThePlannedNames(version: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let json = try fedplan("cert", "plan", example("dns-lb-pool"), "--server-version", version, "--format", "json")
        #expect(json.code == 0, "\(json.stderr)")
        let plan = try JSONDecoder().decode(CertificateRenderer.Document.self, from: Data(json.stdout.utf8))
        let config = try fedplan("cert", "plan", example("dns-lb-pool"), "--server-version", version, "--format", "openssl")
        let csr = try Self.csr(from: config.stdout, in: folder)
        #expect(csr.sans == plan.subject_alternative_names.map(\.name))
        #expect(csr.subject.contains("CN=sip.contoso.com") && csr.subject.contains("O=Contoso Ltd"), "\(csr.subject)")
        #expect(csr.text.contains("TLS Web Server Authentication") && !csr.text.contains("TLS Web Client Authentication"))
        let expected = version == "lync2013"
            ? ["sip.contoso.com", "webcon.contoso.com", "sip.fabrikam.com", "sip.northwind.example", "xmpp.contoso.com", "contoso.com"]
            : ["sip.contoso.com", "webcon.contoso.com", "sip.fabrikam.com", "sip.northwind.example", "xmpp.contoso.com", "*.contoso.com"]
        #expect(csr.sans == expected)
    }

    /// The client EKU only for AOL public IM; text from the description cannot break the config.
    @Test func clientEKUForAOLAndAHostileOrganization() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            organization: "Contoso # $HOME \\\\ \\" 'x' [ req ]"
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            federation:
              sip:
                partners:
                  - {domain: aol.com, kind: hosting_provider, public_im: true}
            """
        let file = folder.appendingPathComponent("aol.yaml")
        try description.write(to: file, atomically: true, encoding: .utf8)
        let config = try fedplan("cert", "plan", file.path, "--format", "openssl")
        #expect(config.code == 0, "\(config.stderr)")
        let csr = try Self.csr(from: config.stdout, in: folder)
        #expect(csr.text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), "\(csr.text)")
        #expect(csr.subject.contains(#"O=Contoso # $HOME \\ \" 'x' [ req ]"#), "\(csr.subject)")
        #expect(csr.sans == ["sip.contoso.com"])
    }
}

@Suite(.ownThread) struct PortsPlanTests {
    static func rules(_ example: String) throws -> [PortRenderer.RuleJSON] {
        let result = try fedplan("ports", "plan", FedplanCLITests.example(example), "--format", "json")
        #expect(result.code == 0, "\(result.stderr)")
        return try JSONDecoder().decode(PortRenderer.Document.self, from: Data(result.stdout.utf8)).rules
    }

    static func has(_ rules: [PortRenderer.RuleJSON], _ interface: String, _ proto: String, _ port: String, _ direction: String) -> Bool {
        rules.contains { $0.interface == interface && $0.protocol == proto && $0.port == port && $0.direction == direction }
    }

    @Test func onlyTheScenariosTheDescriptionEnables() throws {
        let single = try Self.rules("single-edge")
        #expect(Self.has(single, "external", "TCP", "5061", "inbound") && Self.has(single, "external", "TCP", "5061", "outbound"))
        #expect(!single.contains { $0.port == "5269" || $0.port == "23456" || $0.port == "3478" })
        let inbound = single.first { $0.port == "5061" && $0.direction == "inbound" }
        #expect(inbound?.destination.name == "sip.contoso.com" && inbound?.destination.addresses == ["131.107.155.10"])
        let pool = try Self.rules("dns-lb-pool")
        #expect(Self.has(pool, "external", "TCP", "5269", "inbound") && Self.has(pool, "internal", "TCP", "23456", "inbound"))
        #expect(Self.has(pool, "external", "UDP", "3478", "inbound") && Self.has(pool, "internal", "TCP", "5062", "inbound"))
        // adatum.com is an OCS 2007 partner: A/V federation needs the inbound media range.
        #expect(Self.has(pool, "external", "UDP", "50000-59999", "inbound"))
        #expect(pool.allSatisfy { !$0.reason.isEmpty })
    }

    @Test func csvHasOneQuotedRowPerRule() throws {
        let csv = try fedplan("ports", "plan", example("dns-lb-pool"), "--format", "csv").stdout
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == (try Self.rules("dns-lb-pool")).count + 1)
        #expect(rows[0] == #""interface","protocol","port","direction","source","destination","service","reason""#)
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") && $0.components(separatedBy: "\",\"").count == 8 })
    }
}

/// `dns plan --format dot | mermaid`: the DOT output is rendered by Graphviz, so it is proven
/// valid; the Mermaid output is checked for shape (no Mermaid renderer runs offline).
@Suite(.ownThread) struct TopologyTests {
    @Test(arguments: ["single-edge", "dns-lb-pool", "hosting"])
    func dotRendersWithGraphviz(example name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dot = try fedplan("dns", "plan", example(name), "--format", "dot")
        #expect(dot.code == 0 || dot.code == 1, "\(dot.stderr)")
        let file = folder.appendingPathComponent("t.dot")
        try dot.stdout.write(to: file, atomically: true, encoding: .utf8)
        let svg = try run("dot", ["-Tsvg", file.path])
        #expect(svg.code == 0 && svg.stderr.isEmpty, "dot: \(svg.stderr)")
        #expect(svg.stdout.contains("<svg") && svg.stdout.contains("<title>n0</title>"))
        if name == "dns-lb-pool" {
            // (Graphviz writes "-" as &#45; in SVG text.)
            for text in ["_sipfederationtls._tcp SRV", "5269", "jabber.example.org", "XMPP public unverified", "AAAA edge03", "2001:db8:155::12"] {
                #expect(svg.stdout.contains(text), "\(text) is in the picture")
            }
        }
    }

    @Test func mermaidNamesEveryNodeItLinks() throws {
        let mermaid = try fedplan("dns", "plan", example("dns-lb-pool"), "--format", "mermaid").stdout
        let lines = mermaid.components(separatedBy: "\n")
        #expect(lines.first == "flowchart LR")
        let defined = Set(lines.compactMap { line -> String? in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("n"), !t.contains("-->") else { return nil }
            return String(t.prefix { $0 != "[" && $0 != "(" && $0 != "{" })
        })
        let linked = lines.filter { $0.contains("-->") }.flatMap { line -> [String] in
            let parts = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " ")
            return [parts.first!, parts.last!]
        }
        #expect(!linked.isEmpty && Set(linked).isSubset(of: defined), "\(Set(linked).subtracting(defined))")
        #expect(mermaid.contains("-- \"5061\" -->") && mermaid.contains("{{\"adatum.com\"}}"))
    }

    /// Quotes and backslashes in the organization cannot end a label early in either syntax.
    @Test func hostileOrganizationStaysInsideItsLabel() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            organization: "Evil \\" ]; x -> y; \\\\ end"
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        let file = folder.appendingPathComponent("evil.yaml")
        try description.write(to: file, atomically: true, encoding: .utf8)
        let dot = try fedplan("dns", "plan", file.path, "--format", "dot").stdout
        let dotFile = folder.appendingPathComponent("evil.dot")
        try dot.write(to: dotFile, atomically: true, encoding: .utf8)
        let svg = try run("dot", ["-Tsvg", dotFile.path])
        #expect(svg.code == 0, "\(svg.stderr)")
        #expect(!svg.stdout.contains("<title>x</title>"), "no node x was injected")
        let mermaid = try fedplan("dns", "plan", file.path, "--format", "mermaid").stdout
        #expect(mermaid.contains("subgraph ours[\"Evil #quot; ]; x -> y; \\ end\"]"), "\(mermaid)")
    }
}
