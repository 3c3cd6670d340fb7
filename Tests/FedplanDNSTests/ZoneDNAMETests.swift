import FedplanCore
import FedplanDNS
import Foundation
import Testing

/// DNAMEs in a zone file are untrusted input: each one costs the names below it, not every
/// planned name (2,000 DNAMEs over a 10,000-domain plan were quadratic, 4.5 s).
@Suite struct ZoneDNAMETests {
    /// The start of every test zone here: SOA, NS and the name server's address.
    static let head = "$ORIGIN example.net.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.1\n"

    static func plan(domains: Int) throws -> Plan {
        let names = (0..<domains).map { "d\($0).example.net" }
        let yaml = """
            version: 1
            sip_domains: [\(names.joined(separator: ", "))]
            edge:
              access_edge: sip.example.net
              servers:
                - name: edge01
                  access_ip: [131.107.155.10]
            zones: [example.net]
            """
        return try Planner.plan(try DescriptionLoader.load(text: yaml, file: "fedplan.yaml").get())
    }

    @Test func eachDNAMECostsTheNamesBelowIt() throws {
        let domains = 1000, dnames = 400
        let plan = try Self.plan(domains: domains)
        var zone = Self.head
        zone += "sip IN A 131.107.155.10\n"
        for d in 0..<domains where d >= dnames { zone += "_sipfederationtls._tcp.d\(d) IN SRV 0 0 5061 sip\n" }
        // The first `dnames` domains are DNAMEs to a name that holds their record.
        for d in 0..<dnames {
            zone += "d\(d) IN DNAME t\(d).example.net.\n_sipfederationtls._tcp.t\(d) IN SRV 0 0 5061 sip\n"
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-dname-\(UUID().uuidString).zone")
        try Data(zone.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let collector = ZoneCollector(plan: plan)
        let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: file.path, origin: nil)], into: collector)
        #expect(problems.isEmpty, "\(problems)")
        // One planned name below each DNAME (its SRV owner).
        #expect(collector.namesExaminedForDNAMEs == dnames, "examined \(collector.namesExaminedForDNAMEs)")
        let report = ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: files, collector: collector)
        #expect(report.summary.ok == report.records.count, "\(report.findings.prefix(3))")
    }

    /// A name that becomes wanted late (a DNAME's target) is read again only as far as the
    /// record that made it wanted: what comes after was read knowing it, and is kept once.
    @Test func aLatePassStopsWhereTheNameBecameWanted() throws {
        let plan = try Self.plan(domains: 2)
        var zone = Self.head
        zone += "sip IN A 131.107.155.10\n_sipfederationtls._tcp.d1 IN SRV 0 0 5061 sip\n"
        zone += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip\n"  // before the DNAME: read again
        zone += "d0 IN DNAME t0.example.net.\n"  // record 7: t0's names become wanted here
        zone += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip2\n"  // after it: kept in the first pass; sip2 wanted here (record 8)
        zone += "sip2 IN A 131.107.155.99\n"
        for i in 0..<1000 { zone += "host\(i) IN A 198.51.100.\(i % 250)\n" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-cut-\(UUID().uuidString).zone")
        try Data(zone.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let collector = ZoneCollector(plan: plan)
        let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: file.path, origin: nil)], into: collector)
        #expect(problems.isEmpty, "\(problems)")
        #expect(collector.recordsPerPass == [1009, 8], "\(collector.recordsPerPass)")
        let report = ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: files, collector: collector)
        let rules = report.findings.map { "\($0.rule) \($0.name)" }
        // Both SRV records at the target, each once: the extra one is unexpected, none is twice.
        #expect(rules == ["srv-unexpected-target _sipfederationtls._tcp.d0.example.net."], "\(rules)")
    }

    /// `releasingCollector`: the collector's records and names are dropped before the checker
    /// and the report (where a large check peaks in memory), and the report is the same.
    @Test func releasingTheCollectorChangesNothingInTheReport() throws {
        let plan = try Self.plan(domains: 20)
        var zone = Self.head
        zone += "sip IN A 131.107.155.10\n_sipfederationtls._tcp.d1 IN SRV 0 0 5061 sip\n"
        zone += "_sipfederationtls._tcp.d2 IN SRV 0 0 5061 sip\n_sipfederationtls._tcp.d2 IN SRV 0 0 5061 sip\n"  // twice
        zone += "d3 IN DNAME t3.example.net.\n_sipfederationtls._tcp.t3 IN SRV 0 0 5061 sip\n"
        zone += "_sipfederationtls_tcp.d4 IN SRV 0 0 5061 sip\n"  // a near miss
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-release-\(UUID().uuidString).zone")
        try Data(zone.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        func check(releasing: Bool) -> (ZoneCollector, CheckReport) {
            let collector = ZoneCollector(plan: plan)
            let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: file.path, origin: nil)], into: collector)
            #expect(problems.isEmpty, "\(problems)")
            return (collector, ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: files, collector: collector,
                                                    releasingCollector: releasing))
        }
        let (kept, whole) = check(releasing: false)
        let (released, same) = check(releasing: true)
        #expect(!kept.kept.isEmpty && released.kept.isEmpty && released.keptFrom.isEmpty)
        #expect(!released.exists("example.net.") && kept.exists("example.net."))
        #expect(released.zones == kept.zones)
        let rules = Set(whole.findings.map(\.rule))
        #expect(rules.isSuperset(of: ["duplicate-record", "name-near-miss", "record-missing"]), "\(rules)")
        #expect(same.findings.map { "\($0.rule) \($0.name) \($0.location?.description ?? "")" }
                == whole.findings.map { "\($0.rule) \($0.name) \($0.location?.description ?? "")" })
        #expect(same.records.map(\.status) == whole.records.map(\.status))
    }
}

/// A later pass keeps a late name's records only from before the name was wanted: those after
/// it were kept as they went past, and are neither dropped nor converted again.
@Suite struct ZoneLateSinceTests {
    func read(_ zone: String, domains: Int) throws -> ZoneCollector {
        let plan = try ZoneDNAMETests.plan(domains: domains)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-since-\(UUID().uuidString).zone")
        try Data(zone.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let collector = ZoneCollector(plan: plan)
        let (problems, _) = ZoneFileReader.read([ZoneFileReader.Input(path: file.path, origin: nil)], into: collector)
        #expect(problems.isEmpty, "\(problems)")
        return collector
    }

    static let head = ZoneDNAMETests.head + "sip IN A 131.107.155.10\n"

    @Test func dnamesBeforeWhatTheyPointToAreNotReadTwice() throws {
        var zone = Self.head
        for d in 0..<50 { zone += "d\(d) IN DNAME t\(d).example.net.\n_sipfederationtls._tcp.t\(d) IN SRV 0 0 5061 sip\n" }
        let collector = try read(zone, domains: 50)
        #expect(collector.recordsPerPass.count == 2, "\(collector.recordsPerPass)")  // the pass runs (ancestors to mark)
        #expect(collector.keptInLaterPasses == 0)
        for d in 0..<50 { #expect(collector.kept["_sipfederationtls._tcp.t\(d).example.net."]?.count == 1) }
    }

    @Test func recordsBeforeAndAfterTheDNAMEStayInFileOrder() throws {
        var zone = Self.head
        zone += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip1\n"  // before the DNAME: read again
        zone += "d0 IN DNAME t0.example.net.\n"
        zone += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip2\n"  // after: kept in the first pass
        zone += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip3\n"
        let collector = try read(zone, domains: 1)
        #expect(collector.keptInLaterPasses == 1)
        let targets = collector.kept["_sipfederationtls._tcp.t0.example.net."]?.map { $0.rdata.last ?? "" } ?? []
        #expect(targets == ["sip1.example.net.", "sip2.example.net.", "sip3.example.net."], "\(targets)")
        let serials = collector.keptFrom["_sipfederationtls._tcp.t0.example.net."]?.map(\.serial) ?? []
        #expect(serials == serials.sorted(), "\(serials)")
    }
}
