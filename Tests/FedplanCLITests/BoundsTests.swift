import FedplanCore
import Foundation
import Testing

/// What a server sends beyond the plan is bounded (CheckLimits, docs/security.md): hundreds of
/// SRV targets per name cost at most 16 followed targets per name, 16 findings per rule and
/// name (the rest counted), and a few lines of text.
///
/// The load is the smallest that still proves each bound: 200 targets per name on 4 names.
/// Unbounded, the check would ask 1,024 follow-up questions (the global cap), not at most 168;
/// list 796 unexpected targets, not 64; and print about 2,600 lines, not about 400. (It was
/// 1,000 targets on 10 names, which took minutes of a debug build's time and proved no more.)
@Suite(.serialized) struct BoundsTests {
    static let domains = 4
    static let extraTargets = 199

    static var description: String {
        """
        version: 1
        sip_domains: [\((1...domains).map { "d\($0).test" }.joined(separator: ", "))]
        edge:
          access_edge: sip.edge.test
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        """
    }

    /// Every SIP domain's SRV name holds the planned record and 999 more, each to its own
    /// target (which has no address).
    static var zone: String {
        var lines = ["$ORIGIN test.", "$TTL 3600", "@ IN SOA ns1 hostmaster 1 3600 900 604800 300", "@ IN NS ns1",
                     "ns1 IN A 192.0.2.53", "sip.edge IN A 131.107.155.10"]
        for d in 1...domains {
            lines.append("_sipfederationtls._tcp.d\(d) IN SRV 0 0 5061 sip.edge.test.")
            for k in 1...extraTargets { lines.append("_sipfederationtls._tcp.d\(d) IN SRV 0 0 5061 t\(k).d\(d).test.") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func thousandsOfTargetsPerNameAreBounded() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: ["test": Self.zone])
        defer { nsd.stop() }
        // Passes NSD's answers through unchanged (no delay) and counts the UDP queries.
        let counter = try FaultServer(mode: "delay", upstream: nsd, delay: 0)
        let (code, doc, output) = try checkJSON(["fedplan.yaml", "--resolver", counter.address, "--timeout", "3"], in: folder)
        let queries = counter.stopAndCountQueries()
        let report = try #require(doc, "\(output)")
        #expect(code == 1)

        // Follow-ups: A and AAAA of at most 16 targets per name (the planned one among them),
        // not of every target (nor the 1,024 of the global cap).
        #expect(queries > 0 && queries <= Self.domains * 16 * 2 + 40, "\(queries) queries")
        let tooMany = report.findings.filter { $0.rule == "srv-too-many-targets" }
        #expect(tooMany.count == Self.domains)
        #expect(tooMany.allSatisfy { $0.severity == "warning" && $0.message.hasPrefix("\(Self.extraTargets + 1) SRV records with \(Self.extraTargets + 1) targets; the addresses of the first 16") })
        #expect(report.findings.filter { $0.rule == "srv-target-no-address" }.count == Self.domains * 15)

        // 999 unexpected targets per name: 16 listed per name, the rest counted.
        let listed = report.findings.filter { $0.rule == "srv-unexpected-target" }
        #expect(listed.count == Self.domains * 16)
        let omitted = try #require(report.omitted_findings)
        #expect(omitted.map { "\($0.rule) \($0.severity.rawValue) \($0.count)" } == ["srv-unexpected-target error \(Self.domains * (Self.extraTargets - 16))"])
        #expect(report.summary.errors == Self.domains * Self.extraTargets + Self.domains * 15)
        #expect(report.summary.warnings == Self.domains)

        // The text report says how many more there are, in a bounded number of lines.
        let text = try run(fedplanBinary, ["dns", "check", "fedplan.yaml", "--resolver", nsd.address, "--timeout", "3"], in: folder)
        #expect(text.stdout.contains("… and \(Self.domains * (Self.extraTargets - 16)) more error findings of srv-unexpected-target, not listed (at most 16 of a rule per name)"))
        // About 100 lines per name bounded; unbounded, about 650 per name.
        #expect(text.stdout.split(separator: "\n").count < Self.domains * 150, "\(text.stdout.split(separator: "\n").count) lines")
    }
}
