#if canImport(FoundationXML)
import FoundationXML
#endif
import FedplanCore
import Foundation
import Testing

/// One classic mistake per zone, served by a real NSD, checked directly and through Unbound.
struct Scenario: Sendable, CustomTestStringConvertible {
    let name: String
    /// The records of the zone `<name>.test` besides SOA and NS (`D` stands for the domain).
    let zone: String
    /// Extra Edge servers for the description (the first, edge01, is 131.107.155.10).
    var extraServers: [String] = []
    /// (rule, owner) pairs, owners relative to the domain (`@` for the apex).
    let expected: [(String, String)]
    /// Only an authoritative answer shows a smaller TTL (a resolver's cache counts down).
    var authoritativeOnly = false

    var testDescription: String { name }
    var domain: String { "\(name).test" }

    var description: String {
        var servers = "    - {name: edge01, access_ip: [131.107.155.10]}\n"
        for (i, ip) in extraServers.enumerated() { servers += "    - {name: edge0\(i + 2), access_ip: [\(ip)]}\n" }
        return """
            version: 1
            sip_domains: [\(domain)]
            edge:
              access_edge: sip.\(domain)
              servers:
            \(servers)
            """
    }

    var zoneText: String {
        let d = domain
        return """
            $ORIGIN \(d).
            $TTL 3600
            @ IN SOA ns1 hostmaster 2026112101 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            \(zone.replacingOccurrences(of: "D", with: d))
            """
    }

    func expectedFindings() -> Set<String> {
        Set(expected.map { "\($0.0) \($0.1 == "@" ? domain : "\($0.1).\(domain)")." })
    }
}

let good = "_sipfederationtls._tcp IN SRV 0 0 5061 sip.D.\nsip IN A 131.107.155.10"

let scenarios: [Scenario] = [
    Scenario(name: "exact", zone: good, expected: []),
    Scenario(name: "srv-nxdomain", zone: "sip IN A 131.107.155.10",
             expected: [("record-missing", "_sipfederationtls._tcp")]),
    Scenario(name: "srv-nodata", zone: "_sipfederationtls._tcp IN TXT \"oops\"\nsip IN A 131.107.155.10",
             expected: [("record-missing", "_sipfederationtls._tcp")]),
    Scenario(name: "port", zone: "_sipfederationtls._tcp IN SRV 0 0 5060 sip.D.\nsip IN A 131.107.155.10",
             expected: [("srv-port-mismatch", "_sipfederationtls._tcp")]),
    Scenario(name: "weight", zone: "_sipfederationtls._tcp IN SRV 10 5 5061 sip.D.\nsip IN A 131.107.155.10",
             expected: [("srv-priority-weight-mismatch", "_sipfederationtls._tcp")]),
    Scenario(name: "disabled", zone: "_sipfederationtls._tcp IN SRV 0 0 0 .\nsip IN A 131.107.155.10",
             expected: [("srv-target-disabled", "_sipfederationtls._tcp")]),
    Scenario(name: "extra", zone: good + "\n_sipfederationtls._tcp IN SRV 0 0 5061 oldedge.D.\noldedge IN A 131.107.155.99",
             expected: [("srv-unexpected-target", "_sipfederationtls._tcp")]),
    Scenario(name: "mismatch", zone: "_sipfederationtls._tcp IN SRV 0 0 5061 edge.D.\nedge IN A 131.107.155.10\nsip IN A 131.107.155.10",
             expected: [("srv-target-mismatch", "_sipfederationtls._tcp")]),
    Scenario(name: "trailing-dot", zone: "$ORIGIN D.\n_sipfederationtls._tcp IN SRV 0 0 5061 sip.D\nsip IN A 131.107.155.10",
             expected: [("srv-target-mismatch", "_sipfederationtls._tcp"), ("srv-target-no-address", "_sipfederationtls._tcp")]),
    Scenario(name: "cname", zone: "_sipfederationtls._tcp IN SRV 0 0 5061 sip.D.\nsip IN CNAME edge01.D.\nedge01 IN A 131.107.155.10",
             expected: [("srv-target-cname", "_sipfederationtls._tcp")]),
    Scenario(name: "no-address", zone: "_sipfederationtls._tcp IN SRV 0 0 5061 sip.D.\nsip IN TXT \"no address\"",
             expected: [("srv-target-no-address", "_sipfederationtls._tcp"), ("record-missing", "sip")]),
    Scenario(name: "stale", zone: good + "\nsip IN A 131.107.155.99",
             expected: [("address-unexpected", "sip")]),
    Scenario(name: "partial", zone: good, extraServers: ["131.107.155.11"],
             expected: [("address-missing", "sip")]),
    Scenario(name: "private", zone: good + "\nsip IN A 10.0.0.5",
             expected: [("address-unexpected", "sip"), ("address-private", "sip")]),
    Scenario(name: "ttl", zone: "_sipfederationtls._tcp 300 IN SRV 0 0 5061 sip.D.\nsip IN A 131.107.155.10",
             expected: [("ttl-mismatch", "_sipfederationtls._tcp")], authoritativeOnly: true),
]

func checkJSON(_ arguments: [String], in folder: URL) throws -> (Int32, CheckRenderer.Document?, String) {
    let result = try run(fedplanBinary, ["dns", "check"] + arguments + ["--format", "json"], in: folder)
    let doc = try? JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
    return (result.code, doc, result.stderr + result.stdout)
}

@Suite(.serialized, .ownThread) struct LiveCheckTests {
    /// Writes each scenario's description to `<name>.yaml` in a folder.
    static func descriptions() throws -> URL {
        let folder = try temporaryFolder()
        for s in scenarios { try s.description.write(to: folder.appendingPathComponent("\(s.name).yaml"), atomically: true, encoding: .utf8) }
        return folder
    }

    static func verify(_ s: Scenario, resolver: String, authoritative: Bool, in folder: URL) throws {
        let (code, doc, output) = try checkJSON(["\(s.name).yaml", "--resolver", resolver], in: folder)
        let report = try #require(doc, "\(s.name): no JSON: \(output)")
        let expected = authoritative || !s.authoritativeOnly ? s.expectedFindings() : []
        let found = Set(report.findings.map { "\($0.rule) \($0.name)" })
        #expect(found == expected, "\(s.name) via \(resolver)")
        let errors = report.findings.contains { $0.severity == "error" }
        #expect(code == (errors ? 1 : 0), "\(s.name): exit \(code)")
        #expect(report.summary.unverified == 0)
        #expect(report.findings.allSatisfy { $0.server == resolver && $0.fix != nil })
        if s.name == "trailing-dot" {
            #expect(report.findings.first?.message.contains("missing trailing dot") == true)
        }
    }

    @Test func everyMistakeThroughNSDAndUnbound() throws {
        let folder = try Self.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: Dictionary(uniqueKeysWithValues: scenarios.map { ($0.domain, $0.zoneText) }))
        defer { nsd.stop() }
        for s in scenarios { try Self.verify(s, resolver: nsd.address, authoritative: true, in: folder) }
        let unbound = try UnboundServer(stubZones: scenarios.map(\.domain), to: nsd)
        defer { unbound.stop() }
        for s in scenarios { try Self.verify(s, resolver: unbound.address, authoritative: false, in: folder) }
    }

    /// NSD serving the single-edge example's zone as `dns export` writes it.
    static func singleEdgeNSD(ipv6: Bool = false) throws -> NSDServer {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try fedplan("dns", "export", FedplanCLITests.example("single-edge"), "-o", out.path + "/").code == 0)
        let zone = try String(contentsOf: out.appendingPathComponent("contoso.com.zone"), encoding: .utf8)
        return try NSDServer(zones: ["contoso.com": ExportTests.completeZone("contoso.com", snippet: zone)], ipv6: ipv6)
    }

    /// `--resolver localhost:PORT`, as dig takes `@localhost`: the name is resolved once (from
    /// /etc/hosts here) and every address is asked; NSD listens on 127.0.0.1 and ::1 alike.
    @Test func resolverByHostName() throws {
        let nsd = try Self.singleEdgeNSD(ipv6: true)
        defer { nsd.stop() }
        let result = try fedplan("dns", "check", FedplanCLITests.example("single-edge"), "--resolver", "localhost:\(nsd.port)")
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("2 records: 2 ok"), "\(result.stdout)")
        let unknown = try fedplan("dns", "check", FedplanCLITests.example("single-edge"), "--resolver", "no-such-host.invalid")
        #expect(unknown.code == 2 && unknown.stderr.contains("--resolver"), "\(unknown.stderr)")
    }

    /// `--timings`: one line on standard error with each phase and the number of queries;
    /// standard output is the report alone.
    @Test func timingsGoToStandardError() throws {
        let nsd = try Self.singleEdgeNSD()
        defer { nsd.stop() }
        let result = try fedplan("dns", "check", FedplanCLITests.example("single-edge"), "--resolver", nsd.address,
                                 "--format", "json", "--timings")
        #expect(result.code == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{") && !result.stdout.contains("timings"))
        // SRV and A planned, then the SRV target's AAAA (its A was asked already), and the
        // zone's DNSKEY set (DNSSEC: one question per zone, docs/dnssec.md).
        let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("timings: ") }, "\(result.stderr)")
        for part in ["load and plan ", "; queries ", " queries, ", " per second); checking and report ", "; total "] {
            #expect(line.contains(part), "\(line)")
        }
        #expect(line.contains("(4 queries,"), "\(line)")
    }

    @Test func aResolverGivenTwiceIsAskedAndReportedOnce() throws {
        let nsd = try Self.singleEdgeNSD()
        defer { nsd.stop() }
        let result = try fedplan("dns", "check", FedplanCLITests.example("single-edge"), "--resolver", nsd.address,
                                 "--resolver", nsd.address, "--format", "json", "--timings")
        #expect(result.code == 0, "\(result.stderr)")
        let doc = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((doc["servers"] as? [String]) == [nsd.address], "\(doc["servers"] ?? "none")")
        // The same 4 questions as with one resolver (3 and the zone's DNSKEY set): none asked twice.
        #expect(result.stderr.contains("(4 queries,"), "\(result.stderr)")
    }

    @Test func exportedZonesCheckClean() throws {
        // The export of each example, served by NSD, must check with exit 0 and no finding.
        for example in ["single-edge", "dns-lb-pool"] {
            let out = try temporaryFolder()
            defer { try? FileManager.default.removeItem(at: out) }
            #expect(try fedplan("dns", "export", FedplanCLITests.example(example), "-o", out.path + "/").code == 0)
            var zones: [String: String] = [:]
            for file in try FileManager.default.contentsOfDirectory(atPath: out.path) where file.hasSuffix(".zone") {
                let zone = String(file.dropLast(5))
                zones[zone] = ExportTests.completeZone(zone, snippet: try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8))
            }
            let nsd = try NSDServer(zones: zones, ipv6: true)
            defer { nsd.stop() }
            for resolver in [nsd.address, "[::1]:\(nsd.port)"] {
                let (code, doc, output) = try checkJSON([FedplanCLITests.example(example), "--resolver", resolver], in: packageRoot)
                #expect(code == 0, "\(example) via \(resolver): \(output)")
                #expect(doc?.findings.isEmpty == true)
                #expect(doc?.summary.ok == doc?.summary.records)
            }
            let tcp = try checkJSON([FedplanCLITests.example(example), "--resolver", nsd.address, "--tcp"], in: packageRoot)
            #expect(tcp.0 == 0, "--tcp: \(tcp.2)")
        }
    }

    @Test func resolversThatDisagree() throws {
        let folder = try Self.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = scenarios[0]
        let right = try NSDServer(zones: [s.domain: s.zoneText])
        defer { right.stop() }
        let stale = try NSDServer(zones: [s.domain: s.zoneText + "\nsip IN A 131.107.155.99"])
        defer { stale.stop() }
        let (code, doc, _) = try checkJSON(["\(s.name).yaml", "--resolver", right.address, "--resolver", stale.address], in: folder)
        let report = try #require(doc)
        #expect(code == 1)
        #expect(report.servers == [right.address, stale.address])
        #expect(report.findings.contains { $0.rule == "servers-disagree" && $0.name == "sip.\(s.domain)." && $0.type == "A" })
        #expect(report.findings.contains { $0.rule == "address-unexpected" && $0.server == stale.address })
        #expect(!report.findings.contains { $0.rule == "address-unexpected" && $0.server == right.address })
    }
}

@Suite(.serialized, .ownThread) struct CheckFormatTests {
    static func withStaleZone(_ body: (URL, NSDServer) throws -> Void) throws {
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = scenarios.first { $0.name == "stale" }!
        // A TXT record with control characters sits beside the data: nothing of it may reach
        // the output raw.
        let nsd = try NSDServer(zones: [s.domain: s.zoneText + "\nsip IN TXT \"\\027[31mred\\007\""])
        defer { nsd.stop() }
        try body(folder, nsd)
    }

    @Test func junitIsValidXMLWithOneCasePerRecord() throws {
        try Self.withStaleZone { folder, nsd in
            let result = try run(fedplanBinary, ["dns", "check", "stale.yaml", "--resolver", nsd.address, "--format", "junit"], in: folder)
            #expect(result.code == 1)
            let xml = try XMLDocument(data: Data(result.stdout.utf8))
            let cases = try xml.nodes(forXPath: "//testcase")
            // The two planned records and the stray one, a test case of its own.
            #expect(cases.count == 3)
            let failures = try xml.nodes(forXPath: "//testcase/failure[@type='address-unexpected']")
            #expect(failures.count == 1)
            #expect(try xml.nodes(forXPath: "/testsuites/@failures").first?.stringValue == "1")
        }
    }

    @Test func githubAnnotationsPointAtTheDescription() throws {
        try Self.withStaleZone { folder, nsd in
            let result = try run(fedplanBinary, ["dns", "check", "stale.yaml", "--resolver", nsd.address, "--format", "github"], in: folder)
            #expect(result.code == 1)
            let lines = result.stdout.split(separator: "\n")
            #expect(lines.count == 2, "one annotation, then the summary notice")
            #expect(lines[0].hasPrefix("::error file=stale.yaml,line=6,title=address-unexpected sip.stale.test. A::131.107.155.99 is published"))
            #expect(lines.last?.hasPrefix("::notice title=fedplan dns check::2 records: 2 ok, 1 error") == true, "\(lines)")
        }
    }

    @Test func textGroupsByZoneAndNamesTheFix() throws {
        try Self.withStaleZone { folder, nsd in
            let result = try run(fedplanBinary, ["dns", "check", "stale.yaml", "--resolver", nsd.address], in: folder)
            #expect(result.code == 1)
            #expect(result.stdout.contains("\nstale.test.\n  error   sip.stale.test. A  131.107.155.99 is published but not planned"))
            #expect(result.stdout.contains("fix: remove `sip.stale.test. IN A 131.107.155.99`"))
            #expect(result.stdout.hasSuffix("2 records: 2 ok, 1 error, 0 warnings, 0 notices, 0 unverified\n"))
            #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{7}"))
        }
    }

    /// More of `-q` in CheckFlagTests.
    @Test func quietPrintsOnlyErrors() throws {
        try Self.withStaleZone { folder, nsd in
            let result = try run(fedplanBinary, ["dns", "check", "stale.yaml", "--resolver", nsd.address, "--quiet"], in: folder)
            #expect(result.code == 1)
            #expect(result.stdout.contains("[address-unexpected]"))
            #expect(!result.stdout.contains("ok:") && !result.stdout.contains("DNS check of") && !result.stdout.contains("records:"))
        }
    }

    @Test func noResolverAvailableIsAnInputError() throws {
        let result = try fedplan("dns", "check", example("single-edge"), "--resolver", "not-an-ip")
        #expect(result.code == 2)
        let zoneFile = try fedplan("dns", "check", example("single-edge"), "--zone-file", "missing.zone")
        #expect(zoneFile.code == 2 && zoneFile.stderr.contains("missing.zone: error: cannot read the zone file (No such file"))
        let mixed = try fedplan("dns", "check", example("single-edge"), "--zone-file", "x.zone", "--resolver", "127.0.0.1")
        #expect(mixed.code == 2 && mixed.stderr.contains("cannot be combined with --resolver"))
    }
}

extension CheckFormatTests {
    @Test func hostileNamesNeverReachTheTerminalRaw() throws {
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = scenarios[0]
        // An extra SRV target whose name carries ESC [ 3 1 m and BEL, as ldns-escaped bytes.
        let nsd = try NSDServer(zones: [s.domain: s.zoneText + "\n_sipfederationtls._tcp IN SRV 0 0 5061 evil\\027[31m\\007.D."
            .replacingOccurrences(of: "D.", with: "\(s.domain).")])
        defer { nsd.stop() }
        for format in ["text", "json", "junit", "github"] {
            let result = try run(fedplanBinary, ["dns", "check", "\(s.name).yaml", "--resolver", nsd.address, "--format", format],
                                 in: folder)
            #expect(result.code == 1, "\(format)")
            #expect(result.stdout.contains("srv-unexpected-target"), "\(format)")
            #expect(!result.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(format) carries a control character")
        }
    }
}
