@testable import FedplanCore
import Testing

/// The first-label bitset that lets the zone-file reader skip a lookup of the watched names:
/// never "no" for a noted name, whatever its escapes; "no" for most other labels.
@Suite struct FirstLabelsTests {
    /// Notes every suffix of `names` as `ZoneCollector.want` does, then asks as `markExisting`
    /// does, for each suffix of each owner.
    func answers(noting names: [String], asking owners: [String]) -> [[Bool]] {
        let labels = FirstLabels()
        let s = NameSuffixes()
        defer { s.deallocate() }
        for name in names {
            let bytes = Array(name.utf8)
            bytes.withUnsafeBufferPointer { b in
                s.compute(b)
                for k in 0..<s.count {
                    labels.insert(b[s.starts[k]...], labelEnd: k + 1 < s.count ? s.starts[k + 1] - 1 : b.count - 1)
                }
            }
        }
        return owners.map { owner in
            let bytes = Array(owner.utf8)
            return bytes.withUnsafeBufferPointer { b in
                s.compute(b)
                return (0..<s.count).map { labels.mayContain(b, suffixes: s, $0) }
            }
        }
    }

    @Test func everyNotedSuffixIsAMaybe() {
        let names = ["_sipfederationtls._tcp.tenant001.example.net.", "sip.edge.fourthcoffee.example.net.",
                     "a\\.b.contoso.com.", "a\\\\.b.contoso.com.", "x.", "a\\046b.contoso.com."]
        for row in answers(noting: names, asking: names) { #expect(row.allSatisfy { $0 }) }
    }

    @Test func fillerFrontLabelsAreANo() {
        let rows = answers(noting: ["_sipfederationtls._tcp.tenant001.example.net.", "sip.edge.fourthcoffee.example.net."],
                           asking: ["host123.example.net.", "www4567.example.net.", "txt89.example.net.", "h1.edge.fourthcoffee.example.net."])
        // The front label is a "no"; the shared parents are noted.
        for row in rows {
            #expect(row.first == false)
            #expect(row.dropFirst().allSatisfy { $0 })
        }
    }
}
