@testable import FedplanCore
import Testing

/// The suffix scan the zone-file reader runs on every owner: where each label starts.
@Suite struct NameSuffixesTests {
    func suffixes(_ name: String) -> [String] {
        let s = NameSuffixes()
        defer { s.deallocate() }
        let bytes = Array(name.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            s.compute(buffer)
            return (0..<s.count).map { String(decoding: buffer[s.starts[$0]...], as: UTF8.self) }
        }
    }

    @Test func everyAncestor() {
        #expect(suffixes("sip.contoso.com.") == ["sip.contoso.com.", "contoso.com.", "com."])
    }

    /// `\.` is a dot inside a label; `\\.` is an escaped backslash, then a label dot.
    @Test(arguments: [
        ("a\\.b.contoso.com.", ["a\\.b.contoso.com.", "contoso.com.", "com."]),
        ("a\\\\.b.contoso.com.", ["a\\\\.b.contoso.com.", "b.contoso.com.", "contoso.com.", "com."]),
        ("a\\\\\\.b.contoso.com.", ["a\\\\\\.b.contoso.com.", "contoso.com.", "com."]),
        ("\\\\.contoso.com.", ["\\\\.contoso.com.", "contoso.com.", "com."]),
        ("a\\046b.contoso.com.", ["a\\046b.contoso.com.", "contoso.com.", "com."]),
    ])
    func escapedDots(name: String, expected: [String]) {
        #expect(suffixes(name) == expected)
    }

    /// The hash of each suffix is the hash of that suffix alone: lookups by suffix find names
    /// inserted whole.
    @Test func hashesMatchWholeNames() {
        let s = NameSuffixes()
        defer { s.deallocate() }
        let bytes = Array("a\\\\.b.contoso.com.".utf8)
        bytes.withUnsafeBufferPointer { buffer in
            s.compute(buffer)
            for k in 0..<s.count {
                #expect(s.hashes[k] == NameHash.of(Array(buffer[s.starts[k]...])))
            }
        }
    }
}
