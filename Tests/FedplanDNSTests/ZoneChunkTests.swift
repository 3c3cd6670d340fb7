import FedplanCore
@testable import FedplanDNS
import Foundation
import Testing

/// A later pass (names that became wanted after their records went past: a DNAME written after
/// its target's records) reads only the chunks of the file the first pass found may hold them
/// (`ZoneChunks`), restarting Knot's scanner in the middle of the file. It must keep exactly what
/// a whole later pass keeps, at the same lines, and report the same.
@Suite struct ZoneChunkTests {
    static let plan: Plan = try! ZoneDNAMETests.plan(domains: 3)

    /// The DNAMEs at the end point to t0 and t2, whose records are near the start: written with
    /// blank (inherited) owners, under `$ORIGIN` and `$TTL` changes, one of them over three lines
    /// in parentheses, among filler; t2's planned name has no record of its own, only one below
    /// it (it exists: NODATA, not NXDOMAIN).
    static func zone(filler: Int) -> String {
        var z = "$ORIGIN example.net.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n"
        z += "  IN NS ns1\n"  // blank owner: the apex
        z += "ns1 IN A 192.0.2.1\nsip IN A 131.107.155.10\n"
        z += "_sipfederationtls._tcp.d1 IN SRV 0 0 5061 sip\n"
        for i in 0..<filler { z += "host\(i) IN A 198.51.100.\(i % 250)\n" }
        z += "$ORIGIN t0.example.net.\n"
        z += "_sipfederationtls._tcp IN SRV 0 0 5061 sip.example.net.\n"
        z += "  IN TXT \"inherits the SRV's owner\"\n"
        z += "$TTL 300\n"
        z += "; a comment between records\n\n"
        z += "_sipfederationtls._tcp IN SRV ( 0 0\n   5061\n   sip2.example.net. )\n"  // three lines
        z += "  IN TXT ( \"after the parentheses\" )\n"
        z += "$ORIGIN fill.example.net.\n"
        for i in 0..<filler { z += "x\(i) IN A 198.51.100.\(i % 250)\n" }
        z += "$ORIGIN example.net.\n"
        z += "below._sipfederationtls._tcp.t2 IN TXT \"below a late name\"\n"
        z += "  IN A 192.0.2.9\n"
        z += "sip2 IN A 131.107.155.99\n"
        for i in 0..<filler { z += "y\(i) 60 IN AAAA 2001:db8::\(i)\n" }
        z += "$TTL 7200\n"
        z += "d0 IN DNAME t0.example.net.\n"
        z += "d2 IN DNAME t2.example.net.\n"
        return z
    }

    struct Outcome {
        var collector: ZoneCollector
        var problems: [Diagnostic]
        var report: CheckReport
        var kept: [String]
        var exists: Bool
    }

    static func check(_ inputs: [ZoneFileReader.Input], chunked: Bool, perChunk: Int = 1024, maxChunks: Int = 2048) -> Outcome {
        let collector = ZoneCollector(plan: plan)
        collector.chunks.configure(recordsPerChunk: perChunk, maxChunks: maxChunks)
        let (problems, files) = ZoneFileReader.read(inputs, into: collector, chunked: chunked)
        // Every record kept, with its file and line, its number in the pass and its TTL.
        let kept = collector.kept.keys.sorted().flatMap { name in
            zip(collector.kept[name]!, collector.keptFrom[name]!).map { record, from in
                "\(record.owner) \(record.ttl) \(record.type) \(record.rdata.joined(separator: " ")) @\(record.location?.description ?? "?") #\(from.serial) f\(from.file)"
            }
        }
        let exists = collector.exists("_sipfederationtls._tcp.t2.example.net.")
        let report = ZoneFileCheck.report(plan: plan, description: "fedplan.yaml", files: files, collector: collector)
        return Outcome(collector: collector, problems: problems, report: report, kept: kept, exists: exists)
    }

    static func text(_ report: CheckReport) -> String { CheckRenderer.text(report) }

    static func write(_ text: String, name: String = "zone") throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-chunks-\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: file)
        return file
    }

    /// Every chunk size from 1 to 9 records (so that a chunk starts at every record of the
    /// interesting part: the inherited owners, the directives, the parenthesised record), with
    /// few chunks allowed (merged in pairs again and again): the same records, lines and report
    /// as a whole later pass.
    @Test func chunksKeepWhatAWholeLatePassKeeps() throws {
        let file = try Self.write(Self.zone(filler: 12))
        defer { try? FileManager.default.removeItem(at: file) }
        let inputs = [ZoneFileReader.Input(path: file.path, origin: nil)]
        let whole = Self.check(inputs, chunked: false)
        #expect(whole.problems.isEmpty, "\(whole.problems)")
        // Three passes: the SRV records at t0 read by the second point to sip2, wanted then.
        #expect(whole.collector.recordsPerPass.count == 3, "\(whole.collector.recordsPerPass)")
        // What the later pass must find: the SRV records at t0 (with their lines and the TTL in
        // force there), t2's existence.
        #expect(whole.kept.contains { $0.hasPrefix("_sipfederationtls._tcp.t0.example.net. 300 SRV 0 0 5061 sip2.example.net.") && $0.contains(":26 ") },
                "\(whole.kept)")
        #expect(whole.exists)
        for perChunk in 1...9 {
            for maxChunks in [2, 3, 2048] {
                let chunked = Self.check(inputs, chunked: true, perChunk: perChunk, maxChunks: maxChunks)
                #expect(chunked.problems.isEmpty, "\(chunked.problems)")
                #expect(chunked.kept == whole.kept, "K=\(perChunk) N=\(maxChunks)")
                #expect(chunked.exists, "K=\(perChunk) N=\(maxChunks)")
                #expect(Self.text(chunked.report) == Self.text(whole.report), "K=\(perChunk) N=\(maxChunks)")
                #expect(chunked.collector.recordsPerPass[0] == whole.collector.recordsPerPass[0])
            }
        }
    }

    /// The later pass reads the chunks near the start that hold t0's and t2's records, not the
    /// filler after them.
    @Test func aLatePassReadsFarFewerRecordsThanTheFileHolds() throws {
        let file = try Self.write(Self.zone(filler: 3000))
        defer { try? FileManager.default.removeItem(at: file) }
        let inputs = [ZoneFileReader.Input(path: file.path, origin: nil)]
        let whole = Self.check(inputs, chunked: false, perChunk: 64)
        let chunked = Self.check(inputs, chunked: true, perChunk: 64)
        #expect(whole.problems.isEmpty && chunked.problems.isEmpty)
        let total = whole.collector.recordsPerPass[0]
        #expect(total > 9000)
        // A whole later pass reads everything (the DNAMEs are the last records), twice (the
        // second finds t0's SRV records, which point to sip2).
        #expect(whole.collector.recordsPerPass == [total, total, total])
        // The chunked one: the chunks of t0's and t2's records (three or four of 64 records),
        // and any the filters wrongly say "maybe" for; a few hundred at most.
        #expect(chunked.collector.recordsPerPass[0] == total)
        #expect(chunked.collector.recordsPerPass.count == 3)
        #expect(chunked.collector.recordsPerPass.dropFirst().allSatisfy { $0 < 600 }, "\(chunked.collector.recordsPerPass) of \(total)")
        #expect(chunked.kept == whole.kept)
        #expect(chunked.exists && whole.exists)
        #expect(Self.text(chunked.report) == Self.text(whole.report))
    }

    /// A record below a late name makes it exist (NODATA, not NXDOMAIN) when the later pass
    /// reads chunks too: its chunk holds the name among its owners' suffixes.
    @Test func aRecordBelowALateNameIsSeen() throws {
        var z = ZoneDNAMETests.head
        z += "sip IN A 131.107.155.10\n"
        for i in 0..<200 { z += "host\(i) IN A 198.51.100.\(i % 250)\n" }
        z += "deep.below._sipfederationtls._tcp.t2 IN TXT \"below\"\n"
        for i in 0..<200 { z += "more\(i) IN A 198.51.100.\(i % 250)\n" }
        z += "d2 IN DNAME t2.example.net.\n"
        let file = try Self.write(z)
        defer { try? FileManager.default.removeItem(at: file) }
        let inputs = [ZoneFileReader.Input(path: file.path, origin: nil)]
        let chunked = Self.check(inputs, chunked: true, perChunk: 16)
        let whole = Self.check(inputs, chunked: false, perChunk: 16)
        #expect(chunked.exists && whole.exists)
        #expect(chunked.collector.recordsPerPass[1] < 100, "\(chunked.collector.recordsPerPass)")
        #expect(Self.text(chunked.report) == Self.text(whole.report))
    }

    /// A file with `$INCLUDE` is not indexed (a chunk cannot start inside the included file):
    /// the later pass reads it whole, and finds the records in the included file.
    @Test func anIncludedFileIsReadWhole() throws {
        let included = try Self.write("_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip\n" + (0..<100).map { "inc\($0) IN A 192.0.2.3\n" }.joined(), name: "inc")
        defer { try? FileManager.default.removeItem(at: included) }
        var z = ZoneDNAMETests.head
        z += "sip IN A 131.107.155.10\n$INCLUDE \(included.path) example.net.\n"
        for i in 0..<100 { z += "host\(i) IN A 198.51.100.\(i % 250)\n" }
        z += "d0 IN DNAME t0.example.net.\n"
        let file = try Self.write(z)
        defer { try? FileManager.default.removeItem(at: file) }
        let inputs = [ZoneFileReader.Input(path: file.path, origin: nil)]
        let chunked = Self.check(inputs, chunked: true, perChunk: 8)
        let whole = Self.check(inputs, chunked: false, perChunk: 8)
        #expect(chunked.problems.isEmpty, "\(chunked.problems)")
        #expect(chunked.kept.contains { $0.hasPrefix("_sipfederationtls._tcp.t0.example.net.") }, "\(chunked.kept)")
        #expect(chunked.kept == whole.kept)
        #expect(chunked.collector.recordsPerPass == whole.collector.recordsPerPass)
        #expect(Self.text(chunked.report) == Self.text(whole.report))
    }

    /// Two files, the DNAME in the second and its target's records in the first: the first
    /// file's chunks are read, the record numbers go on across files as in the first pass.
    @Test func twoFilesKeepTheirNumbers() throws {
        var a = ZoneDNAMETests.head
        a += "sip IN A 131.107.155.10\n"
        for i in 0..<100 { a += "host\(i) IN A 198.51.100.\(i % 250)\n" }
        a += "_sipfederationtls._tcp.t0 IN SRV 0 0 5061 sip\n"
        for i in 0..<100 { a += "more\(i) IN A 198.51.100.\(i % 250)\n" }
        var b = "$ORIGIN other.example.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\n"
        for i in 0..<100 { b += "h\(i) IN A 198.51.100.\(i % 250)\n" }
        b += "$ORIGIN example.net.\nd0 IN DNAME t0.example.net.\n"
        let fa = try Self.write(a, name: "a"), fb = try Self.write(b, name: "b")
        defer {
            try? FileManager.default.removeItem(at: fa)
            try? FileManager.default.removeItem(at: fb)
        }
        let inputs = [ZoneFileReader.Input(path: fa.path, origin: nil), ZoneFileReader.Input(path: fb.path, origin: nil)]
        let chunked = Self.check(inputs, chunked: true, perChunk: 8)
        let whole = Self.check(inputs, chunked: false, perChunk: 8)
        #expect(chunked.kept.contains { $0.hasPrefix("_sipfederationtls._tcp.t0.example.net.") }, "\(chunked.kept)")
        #expect(chunked.kept == whole.kept)
        #expect(chunked.collector.recordsPerPass[1] < whole.collector.recordsPerPass[1], "\(chunked.collector.recordsPerPass)")
        #expect(Self.text(chunked.report) == Self.text(whole.report))
    }
}
