import FedplanCore
import Foundation
import Testing

/// Live answers that come from a wildcard are said to (WildcardProbe): the finding names the
/// wildcard and its fix does not ask to remove a record that is written nowhere. NSD serves the
/// zone; the check asks it directly and through Unbound.
@Suite(.serialized, .ownThread) struct WildcardLiveTests {
    static let scenario = Scenario(
        name: "wildcard",
        // sip.D has no records of its own: `*.D` answers for it. The SRV name has its own record
        // with the wrong port, which no wildcard is involved in.
        zone: "_sipfederationtls._tcp IN SRV 0 0 5060 sip.D.\n* IN A 192.0.2.44",
        expected: [])

    @Test func findingsSayTheWildcardAnswers() throws {
        let s = Self.scenario
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("wildcard.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: [s.domain], to: nsd)
        defer { unbound.stop() }

        for server in [nsd.address, unbound.address] {
            let (code, doc, output) = try checkJSON(["wildcard.yaml", "--resolver", server], in: folder)
            let report = try #require(doc, "\(output)")
            #expect(code == 1)
            let messages = report.findings.map { "\($0.rule): \($0.message)" }
            let unexpected = try #require(report.findings.first(where: { $0.rule == "address-unexpected" }), "\(messages)")
            #expect(unexpected.name == "sip.wildcard.test.")
            #expect(unexpected.message.contains("(answered by the wildcard *.wildcard.test.)"), Comment(rawValue: unexpected.message))
            #expect(unexpected.fix?.contains("remove") == false, Comment(rawValue: unexpected.fix ?? ""))
            #expect(unexpected.fix?.contains("narrow the wildcard *.wildcard.test.") == true)
            // The SRV record is written at its name: no wildcard in its finding, the usual fix.
            let port = try #require(report.findings.first(where: { $0.rule == "srv-port-mismatch" }))
            #expect(!port.message.contains("wildcard") && port.fix?.hasPrefix("replace it with") == true)
        }
    }

    /// A name two labels below the wildcard's owner: the wildcard is named at the closest
    /// ancestor that exists (`*.D`, not `*._tcp.D`).
    @Test func theWildcardIsAtTheClosestExistingAncestor() throws {
        let s = Scenario(name: "deepwild", zone: "* IN SRV 0 0 5060 sip.D.\nsip IN A 131.107.155.10", expected: [])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("deepwild.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let (_, doc, output) = try checkJSON(["deepwild.yaml", "--resolver", nsd.address], in: folder)
        let report = try #require(doc, "\(output)")
        let messages = report.findings.map { "\($0.rule): \($0.message)" }
        let port = try #require(report.findings.first(where: { $0.rule == "srv-port-mismatch" }), "\(messages)")
        #expect(port.message.contains("(answered by the wildcard *.deepwild.test.)"), Comment(rawValue: port.message))
    }

    /// A signed zone says itself which wildcard answers: the signatures' Labels field counts the
    /// labels of the wildcard's owner (RFC 4035 §5.3.4). The finding names the wildcard as the
    /// probe does for the same zone unsigned, but no probe is asked: only the 3 planned
    /// questions, where the unsigned zone needs 5 more (none above its apex).
    @Test(arguments: [false, true]) func aSignedZoneNamesItsWildcardWithoutProbing(nsec3: Bool) throws {
        let s = Scenario(name: "signedwild", zone: "* IN SRV 0 0 5060 sip.D.\n* IN A 192.0.2.44", expected: [])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("signedwild.yaml"), atomically: true, encoding: .utf8)
        let signed = try signedZone(s.zoneText, origin: s.domain, nsec3: nsec3)
        #expect(signed.contains("RRSIG") && signed.contains(nsec3 ? "NSEC3" : "NSEC"))
        for (zone, queries) in [(signed, "3"), (s.zoneText, "8")] {
            let nsd = try NSDServer(zones: [s.domain: zone])
            defer { nsd.stop() }
            let unbound = try UnboundServer(stubZones: [s.domain], to: nsd)
            defer { unbound.stop() }
            for server in [nsd.address, unbound.address] {
                let result = try run(fedplanBinary, ["dns", "check", "signedwild.yaml", "--resolver", server, "--format", "json",
                                                     "--timings"], in: folder)
                let report = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
                #expect(result.code == 1)
                let messages = report.findings.map { "\($0.rule) \($0.name): \($0.message)" }
                let port = try #require(report.findings.first { $0.rule == "srv-port-mismatch" }, "\(messages)")
                let address = try #require(report.findings.first { $0.rule == "address-unexpected" }, "\(messages)")
                for finding in [port, address] {
                    #expect(finding.message.contains("(answered by the wildcard *.signedwild.test.)"), "\(server): \(finding.message)")
                }
                // Asked directly, NSD is also asked the zone's DNSKEY set (DNSSEC, once per zone).
                let asked = Int(queries)! + (server == nsd.address ? 1 : 0)
                #expect(result.stderr.contains("(\(asked) queries,"), "\(zone == signed ? "signed" : "unsigned"): \(result.stderr)")
            }
        }
    }
}

/// No query names anything above the zones being checked. A wildcard answers in
/// pool.apexprobe.test (a SIP domain, so a zone of the plan): the probes climb to its apex and
/// no further. Unbound logs every question it gets (`log-queries`); through a resolver, a
/// question about apexprobe.test. or test. would go to the servers of a TLD or of the root.
@Suite(.serialized, .ownThread) struct ApexBoundTests {
    @Test func probesStopAtTheZoneApex() throws {
        let domain = "pool.apexprobe.test"
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            version: 1
            sip_domains: [\(domain)]
            edge:
              access_edge: sip.\(domain)
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: folder.appendingPathComponent("apex.yaml"), atomically: true, encoding: .utf8)
        let zone = """
            $ORIGIN \(domain).
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            _sipfederationtls._tcp IN SRV 0 0 5060 sip.\(domain).
            * IN A 192.0.2.44
            """
        let nsd = try NSDServer(zones: [domain: zone])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: [domain], to: nsd, options: ["log-queries: yes"])
        defer { unbound.stop() }
        let (code, doc, output) = try checkJSON(["apex.yaml", "--resolver", unbound.address], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        let unexpected = try #require(report.findings.first { $0.rule == "address-unexpected" }, "\(output)")
        #expect(unexpected.message.contains("(answered by the wildcard *.\(domain).)"), Comment(rawValue: unexpected.message))
        // Every failed query is in the report; the probes asked here all got answers.
        #expect(report.summary.unverified == 0)

        let asked = Self.questions(inLog: unbound.log)
        #expect(asked.contains("\(domain). SRV") && asked.contains("\(domain). A"), "the probes reached the apex: \(asked)")
        let above = asked.filter { q in
            let name = String(q.split(separator: " ")[0]).lowercased()
            return !(name == "\(domain)." || name.hasSuffix(".\(domain)."))
        }
        #expect(above.isEmpty, "asked above the zone: \(above)")
    }

    /// A host outside the SIP domains is in its parent's zone only by assumption: nothing proves
    /// where that zone starts, so nothing above the host is asked (no probe), and the finding is
    /// as the answer gives it. Listed in `zones:`, the zone is known and probed up to its apex.
    @Test func anAssumedZoneIsNotClimbed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            sip_domains: [own.test]
            edge:
              access_edge: sip.pool.assumed.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        try description.write(to: folder.appendingPathComponent("assumed.yaml"), atomically: true, encoding: .utf8)
        try (description + "\nzones: [own.test, pool.assumed.test]\n")
            .write(to: folder.appendingPathComponent("listed.yaml"), atomically: true, encoding: .utf8)
        func zone(_ origin: String, _ records: String) -> String {
            "$ORIGIN \(origin).\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 3600 900 604800 300\n@ IN NS ns1\nns1 IN A 192.0.2.53\n\(records)\n"
        }
        let nsd = try NSDServer(zones: [
            "own.test": zone("own.test", "_sipfederationtls._tcp IN SRV 0 0 5061 sip.pool.assumed.test."),
            "pool.assumed.test": zone("pool.assumed.test", "* IN A 192.0.2.44"),
        ])
        defer { nsd.stop() }
        for (file, probed) in [("assumed.yaml", false), ("listed.yaml", true)] {
            let unbound = try UnboundServer(stubZones: ["own.test", "pool.assumed.test"], to: nsd, options: ["log-queries: yes"])
            defer { unbound.stop() }
            let (_, doc, output) = try checkJSON([file, "--resolver", unbound.address], in: folder)
            let report = try #require(doc, "\(output)")
            let unexpected = try #require(report.findings.first { $0.rule == "address-unexpected" }, "\(output)")
            #expect(unexpected.message.contains("wildcard *.pool.assumed.test.") == probed, "\(file): \(unexpected.message)")
            let asked = Self.questions(inLog: unbound.log)
            #expect(asked.contains { $0.contains("fedplan-probe-") } == probed, "\(file): \(asked)")
            #expect(!asked.contains { $0.hasPrefix("assumed.test. ") || $0.hasPrefix("test. ") }, "\(file): \(asked)")
        }
    }

    /// A failed query is in the report, whatever it asked: here the addresses of an SRV target
    /// the plan does not have (the server answers SRV questions only). Before, the progress line
    /// counted those failures and the report said nothing of them.
    @Test func aFailedTargetLookupIsInTheReport() throws {
        let s = Scenario(name: "losttarget", zone: "_sipfederationtls._tcp IN SRV 0 0 5061 sip.D.\n"
                            + "_sipfederationtls._tcp IN SRV 10 0 5061 old.D.\nsip IN A 131.107.155.10\nold IN A 192.0.2.9",
                         expected: [])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("lost.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "srv-only", upstream: nsd)
        defer { fault.stop() }
        let (code, doc, output) = try checkJSON(["lost.yaml", "--resolver", fault.address, "--timeout", "0.3", "--retries", "0"],
                                                in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        let target = report.findings.first { $0.rule == "query-failed" && $0.type == "SRV" }
        #expect(target?.message.contains("could not verify the addresses of the target old.\(s.domain).") == true,
                "\(report.findings.map { "\($0.rule): \($0.message)" })")
        // Status is per planned record: the planned SRV record is published, but the lookup that
        // failed leaves it unverified; the extra target is an error of its own, a stray entry.
        #expect(report.records.first { $0.type == "SRV" && $0.stray == nil }?.status == .unverified)
        #expect(report.records.first { $0.stray == true && $0.type == "SRV" }?.status == .error, "the extra target is an error still")
        #expect(report.findings.contains { $0.rule == "srv-unexpected-target" })
        // The planned host's own failure is said on the host, not again on the SRV record.
        #expect(!report.findings.contains { $0.type == "SRV" && $0.message.contains("target sip.") })
        #expect(report.findings.contains { $0.rule == "query-failed" && $0.name == "sip.\(s.domain)." })
    }

    /// `name TYPE` of each question in Unbound's log (`log-queries: yes`: "… 127.0.0.1 name TYPE IN").
    static func questions(inLog log: String) -> [String] {
        log.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard let k = words.lastIndex(of: "IN"), k >= 3, words[k - 3].hasPrefix("127.0.0.1") else { return nil }
            return "\(words[k - 2]) \(words[k - 1])"
        }
    }
}
