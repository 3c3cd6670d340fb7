import FedplanCore
import Testing

/// The RRset grouping every check shares: records of one RRset form one set even when the plan
/// lists them apart, and each RRset is asked once.
@Suite struct PlanRRsetsTests {
    static func record(_ name: String, _ data: RecordData) -> PlannedRecord {
        let owner = DomainName(uncheckedLabels: name.split(separator: ".").map(String.init))
        return PlannedRecord(name: owner, ttl: 3600, data: data, zone: DomainName(uncheckedLabels: ["example", "com"]),
                             reason: "test", purpose: "test", server: nil, source: "test",
                             origin: SourceLocation(file: "test.yaml", line: 1))
    }

    /// sip A, the SRV, sip A again (apart from the first), sip AAAA.
    static let plan = Plan(zones: [ZonePlan(zone: DomainName(uncheckedLabels: ["example", "com"]), records: [
        record("sip.example.com", .address(IPAddress("192.0.2.1")!)),
        record("_sipfederationtls._tcp.example.com", .srv(SRVData(priority: 0, weight: 0, port: 5061,
                                                                   target: DomainName(uncheckedLabels: ["sip", "example", "com"])))),
        record("sip.example.com", .address(IPAddress("192.0.2.2")!)),
        record("sip.example.com", .address(IPAddress("2001:db8::1")!)),
    ])])

    @Test func recordsListedApartFormOneRRset() {
        let sets = PlanRRsets(Self.plan).sets
        #expect(sets.map { $0.question.description } == ["sip.example.com. A", "_sipfederationtls._tcp.example.com. SRV",
                                                     "sip.example.com. AAAA"])
        #expect(sets.map { $0.indices } == [[0, 2], [1], [3]])
        #expect(RecordChecker.questions(for: Self.plan).count == 3)
    }

    @Test func bothAddressesOfTheSplitRRsetAreCheckedTogether() {
        func answer(_ name: String, _ type: String, _ rdata: [[String]]) -> QueryOutcome {
            .answer(DNSAnswer(rcode: .noError, authoritative: true,
                              records: rdata.map { DNSRecord(owner: name, type: type, ttl: 3600, rdata: $0) }))
        }
        let outcomes: [Question: QueryOutcome] = [
            Question("sip.example.com.", "A"): answer("sip.example.com.", "A", [["192.0.2.1"], ["192.0.2.2"]]),
            Question("sip.example.com.", "AAAA"): answer("sip.example.com.", "AAAA", [["2001:db8::1"]]),
            Question("_sipfederationtls._tcp.example.com.", "SRV"):
                answer("_sipfederationtls._tcp.example.com.", "SRV", [["0", "0", "5061", "sip.example.com."]]),
        ]
        let check = RecordChecker.check(plan: Self.plan, server: "test", outcomes: outcomes)
        #expect(check.findings.map { $0.rule } == [String]())
        #expect((0..<4).map { check.status[$0] } == [RecordStatus?]([.ok, .ok, .ok, .ok]))
        #expect(check.observed[1] == "0 0 5061 sip.example.com.")
        // One address fewer: the planned record that lacks it is the one reported.
        var missing = outcomes
        missing[Question("sip.example.com.", "A")] = answer("sip.example.com.", "A", [["192.0.2.1"]])
        let partial = RecordChecker.check(plan: Self.plan, server: "test", outcomes: missing)
        #expect(partial.findings.map { $0.rule } == ["address-missing"])
        #expect((0..<4).map { partial.status[$0] } == [RecordStatus?]([.ok, .ok, .error, .ok]))
    }
}
