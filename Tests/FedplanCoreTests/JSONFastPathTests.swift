@testable import FedplanCore
import Foundation
import Testing

/// The shortcuts of the streamed JSON writer: enum values written as literals, keys prepared
/// once per depth, numbers written straight into the buffer, and untrusted text that needs no
/// escape copied as it is. Each must write exactly what the general path (and `JSONEncoder`)
/// writes.
@Suite struct JSONFastPathTests {
    @Test func literalsAreTheRawValues() {
        let statuses: [RecordStatus] = [.ok, .error, .warning, .notice, .unverified, .notCovered]
        for s in statuses { #expect(CheckJSON.name(s).description == s.rawValue) }
        for t in RecordType.allCases { #expect(CheckJSON.name(t).description == t.rawValue) }
        for d in DNSSECStatus.allCases { #expect(CheckJSON.name(d).description == d.rawValue) }
    }

    /// Records with every DNSSEC status, a cut list and no observation: the document
    /// `JSONEncoder` writes from the same values.
    @Test func recordRowsAreWhatJSONEncoderWrote() {
        let statuses: [DNSSECStatus?] = DNSSECStatus.allCases.map { $0 } + [nil]
        let rows = statuses.enumerated().map { i, dnssec in
            CheckReport.RecordResult(
                record: StreamRendererTests.record("_sipfederationtls._tcp.tenant\(i).example.net", .srv, zone: "example.net",
                                                   data: StreamRendererTests.srv("sip.edge.example.net", port: UInt16(5061 + i * 20_000 % 60_000))),
                status: i == 1 ? .error : .ok, observed: i == 2 ? nil : "0 0 5061 sip.edge.example.net. \(i)",
                observedTotal: i == 1 ? 1_000 : nil, dnssec: dnssec)
        }
        let report = CheckReport(description: "d", servers: ["127.0.0.1:53"], records: rows, findings: [], stopped: nil)
        let reference = JSONDocuments.encode(CheckRenderer.Document(
            description: "d", servers: report.servers, summary: report.summary,
            records: rows.map {
                CheckRenderer.RecordJSON(name: $0.record.name.description, type: $0.record.type.rawValue,
                                         zone: $0.record.zone.description, expected: $0.record.data.description,
                                         observed: $0.observed, observed_total: $0.observedTotal, status: $0.status,
                                         dnssec: $0.dnssec)
            },
            findings: [], stopped: nil))
        let streamed = CheckRenderer.json(report)
        #expect(streamed == reference)
        #expect(streamed.contains(#""dnssec" : "indeterminate""#))
    }

    /// A prepared key writes what `key(_:)` writes, first in its object or after a value.
    @Test func preparedKeysAreWhatKeyWrites() {
        func document(prepared: Bool) -> String {
            let sink = StringSink()
            var w = JSONWriter(sink)
            w.beginObject()
            w.key("list")
            w.beginArray()
            let a = w.prepare("a", nested: 1), long = w.prepare("a_longer_key_than_eight", nested: 1)
            for n in 0..<3 {
                w.element()
                w.beginObject()
                if prepared { w.key(a) } else { w.key("a") }
                w.value(n)
                if prepared { w.key(long) } else { w.key("a_longer_key_than_eight") }
                w.value("x")
                w.endObject()
            }
            w.endArray()
            w.endObject()
            w.finish()
            return sink.text
        }
        #expect(document(prepared: true) == document(prepared: false))
    }

    @Test func numbersAreTheirDecimalText() {
        let numbers = [0, 1, 9, 10, 11, 99, 100, 999, 1000, 5061, 9999, 10_000, 65_535, 99_999, 100_000, 999_999,
                       1_000_000, 1_000_001, Int.max, -1, -10, Int.min]
        for n in numbers {
            let sink = StringSink()
            let out = BufferedOutput(sink)
            out.write(n)
            out.flush()
            #expect(sink.text == String(n))
        }
    }

    @Test func srvNumbersAreTheirDecimalTextWithSpaces() {
        let values: [UInt16] = [0, 1, 9, 10, 99, 100, 999, 1000, 5061, 9999, 10_000, 65_535]
        for a in values {
            for b in values {
                for c in values {
                    let sink = StringSink()
                    let out = BufferedOutput(sink)
                    out.writeSpaced((a, b, c))
                    out.flush()
                    #expect(sink.text == "\(a) \(b) \(c) ")
                }
            }
        }
    }

    /// `text(_:)` copies printable ASCII without `"` or `\` as it is, and sends everything else
    /// through `Escape.text` and JSON's escapes: every ASCII character at every place of a word.
    @Test func untrustedTextIsEscapedAsBefore() {
        for byte in UInt8(0)..<0x80 {
            for place in 0..<10 {
                var s = String(repeating: "a", count: place)
                s.unicodeScalars.append(Unicode.Scalar(byte))
                s += String(repeating: "b", count: 17 - place)
                for text in [s, s + "é"] {
                    let fast = StringSink(), general = StringSink()
                    let w = JSONWriter(fast)
                    w.text(text)
                    w.finish()
                    let g = JSONWriter(general)
                    g.value(Escape.text(text))
                    g.finish()
                    #expect(fast.text == general.text, "\(byte) at \(place)")
                }
            }
        }
    }
}
