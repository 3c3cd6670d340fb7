import FedplanCore
import Foundation
import Testing

/// Two authoritative servers of one zone, out of sync, on 127.0.0.2:53 and 127.0.0.3:53 (the
/// addresses its NS records give), and Unbound with a stub zone to the first.
@Suite(.serialized, .ownThread) struct AuthoritativeTests {
    static func zone(serial: Int, extra: String = "") -> String {
        """
        $ORIGIN auth.test.
        $TTL 3600
        @ IN SOA ns1 hostmaster \(serial) 3600 900 604800 300
        @ IN NS ns1
        @ IN NS ns2
        ns1 IN A 127.0.0.2
        ns2 IN A 127.0.0.3
        _sipfederationtls._tcp IN SRV 0 0 5061 sip.auth.test.
        sip IN A 131.107.155.10
        \(extra)
        """
    }

    @Test func everyAuthoritativeServerIsAskedAndCompared() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            version: 1
            sip_domains: [auth.test]
            edge:
              access_edge: sip.auth.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: folder.appendingPathComponent("auth.yaml"), atomically: true, encoding: .utf8)
        let primary = try NSDServer(zones: ["auth.test": Self.zone(serial: 2026112102)], listen: ["127.0.0.2"], port: 53)
        defer { primary.stop() }
        let secondary = try NSDServer(zones: ["auth.test": Self.zone(serial: 2026112101, extra: "sip IN A 131.107.155.99")],
                                      listen: ["127.0.0.3"], port: 53)
        defer { secondary.stop() }
        let unbound = try UnboundServer(stubZones: ["auth.test"], to: primary)
        defer { unbound.stop() }

        // Through the resolver alone, all looks well: it only ever asks the primary.
        let cached = try checkJSON(["auth.yaml", "--resolver", unbound.address], in: folder)
        #expect(cached.0 == 0, "\(cached.2)")

        let (code, doc, output) = try checkJSON(["auth.yaml", "--resolver", unbound.address, "--authoritative"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 1)
        #expect(report.servers == ["127.0.0.2", "127.0.0.3"])
        let found = Set(report.findings.map { "\($0.rule) \($0.name) \($0.server ?? "-")" })
        #expect(found == [
            "soa-serial-mismatch auth.test. 127.0.0.3",
            "servers-disagree sip.auth.test. -",
            "address-unexpected sip.auth.test. 127.0.0.3",
        ], "\(report.findings.map(\.message))")
        let serial = report.findings.first { $0.rule == "soa-serial-mismatch" }
        #expect(serial?.expected == "2026112102" && serial?.observed == "2026112101")
    }

    /// A zone with 30 name servers of 6 addresses each: 16 name servers are asked, 4 addresses
    /// each (64 servers, not 180). None of them answers (nothing listens on 127.0.1.x:53), so
    /// every record is unverified.
    @Test func nameServersAndTheirAddressesAreBounded() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
            version: 1
            sip_domains: [many.test]
            edge:
              access_edge: sip.many.test
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            """.write(to: folder.appendingPathComponent("many.yaml"), atomically: true, encoding: .utf8)
        let names = (1...30).map { String(format: "ns%02d", $0) }
        let records = names.enumerated().flatMap { k, ns in
            ["@ IN NS \(ns)"] + (1...6).map { "\(ns) IN A 127.0.1.\(k * 6 + $0)" }
        }
        let zone = """
            $ORIGIN many.test.
            $TTL 3600
            @ IN SOA ns01 hostmaster 1 3600 900 604800 300
            \(records.joined(separator: "\n"))
            """
        let nsd = try NSDServer(zones: ["many.test": zone])
        defer { nsd.stop() }
        let (code, doc, output) = try checkJSON(["many.yaml", "--resolver", nsd.address, "--authoritative",
                                                 "--timeout", "0.3", "--retries", "0"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 3)
        #expect(report.servers.count == 64 && Set(report.servers).count == 64, "\(report.servers)")
        // ns01 to ns16, the first four addresses of each: 127.0.1.1-4, 127.0.1.7-10, ...
        let expected = (0..<16).flatMap { k in (1...4).map { "127.0.1.\(k * 6 + $0)" } }
        #expect(Set(report.servers) == Set(expected))
        #expect(report.summary.unverified == report.summary.records)
    }

    @Test func serialArithmeticFollowsRFC1982() {
        #expect(SerialArithmetic.isOlder(1, than: 2) == true)
        #expect(SerialArithmetic.isOlder(4_294_967_295, than: 0) == true, "wraps around")
        #expect(SerialArithmetic.isOlder(0, than: 4_294_967_295) == false)
        #expect(SerialArithmetic.isOlder(0, than: 1 << 31) == nil, "2^31 apart is undefined")
        let findings = SerialArithmetic.findings(zone: "z.", serials: [("a", 4_294_967_295), ("b", 3)])
        #expect(findings.map { $0.server } == ["a"])
    }
}
