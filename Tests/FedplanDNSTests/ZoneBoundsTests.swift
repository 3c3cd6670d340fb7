@testable import FedplanDNS
import FedplanCore
import Testing

/// No live query names anything above the zones being checked: the wildcard probes stop at the
/// zone apex (none for the apex itself, none in an assumed zone), and an SRV target above the
/// zones is never asked.
@Suite struct ZoneBoundsTests {
    static func name(_ text: String) -> DomainName { DomainName(uncheckedLabels: text.split(separator: ".").map(String.init)) }

    static func record(_ owner: String, zone: String, _ data: RecordData) -> PlannedRecord {
        PlannedRecord(name: name(owner), ttl: 3600, data: data, zone: name(zone), reason: "test", purpose: "test",
                      server: nil, source: "test", origin: SourceLocation(file: "test.yaml", line: 1))
    }

    static let plan = Plan(zones: [
        ZonePlan(zone: name("pool.contoso.test"), records: [
            record("_sipfederationtls._tcp.pool.contoso.test", zone: "pool.contoso.test",
                   .srv(SRVData(priority: 0, weight: 0, port: 5061, target: name("sip.pool.contoso.test")))),
            record("sip.pool.contoso.test", zone: "pool.contoso.test", .address(IPAddress("131.107.155.10")!)),
            record("pool.contoso.test", zone: "pool.contoso.test", .address(IPAddress("131.107.155.11")!)),
        ]),
        ZonePlan(zone: name("edge.example.test"), records: [
            record("sip.edge.example.test", zone: "edge.example.test", .address(IPAddress("131.107.155.12")!)),
        ], assumed: true),
    ])

    @Test func probesStopAtTheApex() {
        let bounds = ZoneBounds(Self.plan)
        func answer(_ name: String, _ type: String, _ rdata: [String]) -> (Question, QueryOutcome) {
            (Question(name, type), .answer(DNSAnswer(rcode: .noError, authoritative: true,
                                                     records: [DNSRecord(owner: name, type: type, ttl: 3600, rdata: rdata)])))
        }
        let outcomes = Dictionary(uniqueKeysWithValues: [
            answer("_sipfederationtls._tcp.pool.contoso.test.", "SRV", ["0", "0", "5060", "sip.pool.contoso.test."]),
            answer("sip.pool.contoso.test.", "A", ["192.0.2.44"]),
            answer("pool.contoso.test.", "A", ["192.0.2.44"]),
            answer("sip.edge.example.test.", "A", ["192.0.2.44"]),
        ])
        let findings = [
            Finding(rule: "srv-port-mismatch", severity: .error, name: "_sipfederationtls._tcp.pool.contoso.test.", type: "SRV", message: "-"),
            Finding(rule: "address-unexpected", severity: .error, name: "sip.pool.contoso.test.", type: "A", message: "-"),
            Finding(rule: "address-unexpected", severity: .error, name: "pool.contoso.test.", type: "A", message: "-"),
            Finding(rule: "address-unexpected", severity: .error, name: "sip.edge.example.test.", type: "A", message: "-"),
        ]
        let asked = WildcardProbe.questions(findings: findings, outcomes: outcomes, label: "p", apex: bounds.apex)
            .map(\.description)
        #expect(asked == [
            "p._tcp.pool.contoso.test. SRV", "_tcp.pool.contoso.test. SRV", "pool.contoso.test. SRV",
            "p.pool.contoso.test. A", "pool.contoso.test. A",
        ])
    }

    @Test func namesAboveTheZonesAreKnown() {
        let bounds = ZoneBounds(Self.plan)
        #expect(bounds.below("contoso.test.") == "pool.contoso.test.")
        #expect(bounds.below("TEST.") != nil && bounds.below(".") != nil && bounds.below("example.test.") != nil)
        for inside in ["pool.contoso.test.", "sip.pool.contoso.test.", "edge.example.test.", "other.test."] {
            #expect(bounds.below(inside) == nil, "\(inside)")
        }
        #expect(bounds.apex("sip.pool.contoso.test.") == "pool.contoso.test.")
        #expect(bounds.apex("sip.edge.example.test.") == nil, "an assumed zone")
    }
}
