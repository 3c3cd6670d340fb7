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
@Suite(.serialized, .ownThread) struct BoundsTests {
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

    /// Every SRV name answered with `targets` records, none of them the planned one (so the
    /// planned record is a mismatch that shows what was found), through the fault server.
    static func wrongTargetsZone(_ targets: Int) -> String {
        var lines = ["$ORIGIN test.", "$TTL 3600", "@ IN SOA ns1 hostmaster 1 3600 900 604800 300", "@ IN NS ns1",
                     "ns1 IN A 192.0.2.53", "sip.edge IN A 131.107.155.10"]
        for d in 1...3 {
            for k in 1...targets { lines.append("_sipfederationtls._tcp.d\(d) IN SRV 0 0 5061 target-\(k).d\(d).test.") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Output in every format is the same size whether a name is answered with 40 or 400 SRV
    /// records: lists from answers are cut at 16 items ("and N more", `observed_total`), findings
    /// at 16 per rule and name.
    @Test func outputDoesNotGrowWithTheRecordsAnswered() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = """
            version: 1
            sip_domains: [d1.test, d2.test, d3.test]
            edge:
              access_edge: sip.edge.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """
        try description.write(to: folder.appendingPathComponent("fedplan.yaml"), atomically: true, encoding: .utf8)
        var sizes: [Int: [String: Int]] = [:]
        for targets in [40, 400] {
            let nsd = try NSDServer(zones: ["test": Self.wrongTargetsZone(targets)])
            defer { nsd.stop() }
            let fault = try FaultServer(mode: "delay", upstream: nsd, delay: 0)
            defer { fault.stop() }
            let (code, doc, output) = try checkJSON(["fedplan.yaml", "--resolver", fault.address, "--timeout", "3"], in: folder)
            let report = try #require(doc, "\(output)")
            #expect(code == 1)
            let mismatch = try #require(report.findings.first { $0.rule == "srv-target-mismatch" }, "\(report.findings.map(\.rule))")
            #expect(mismatch.observed_total == targets)
            #expect(mismatch.observed?.hasSuffix(", and \(targets - 16) more") == true, Comment(rawValue: mismatch.observed ?? ""))
            #expect(mismatch.observed?.components(separatedBy: ", ").count == 17)
            #expect(mismatch.message.contains(", and \(targets - 16) more, the plan says sip.edge.test."), Comment(rawValue: mismatch.message))
            let record = try #require(report.records.first { $0.type == "SRV" })
            #expect(record.observed_total == targets && record.observed?.hasSuffix("and \(targets - 16) more") == true)
            #expect(report.findings.filter { $0.rule == "srv-unexpected-target" }.count == 3 * 16)
            #expect(report.omitted_findings?.first { $0.rule == "srv-unexpected-target" }?.count == 3 * (targets - 16))
            for format in ["text", "json", "sarif", "junit", "github"] {
                let out = try run(fedplanBinary, ["dns", "check", "fedplan.yaml", "--resolver", fault.address, "--timeout", "3",
                                                  "--format", format], in: folder)
                sizes[targets, default: [:]][format] = out.stdout.utf8.count
            }
        }
        for format in ["text", "json", "sarif", "junit", "github"] {
            let small = sizes[40]![format]!, large = sizes[400]![format]!
            // Only the digits of the counts differ ("and 24 more", "and 384 more").
            #expect(abs(large - small) < 200, "\(format): \(small) bytes with 40 targets, \(large) with 400")
        }
    }
}
