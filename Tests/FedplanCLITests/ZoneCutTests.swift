import FedplanCore
import Foundation
import Testing

/// `--authoritative` with a description whose `zones:` lists only the parent: the parent's
/// server refers the child's names to the child's servers (NS and glue), and fedplan asks them.
/// Real NSDs on loopback, port 53 (the glue gives addresses, not ports):
/// - 127.0.0.24 serves tailwind.test, which delegates eu (to 127.0.0.25, with glue), apac (to
///   ns.other.test., no glue: its address comes through the resolver) and latam (to
///   127.0.0.24 itself, with glue); and other.test, where ns.other.test. is 127.0.0.26;
/// - 127.0.0.25 serves eu.tailwind.test;
/// - 127.0.0.26 serves only a third zone: it answers REFUSED for apac.tailwind.test;
/// - latam's listed server serves the parent only: it refers latam's names to latam again.
@Suite(.serialized, .ownThread) struct ZoneCutTests {
    static let parent = """
        $ORIGIN tailwind.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 127.0.0.24
        _sipfederationtls._tcp IN SRV 0 0 5061 sip.tailwind.test.
        sip IN A 131.107.155.10
        eu IN NS ns1.eu
        ns1.eu IN A 127.0.0.25
        apac IN NS ns.other.test.
        latam IN NS ns1.latam
        ns1.latam IN A 127.0.0.24
        """

    static let child = """
        $ORIGIN eu.tailwind.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 7 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 127.0.0.25
        _sipfederationtls._tcp IN SRV 0 0 5061 sip.tailwind.test.
        """

    static let other = """
        $ORIGIN other.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 127.0.0.24
        ns IN A 127.0.0.26
        """

    static let third = """
        $ORIGIN third.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster 1 3600 900 604800 300
        @ IN NS ns1
        ns1 IN A 127.0.0.26
        """

    static func description(_ domains: [String]) -> String {
        """
        version: 1
        sip_domains: [\(domains.joined(separator: ", "))]
        zones: [tailwind.test]
        edge:
          access_edge: sip.tailwind.test
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        """
    }

    @Test func theChildsServersAreAskedAndLameOnesNamed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.description(["tailwind.test", "eu.tailwind.test"])
            .write(to: folder.appendingPathComponent("eu.yaml"), atomically: true, encoding: .utf8)
        try Self.description(["tailwind.test", "eu.tailwind.test", "apac.tailwind.test", "latam.tailwind.test"])
            .write(to: folder.appendingPathComponent("all.yaml"), atomically: true, encoding: .utf8)
        let parent = try NSDServer(zones: ["tailwind.test": Self.parent, "other.test": Self.other], listen: ["127.0.0.24"],
                                   port: 53)
        defer { parent.stop() }
        let child = try NSDServer(zones: ["eu.tailwind.test": Self.child], listen: ["127.0.0.25"], port: 53)
        defer { child.stop() }
        let refusing = try NSDServer(zones: ["third.test": Self.third], listen: ["127.0.0.26"], port: 53)
        defer { refusing.stop() }
        let unbound = try UnboundServer(stubZones: ["tailwind.test", "other.test"], to: parent)
        defer { unbound.stop() }

        // The child's record is published at the child's server: checked there, ok.
        let (code, doc, output) = try checkJSON(["eu.yaml", "--resolver", unbound.address, "--authoritative"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 0, "\(report.findings.map(\.message))")
        #expect(Set(report.servers) == ["127.0.0.24", "127.0.0.25"], "\(report.servers)")
        #expect(report.records.allSatisfy { $0.status == .ok }, "\(report.records.map { "\($0.name) \($0.status)" })")
        #expect(!output.contains("referred"))

        // A server listed for apac that refuses it, one listed for latam that only refers
        // latam's names onwards: lame delegations, each named; eu still ok.
        let (allCode, allDoc, allOutput) = try checkJSON(["all.yaml", "--resolver", unbound.address, "--authoritative"],
                                                         in: folder)
        let all = try #require(allDoc, "\(allOutput)")
        #expect(allCode == 3, "\(all.findings.map(\.message))")
        let failed = all.findings.filter { $0.rule == "query-failed" }
        #expect(failed.count == 2 && all.findings.count == 2, "\(all.findings.map { "\($0.rule): \($0.message)" })")
        let apac = try #require(failed.first { $0.name == "_sipfederationtls._tcp.apac.tailwind.test." })
        #expect(apac.server == "127.0.0.26")
        #expect(apac.message.contains("lame delegation: ns.other.test. (127.0.0.26) is a name server of apac.tailwind.test. but answers REFUSED"),
                Comment(rawValue: apac.message))
        let latam = try #require(failed.first { $0.name == "_sipfederationtls._tcp.latam.tailwind.test." })
        #expect(latam.server == "127.0.0.24")
        #expect(latam.message.contains("lame delegation: ns1.latam.tailwind.test. (127.0.0.24)")
                    && latam.message.contains("refers the question to latam.tailwind.test."), Comment(rawValue: latam.message))
        let status = Dictionary(all.records.map { ($0.name, $0.status) }, uniquingKeysWith: min)
        #expect(status["_sipfederationtls._tcp.eu.tailwind.test."] == .ok)
        #expect(status["_sipfederationtls._tcp.apac.tailwind.test."] == .unverified)
        #expect(status["_sipfederationtls._tcp.latam.tailwind.test."] == .unverified)
        #expect(status["sip.tailwind.test."] == .ok)
    }
}
