import FedplanCore
import Foundation
import Testing

/// Live answers as real servers give them (issue 24): status per planned record with strays
/// as entries of their own, TTL 0, DNAMEs named in live findings, partner SRV targets.
@Suite(.serialized, .ownThread) struct LiveAnswerTests {
    /// Three Edge servers planned at sip.pool.test (.10 .11 .12); published .10 .11 and a stray .9.
    /// The SRV record is published with TTL 0.
    static let poolDescription = """
        version: 1
        ttl: 3600
        sip_domains: [pool.test]
        edge:
          access_edge: sip.pool.test
          load_balancing: dns
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
            - {name: edge02, access_ip: [131.107.155.11]}
            - {name: edge03, access_ip: [131.107.155.12]}
        """
    static let poolZone = """
        $ORIGIN pool.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 192.0.2.53
        _sipfederationtls._tcp 0 IN SRV 0 0 5061 sip.pool.test.
        sip IN A 131.107.155.10
        sip IN A 131.107.155.11
        sip IN A 131.107.155.9
        """

    @Test func statusIsPerPlannedRecordAndStraysAreEntries() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.poolDescription.write(to: folder.appendingPathComponent("pool.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: ["pool.test": Self.poolZone])
        defer { nsd.stop() }

        let (code, doc, output) = try checkJSON(["pool.yaml", "--resolver", nsd.address], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        func status(_ data: String) -> String? {
            report.records.first { $0.name == "sip.pool.test." && $0.expected == data }?.status.rawValue
        }
        #expect(status("131.107.155.10") == "ok", "\(report.records)")
        #expect(status("131.107.155.11") == "ok")
        #expect(status("131.107.155.12") == "error")
        let strays = report.records.filter { $0.stray == true }
        #expect(strays.count == 1, "\(report.records)")
        #expect(strays.first?.name == "sip.pool.test." && strays.first?.type == "A" && strays.first?.observed == "131.107.155.9")
        #expect(strays.first?.status.rawValue == "error" && strays.first?.rule == "address-unexpected" && strays.first?.expected == nil)
        #expect(strays.first?.zone == "pool.test.")
        #expect(report.summary.ok == 2, ".10 and .11 (the SRV record's TTL 0 is a warning): \(report.summary)")

        // JUnit: .10 and .11 pass, .12 fails with only its own finding, .9 is a test case of its own.
        let junit = try run(fedplanBinary, ["dns", "check", "pool.yaml", "--resolver", nsd.address, "--format", "junit"], in: folder).stdout
        #expect(junit.contains("<testcase classname=\"pool.test.\" name=\"sip.pool.test. A 131.107.155.10\"/>"), "\(junit)")
        #expect(junit.contains("<testcase classname=\"pool.test.\" name=\"sip.pool.test. A 131.107.155.11\"/>"))
        let twelve = try #require(junit.range(of: "name=\"sip.pool.test. A 131.107.155.12\">"))
        let twelveCase = junit[twelve.lowerBound...].prefix { $0 != "/" || true }.components(separatedBy: "</testcase>")[0]
        #expect(twelveCase.contains("address-missing") && !twelveCase.contains("address-unexpected"), "\(twelveCase)")
        #expect(junit.contains("name=\"sip.pool.test. A 131.107.155.9 (not planned)\">\n      <failure type=\"address-unexpected\""))
        #expect(junit.contains("<testsuites name=\"fedplan dns check\" tests=\"5\" failures=\"2\""), "\(junit)")

        // Text: a line of its own for the stray record.
        let text = try run(fedplanBinary, ["dns", "check", "pool.yaml", "--resolver", nsd.address], in: folder).stdout
        #expect(text.contains("  not planned: sip.pool.test. A 131.107.155.9: error (address-unexpected)"), "\(text)")
        #expect(text.contains("ok: 2 of 4 records"), "\(text)")
    }

    @Test func ttlZeroIsAWarning() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.poolDescription.write(to: folder.appendingPathComponent("pool.yaml"), atomically: true, encoding: .utf8)
        // TTL 0 on the SRV record, 300 (a TTL difference only) on the addresses.
        let zone = Self.poolZone.replacingOccurrences(of: "sip IN A 131.107.155.9", with: "sip IN A 131.107.155.12")
            .replacingOccurrences(of: "sip IN A", with: "sip 300 IN A")
        let nsd = try NSDServer(zones: ["pool.test": zone])
        defer { nsd.stop() }
        let (code, doc, output) = try checkJSON(["pool.yaml", "--resolver", nsd.address, "--strict"], in: folder)
        let report = try #require(doc, "\(output)")
        let zero = try #require(report.findings.first { $0.rule == "ttl-zero" }, "\(report.findings.map(\.rule))")
        #expect(zero.severity == "warning" && zero.name == "_sipfederationtls._tcp.pool.test." && zero.type == "SRV")
        #expect(zero.message.contains("resolvers cannot cache the record (RFC 1035 §3.2.1)"), Comment(rawValue: zero.message))
        #expect(zero.fix == "set the TTL to 3600")
        let other = try #require(report.findings.first { $0.rule == "ttl-mismatch" })
        #expect(other.severity == "notice" && other.name == "sip.pool.test.")
        #expect(!report.findings.contains { $0.rule == "ttl-mismatch" && $0.type == "SRV" })
        #expect(code == 1, "a warning fails --strict")
        #expect(report.records.first { $0.type == "SRV" }?.status.rawValue == "warning")
    }

    /// `legacy.fourthcoffee.example. DNAME tailwindtoys.example.`: the planned SRV record of
    /// legacy.fourthcoffee.example is answered through the DNAME, and its target lacks it.
    @Test func dnameNamedInLiveFindings() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            sip_domains: [fourthcoffee.example, legacy.fourthcoffee.example]
            edge:
              access_edge: sip.fourthcoffee.example
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        try description.write(to: folder.appendingPathComponent("dname.yaml"), atomically: true, encoding: .utf8)
        let fourthcoffee = """
            $ORIGIN fourthcoffee.example.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            _sipfederationtls._tcp IN SRV 0 0 5061 sip.fourthcoffee.example.
            sip IN A 131.107.155.10
            legacy IN DNAME tailwindtoys.example.
            """
        let tailwind = """
            $ORIGIN tailwindtoys.example.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1.fourthcoffee.example.
            www IN A 192.0.2.80
            """
        let nsd = try NSDServer(zones: ["fourthcoffee.example": fourthcoffee, "tailwindtoys.example": tailwind])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: ["fourthcoffee.example", "tailwindtoys.example"], to: nsd)
        defer { unbound.stop() }

        let (code, doc, output) = try checkJSON(["dname.yaml", "--resolver", unbound.address], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        let missing = try #require(report.findings.first { $0.rule == "record-missing" }, "\(report.findings.map(\.message))")
        #expect(missing.name == "_sipfederationtls._tcp.legacy.fourthcoffee.example.")
        #expect(missing.message.contains("DNAME legacy.fourthcoffee.example. → tailwindtoys.example."), Comment(rawValue: missing.message))
        #expect(missing.message.contains("as _sipfederationtls._tcp.tailwindtoys.example."), Comment(rawValue: missing.message))
        let fix = try #require(missing.fix)
        // Never a record below the DNAME: the fix writes at the DNAME's target.
        #expect(!fix.contains("`_sipfederationtls._tcp.legacy.fourthcoffee.example. "), Comment(rawValue: fix))
        #expect(fix.contains("`_sipfederationtls._tcp.tailwindtoys.example. 3600 IN SRV 0 0 5061 sip.fourthcoffee.example.`"), Comment(rawValue: fix))
        #expect(report.findings.filter { $0.name.hasSuffix("legacy.fourthcoffee.example.") }.allSatisfy { $0.message.contains("DNAME") })
    }

    /// A partner's SRV target without addresses is a finding; a partner hosted by Microsoft 365
    /// is named as such.
    @Test func partnerTargetsAreResolved() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            sip_domains: [own.test]
            edge:
              access_edge: sip.own.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            federation:
              sip:
                partners:
                  - {domain: good.test}
                  - {domain: noaddress.test}
                  - {domain: teams.test}
                  - {domain: moved.test, kind: allowed_server, edge: sip.moved.test}
                  - {domain: pinned.test, kind: allowed_server, edge: sip.pinned.test}
            """
        try description.write(to: folder.appendingPathComponent("partners.yaml"), atomically: true, encoding: .utf8)
        let zone = """
            $ORIGIN test.
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            _sipfederationtls._tcp.own IN SRV 0 0 5061 sip.own.test.
            sip.own IN A 131.107.155.10
            _sipfederationtls._tcp.good IN SRV 0 0 5061 sip.good.test.
            sip.good IN A 198.51.100.1
            _sipfederationtls._tcp.noaddress IN SRV 0 0 5061 sip.noaddress.test.
            _sipfederationtls._tcp.teams IN SRV 100 1 5061 sipfed.online.lync.com.
            sip.moved IN A 198.51.100.2
            _sipfederationtls._tcp.moved IN SRV 100 1 5061 sipfed.online.lync.com.
            sip.pinned IN A 198.51.100.3
            """
        // Microsoft's zone as the test has it: sipfed.online.lync.com. has no address here.
        let lync = """
            $ORIGIN online.lync.com.
            $TTL 3600
            @ IN SOA ns1.test. hostmaster.test. 1 3600 900 604800 300
            @ IN NS ns1.test.
            sipdir IN A 192.0.2.99
            """
        let nsd = try NSDServer(zones: ["test": zone, "online.lync.com": lync])
        defer { nsd.stop() }
        let (code, doc, output) = try checkJSON(["partners.yaml", "--resolver", nsd.address, "--partners"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        let found = Set(report.findings.map { "\($0.rule) \($0.severity) \($0.name)" })
        #expect(found == [
            "srv-target-no-address error _sipfederationtls._tcp.noaddress.test.",
            "srv-target-no-address error _sipfederationtls._tcp.teams.test.",
            "partner-microsoft-365 notice _sipfederationtls._tcp.teams.test.",
            // Pinned to an edge that still answers, but the domain moved to Microsoft 365; the
            // other pinned partner publishes no SRV record, which it needs none of.
            "partner-moved-to-microsoft-365 warning _sipfederationtls._tcp.moved.test.",
        ], "\(report.findings.map(\.message))")
        let noAddress = try #require(report.findings.first { $0.name == "_sipfederationtls._tcp.noaddress.test." })
        #expect(noAddress.message.contains("sip.noaddress.test. has no A or AAAA record (NXDOMAIN)"), Comment(rawValue: noAddress.message))
        let teams = try #require(report.findings.first { $0.rule == "partner-microsoft-365" })
        #expect(teams.message.hasPrefix("teams.test. federates through Microsoft 365"), Comment(rawValue: teams.message))
        let text = try run(fedplanBinary, ["dns", "check", "partners.yaml", "--resolver", nsd.address, "--partners"], in: folder)
        #expect(text.stdout.contains("federates through Microsoft 365 (its SRV record points at sipfed.online.lync.com.)"), "\(text.stdout)")
    }
}
