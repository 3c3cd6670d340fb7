import FedplanCore
import Foundation
import Testing

/// Live answers that come from a wildcard are said to (WildcardProbe): the finding names the
/// wildcard and its fix does not ask to remove a record that is written nowhere. NSD serves the
/// zone; the check asks it directly and through Unbound.
@Suite(.serialized) struct WildcardLiveTests {
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
    /// questions, where the unsigned zone needs 7 more.
    @Test(arguments: [false, true]) func aSignedZoneNamesItsWildcardWithoutProbing(nsec3: Bool) throws {
        let s = Scenario(name: "signedwild", zone: "* IN SRV 0 0 5060 sip.D.\n* IN A 192.0.2.44", expected: [])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("signedwild.yaml"), atomically: true, encoding: .utf8)
        let signed = try signedZone(s.zoneText, origin: s.domain, nsec3: nsec3)
        #expect(signed.contains("RRSIG") && signed.contains(nsec3 ? "NSEC3" : "NSEC"))
        for (zone, queries) in [(signed, "3"), (s.zoneText, "10")] {
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
                #expect(result.stderr.contains("(\(queries) queries,"), "\(zone == signed ? "signed" : "unsigned"): \(result.stderr)")
            }
        }
    }
}
