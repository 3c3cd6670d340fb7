import FedplanCore
import Foundation
import Testing

/// The daily-use flags of `dns check`, against real NSD: `-q`, `--debug`, `--zone`, `-4`/`-6`.
@Suite(.serialized, .ownThread) struct CheckFlagTests {
    /// `-q` as `named-checkzone -q` and `kzonecheck`: nothing at all when all is well; the
    /// findings alone otherwise (no header, no summary, no leading blank line); the exit code
    /// tells in both cases.
    @Test func quietPrintsNothingWhenAllIsWell() throws {
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let exact = scenarios.first { $0.name == "exact" }!, stale = scenarios.first { $0.name == "stale" }!
        let weight = scenarios.first { $0.name == "weight" }!
        let nsd = try NSDServer(zones: Dictionary(uniqueKeysWithValues: [exact, stale, weight].map { ($0.domain, $0.zoneText) }))
        defer { nsd.stop() }
        for flag in ["-q", "--quiet"] {
            let clean = try run(fedplanBinary, ["dns", "check", "exact.yaml", "--resolver", nsd.address, flag], in: folder)
            #expect(clean.code == 0 && clean.stdout.isEmpty && clean.stderr.isEmpty, "\(flag): \(clean.stdout)\(clean.stderr)")
        }
        let wrong = try run(fedplanBinary, ["dns", "check", "stale.yaml", "--resolver", nsd.address, "-q"], in: folder)
        #expect(wrong.code == 1)
        #expect(wrong.stdout.hasPrefix("stale.test.\n  error   sip.stale.test. A  131.107.155.99 is published but not planned"),
                "\(wrong.stdout)")
        #expect(wrong.stdout.contains("[address-unexpected]") && !wrong.stdout.contains("records:"), "\(wrong.stdout)")
        // A warning fails only with --strict, and is shown only then.
        let warned = try run(fedplanBinary, ["dns", "check", "weight.yaml", "--resolver", nsd.address, "-q"], in: folder)
        #expect(warned.code == 0 && warned.stdout.isEmpty, "\(warned.stdout)")
        let strict = try run(fedplanBinary, ["dns", "check", "weight.yaml", "--resolver", nsd.address, "-q", "--strict"], in: folder)
        #expect(strict.code == 1 && strict.stdout.hasPrefix("weight.test.\n") && strict.stdout.contains("[srv-priority-weight-mismatch]"),
                "\(strict.stdout)")
        // Nothing answers: the failed queries are shown, exit 3.
        let silent = try run(fedplanBinary, ["dns", "check", "exact.yaml", "--resolver", "127.0.0.1:\(freePort())", "-q",
                                             "--timeout", "0.2", "--retries", "0"], in: folder)
        #expect(silent.code == 3 && silent.stdout.hasPrefix("exact.test.\n") && silent.stdout.contains("[query-failed]"),
                "\(silent.stdout)")
    }

    /// `--debug`: each query and each reply on standard error, one line each, as kdig shows them;
    /// standard output is the report alone. A name from an answer is escaped.
    @Test func debugShowsEachQueryAndAnswer() throws {
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let s = scenarios[0]
        // A second SRV target whose name carries ESC [ 3 1 m and BEL: its addresses are asked too.
        let nsd = try NSDServer(zones: [s.domain: s.zoneText + "\n_sipfederationtls._tcp IN SRV 0 0 5061 evil\\027[31m\\007.\(s.domain)."])
        defer { nsd.stop() }
        let result = try run(fedplanBinary, ["dns", "check", "\(s.name).yaml", "--resolver", nsd.address, "--debug",
                                             "--format", "json"], in: folder)
        #expect(result.code == 1, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("{") && !result.stdout.contains(";;"))
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let server = "127.0.0.1@\(nsd.port)(UDP)"
        let srvQuery = try #require(lines.first { $0.hasPrefix(";; query \(server) id ") && $0.contains(": _sipfederationtls._tcp.exact.test. IN SRV; flags: rd; EDNS: do, udp 1232") }, "\(lines)")
        let id = srvQuery.split(separator: " ")[4].dropLast()
        let srvReply = try #require(lines.first { $0.hasPrefix(";; reply \(server) id \(id) in ") }, "\(lines)")
        #expect(srvReply.contains(" ms: _sipfederationtls._tcp.exact.test. IN SRV; status: NOERROR; flags: qr aa rd; ANSWER: 2, AUTHORITY: "),
                "\(srvReply)")
        #expect(srvReply.hasSuffix(" B"), "\(srvReply)")
        // Every query has its reply; the follow-ups ask the SRV targets' addresses.
        #expect(lines.filter { $0.hasPrefix(";; query ") }.count == lines.filter { $0.hasPrefix(";; reply ") }.count)
        #expect(lines.contains { $0.hasPrefix(";; reply ") && $0.contains(": evil\\027[31m\\007.exact.test. IN A; status: NXDOMAIN") },
                "\(lines)")
        #expect(!result.stderr.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a control character on stderr")
        // Without --debug, not a line of it.
        let plain = try run(fedplanBinary, ["dns", "check", "\(s.name).yaml", "--resolver", nsd.address], in: folder)
        #expect(!plain.stderr.contains(";;") && !plain.stdout.contains(";;"))
        // A server that never answers: each try's timeout is a line.
        let dead = try run(fedplanBinary, ["dns", "check", "\(s.name).yaml", "--resolver", "127.0.0.1:\(freePort())", "--debug",
                                           "--timeout", "0.2", "--retries", "1"], in: folder)
        #expect(dead.code == 3)
        #expect(dead.stderr.contains(": _sipfederationtls._tcp.exact.test. IN SRV: no answer within 0.2 s\n"), "\(dead.stderr)")
        #expect(dead.stderr.contains(": _sipfederationtls._tcp.exact.test. IN SRV: no answer within 0.2 s (try 2)\n"), "\(dead.stderr)")
    }

    /// `--zone` (repeatable): only those zones' records are checked; a zone the plan does not
    /// have is exit 2 with the zone it probably meant, as `dns export --zone`.
    @Test func zoneChecksOnlyTheZonesNamed() throws {
        let out = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: out) }
        let pool = example("dns-lb-pool")
        #expect(try fedplan("dns", "export", pool, "-o", out.path + "/").code == 0)
        var zones: [String: String] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: out.path) where file.hasSuffix(".zone") {
            let zone = String(file.dropLast(5))
            zones[zone] = ExportTests.completeZone(zone, snippet: try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8))
        }
        #expect(zones.count == 3)
        let nsd = try NSDServer(zones: zones)
        defer { nsd.stop() }
        let all = try checkJSON([pool, "--resolver", nsd.address], in: packageRoot)
        let one = try checkJSON([pool, "--resolver", nsd.address, "--zone", "fabrikam.com"], in: packageRoot)
        let two = try checkJSON([pool, "--resolver", nsd.address, "--zone", "fabrikam.com", "--zone", "contoso.com."], in: packageRoot)
        #expect(all.0 == 0 && one.0 == 0 && two.0 == 0, "\(one.2)\(two.2)")
        let names = { (doc: CheckRenderer.Document?) in Set(doc?.records.map(\.name) ?? []) }
        let fabrikam = names(one.1), both = names(two.1)
        #expect(!fabrikam.isEmpty && fabrikam.allSatisfy { $0.hasSuffix("fabrikam.com.") }, "\(fabrikam)")
        #expect(both.contains { $0.hasSuffix(".contoso.com.") } && !both.contains { $0.hasSuffix("northwind.example.") })
        #expect(fabrikam.isSubset(of: both) && both.isSubset(of: names(all.1)) && both.count < names(all.1).count)
        let typo = try fedplan("dns", "check", pool, "--resolver", nsd.address, "--zone", "fabrikan.com")
        #expect(typo.code == 2 && typo.stdout.isEmpty)
        #expect(typo.stderr.contains("--zone fabrikan.com: the plan has no zone 'fabrikan.com'; did you mean 'fabrikam.com'?"),
                "\(typo.stderr)")
        #expect(typo.stderr.contains("its zones are: contoso.com, fabrikam.com, northwind.example"), "\(typo.stderr)")
        let name = try fedplan("dns", "check", pool, "--resolver", nsd.address, "--zone", "sip.contoso.com")
        #expect(name.code == 2 && name.stderr.contains("give --zone contoso.com"), "\(name.stderr)")
        // Zone files too: the other zone's records are not checked, so not "not covered".
        let file = out.appendingPathComponent("fabrikam.com.zone")
        try zones["fabrikam.com"]!.write(to: file, atomically: true, encoding: .utf8)
        let files = try checkJSON([pool, "--zone-file", file.path, "--zone", "fabrikam.com"], in: packageRoot)
        #expect(files.0 == 0 && files.1?.summary.notCovered == 0 && names(files.1) == fabrikam, "\(files.2)")
    }

    /// `-4` / `-6`: of the resolvers given (127.0.0.1 and ::1), only the addresses of that
    /// version are asked; both at once, or none left, is exit 2.
    @Test func ipVersionChoosesTheServers() throws {
        let nsd = try LiveCheckTests.singleEdgeNSD(ipv6: true)
        defer { nsd.stop() }
        let description = example("single-edge")
        let resolvers = ["--resolver", "127.0.0.1:\(nsd.port)", "--resolver", "[::1]:\(nsd.port)"]
        let both = try checkJSON([description] + resolvers, in: packageRoot)
        #expect(both.0 == 0 && both.1?.servers == ["127.0.0.1:\(nsd.port)", "[::1]:\(nsd.port)"], "\(both.2)")
        let four = try checkJSON([description, "-4"] + resolvers, in: packageRoot)
        #expect(four.0 == 0 && four.1?.servers == ["127.0.0.1:\(nsd.port)"], "\(four.2)")
        let six = try checkJSON([description, "-6"] + resolvers, in: packageRoot)
        #expect(six.0 == 0 && six.1?.servers == ["[::1]:\(nsd.port)"], "\(six.2)")
        let conflict = try fedplan("dns", "check", description, "--resolver", nsd.address, "-4", "-6")
        #expect(conflict.code == 2 && conflict.stderr.contains("-4 and -6 exclude each other"), "\(conflict.stderr)")
        let none = try fedplan("dns", "check", description, "--resolver", nsd.address, "-6")
        #expect(none.code == 2 && none.stderr.contains("-6 asks IPv6 servers only, and --resolver gives none (\(nsd.address))"),
                "\(none.stderr)")
        let files = try fedplan("dns", "check", description, "--zone-file", "x.zone", "-4")
        #expect(files.code == 2 && files.stderr.contains("-4 or -6"), "\(files.stderr)")
    }

    /// With `--authoritative`, -4 / -6 choose among the name server's addresses too: one NSD on
    /// 127.0.0.4:53 and [::1]:53, the addresses its NS record's name has.
    @Test func ipVersionChoosesTheNameServerAddresses() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            version: 1
            sip_domains: [dual.test]
            edge:
              access_edge: sip.dual.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: folder.appendingPathComponent("dual.yaml"), atomically: true, encoding: .utf8)
        let zone = """
            $ORIGIN dual.test.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 127.0.0.4
            ns1 IN AAAA ::1
            _sipfederationtls._tcp IN SRV 0 0 5061 sip.dual.test.
            sip IN A 131.107.155.10
            """
        let nsd = try NSDServer(zones: ["dual.test": zone], listen: ["127.0.0.4", "::1"], port: 53)
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: ["dual.test"], to: nsd, ipv6: true)
        defer { unbound.stop() }
        let arguments = ["dual.yaml", "--resolver", unbound.address, "--resolver", "[::1]:\(unbound.port)", "--authoritative"]
        let both = try checkJSON(arguments, in: folder)
        #expect(both.0 == 0 && both.1?.servers == ["127.0.0.4", "::1"], "\(both.2)")
        let four = try checkJSON(arguments + ["-4", "--debug"], in: folder)
        #expect(four.0 == 0 && four.1?.servers == ["127.0.0.4"], "\(four.2)")
        // Only the resolver's IPv4 address is asked, and only the name server's A record.
        #expect(four.2.contains(";; query 127.0.0.1@\(unbound.port)(UDP)") && !four.2.contains(";; query ::1@"), "\(four.2)")
        #expect(!four.2.contains("ns1.dual.test. IN AAAA"), "\(four.2)")
        let six = try checkJSON(arguments + ["-6", "--debug"], in: folder)
        #expect(six.0 == 0 && six.1?.servers == ["::1"], "\(six.2)")
        #expect(!six.2.contains(";; query 127.0.0.") && !six.2.contains("ns1.dual.test. IN A;"), "\(six.2)")
    }
}
