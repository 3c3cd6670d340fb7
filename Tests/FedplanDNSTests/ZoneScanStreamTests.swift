import FedplanCore
@testable import FedplanDNS
import Testing

/// The scanner on its own thread (`ZoneScanStream`) must hand the reader exactly the events the
/// scanner gives when it is driven directly: every record with its owner, data, offsets, lines
/// and `$ORIGIN`, across many batches; errors, `$INCLUDE` and the end in place.
@Suite struct ZoneScanStreamTests {
    /// Several batches (1,024 events each, ring of 4), origin changes, a large record that fills
    /// an arena sooner, syntax errors and an `$INCLUDE` in between.
    static func text() -> String {
        var lines = ["$ORIGIN example.net.", "$TTL 300", "@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600"]
        for i in 0..<9000 {
            if i % 700 == 0 { lines.append("$ORIGIN z\(i).example.net.") }
            switch i % 5 {
            case 0: lines.append("host\(i) IN A 192.0.2.\(i % 256)")
            case 1: lines.append("Host\(i).Sub IN AAAA 2001:db8::\(i % 65536)")
            case 2: lines.append("_sip._tcp.d\(i) IN SRV 0 0 5061 sip.d\(i)")
            case 3: lines.append("txt\(i) IN TXT \"\(String(repeating: "x", count: i % 300))\"")
            default: lines.append("w\(i) IN CNAME host\(i - 4)")
            }
            if i == 4000 { lines.append("bad\\ IN A 999.1.1.1") }
            if i == 5000 { lines.append("$INCLUDE sub.zone") }
            if i == 6000 { lines.append("big IN TXT " + String(repeating: "\"\(String(repeating: "y", count: 250))\" ", count: 200)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    struct Seen: Equatable {
        var event: String
        var start = 0, lineBefore = 0, offset = 0
        var type: UInt16 = 0, owner: [UInt8] = [], lower: [UInt8] = [], rdata: [UInt8] = [], origin: [UInt8] = []
        var includeFile = "", includeOrigin = ""
    }

    @Test func sameEventsAsTheScannerItself() throws {
        let bytes = Array(Self.text().utf8)
        try bytes.withUnsafeBytes { buffer in
            var direct: [Seen] = []
            let scanner = try #require(ZoneScanner(bytes: buffer, origin: ".", ttl: 3600, directory: "/nonexistent"))
            while true {
                let start = scanner.offset, line = scanner.line
                let event = scanner.next()
                var seen = Seen(event: "\(event)", start: start, lineBefore: line, offset: scanner.offset)
                if case .record = event {
                    seen.type = scanner.type
                    (seen.owner, seen.lower, seen.rdata) = (Array(scanner.owner), Array(scanner.lowercasedOwner), Array(scanner.rdata))
                }
                if case .record = event { seen.origin = Array(scanner.origin) }
                if case .include = event {
                    (seen.origin, seen.includeFile, seen.includeOrigin) = (Array(scanner.origin), scanner.includeFile, scanner.includeOrigin)
                }
                direct.append(seen)
                if case .end = event { break }
                if case .error(_, _, true) = event { break }
            }
            var streamed: [Seen] = []
            let stream = ZoneScanStream(try #require(ZoneScanner(bytes: buffer, origin: ".", ttl: 3600, directory: "/nonexistent")))
            defer { stream.stop() }
            while true {
                let event = stream.next()
                var seen = Seen(event: "\(event)", start: stream.start, lineBefore: stream.lineBefore, offset: stream.offset)
                if case .record = event {
                    seen.type = stream.type
                    (seen.owner, seen.lower, seen.rdata) = (Array(stream.owner), Array(stream.lowercasedOwner), Array(stream.rdata))
                }
                if case .record = event { seen.origin = Array(stream.origin) }
                if case .include = event {
                    (seen.origin, seen.includeFile, seen.includeOrigin) = (Array(stream.origin), stream.includeFile, stream.includeOrigin)
                }
                streamed.append(seen)
                if case .end = event { break }
                if case .error(_, _, true) = event { break }
            }
            #expect(direct.count > 4 * ZoneScanStream.batchEntries)
            #expect(direct.contains { $0.event.hasPrefix("error") })
            #expect(direct.contains { $0.event.hasPrefix("include") })
            #expect(direct.contains { !$0.includeFile.isEmpty })
            #expect(streamed.count == direct.count)
            for (a, b) in zip(direct, streamed) where a != b {
                Issue.record("first difference: \(a) against \(b)")
                break
            }
        }
    }

    /// A reader that stops early (a later pass that needs only the first records) ends the
    /// scanning thread, which may be waiting for room in the ring.
    @Test func stoppingEarlyEndsTheScanningThread() throws {
        let bytes = Array(Self.text().utf8)
        try bytes.withUnsafeBytes { buffer in
            for wanted in [0, 1, 10, 3000] {
                let stream = ZoneScanStream(try #require(ZoneScanner(bytes: buffer, origin: ".", ttl: 3600, directory: "/nonexistent")))
                var records = 0
                while records < wanted, case .record = stream.next() { records += 1 }
                stream.stop()
                #expect(records == wanted)
            }
        }
    }
}

/// A record whose type and data are those of the record converted before takes ldns's fields
/// from it (`ConversionMemo`): it must be the very record ldns makes of it, owner (case kept),
/// TTL, location and wire form its own.
@Suite struct ConversionMemoTests {
    static let lines = [
        "_sip._tls.A.example.net. 300 IN SRV 0 0 5061 Sip.Edge.example.net.",
        "_sip._tls.b.example.net. 600 IN SRV 0 0 5061 Sip.Edge.example.net.",
        "_sip._tls.C.Example.NET. 300 IN SRV 0 0 5061 Sip.Edge.example.net.",
        "_sip._tls.d.example.net. 300 IN SRV 0 0 5061 sip.edge.example.net.",  // other case: other data
        "x.example.net. 300 IN CNAME target.example.net.",
        "y.example.net. 300 IN NS target.example.net.",  // the same data, another type
        "z.example.net. 300 IN DNAME target.example.net.",
        "z.example.net. 300 IN DNAME target.example.net.",
        "a1.example.net. 300 IN A 192.0.2.1",
        "a2.example.net. 300 IN A 192.0.2.1",
        "t.example.net. 300 IN TXT \"\"",
        "u.example.net. 300 IN TXT \"\"",
        "w.example.net. 300 IN TYPE65280 \\# 0",
        "v.example.net. 300 IN TYPE65280 \\# 0",
        "k.example.net. 300 IN TYPE65281 \\# 3 010203",
        "l.example.net. 300 IN TYPE65281 \\# 3 010203",
        // Data met a few records before (the memo keeps the last four), in turn.
        "m.example.net. 300 IN A 192.0.2.1",
        "n.example.net. 300 IN TXT \"\"",
        "o.example.net. 300 IN A 192.0.2.1",
        // Large data is not kept.
        "p.example.net. 300 IN TXT \"\(String(repeating: "p", count: 250))\" \"\(String(repeating: "p", count: 250))\" \"\(String(repeating: "p", count: 250))\"",
        "q.example.net. 300 IN TXT \"\(String(repeating: "p", count: 250))\" \"\(String(repeating: "p", count: 250))\" \"\(String(repeating: "p", count: 250))\"",
    ]

    @Test func aRecordWithTheDataBeforeIsTheOneLDNSMakes() throws {
        let bytes = Array((Self.lines.joined(separator: "\n") + "\n").utf8)
        try bytes.withUnsafeBytes { buffer in
            let scanner = try #require(ZoneScanner(bytes: buffer, origin: ".", ttl: 3600, directory: "/nonexistent"))
            let memo = ConversionMemo()
            var line = 0
            while case .record = scanner.next() {
                line += 1
                let location = SourceLocation(file: "m.zone", line: line)
                for keepingWire in [false, true] {
                    let plain = WireRecord.convert(owner: scanner.owner, type: scanner.type, rrClass: scanner.rrClass, ttl: scanner.ttl,
                                                   rdata: scanner.rdata, location: location, keepingWire: keepingWire)
                    let memoized = WireRecord.convert(owner: scanner.owner, type: scanner.type, rrClass: scanner.rrClass,
                                                      ttl: scanner.ttl, rdata: scanner.rdata, location: location,
                                                      keepingWire: keepingWire, memo: memo)
                    #expect(memoized.record == plain.record, "line \(line)")
                    #expect(memoized.wire == plain.wire, "line \(line)")
                }
            }
            #expect(line == Self.lines.count)
            // Lines 2, 3, 8, 10, 12, 14, 16, 17, 18 and 19 come from the memo (twice each), and
            // the second conversion of every other line but the large ones (20, 21).
            #expect(memo.hits == 2 * 10 + 9)
        }
    }
}
