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

/// BIND's and Knot's file-naming conventions for zones, as `kzonecheck` reads them.
@Suite struct ZoneFileOriginTests {
    @Test(arguments: [
        ("zones/tailspintoys.com.zone", "tailspintoys.com."),
        ("tailspintoys.com", "tailspintoys.com."),
        ("/var/lib/bind/db.contoso.com", "contoso.com."),
        ("contoso.com.db", "contoso.com."),
        ("contoso.com.zone.signed", "contoso.com."),
        ("db.contoso.com.signed", "contoso.com."),
        ("db.contoso.com.zone", "contoso.com."),
        ("Contoso.COM.zone", "contoso.com."),
        ("eu.tailwind.example.zone", "eu.tailwind.example."),
        ("xn--bcher-kva.example.zone", "xn--bcher-kva.example."),
    ])
    func conventions(path: String, origin: String) {
        #expect(ZoneFileOrigin.fromFileName(path) == origin)
    }

    /// Names that follow no convention give no origin: the file must say it, or `--origin`.
    @Test(arguments: ["-", "zonefile", "contoso.com.txt", "contoso.com.bak", "db.local", "contoso.zone", "zone.1",
                      "my zone.com.zone", "contoso..com.zone", ".zone", "db.", "contoso.com.conf"])
    func noConvention(path: String) {
        #expect(ZoneFileOrigin.fromFileName(path) == nil)
    }
}

/// The suffixes kept from the owner before give the same suffixes as computing them anew.
@Suite struct SuffixMemoTests {
    static let owners = [
        "host1.example.net.", "host1.example.net.", "host2.example.net.", "www.host2.example.net.", "host3.example.net.",
        "_sip._tcp.host3.example.net.", "_sipfederationtls._tcp.host3.example.net.", "mail.host3.example.net.",
        "a\\.b.example.net.", "a\\\\.example.net.", "x.a\\\\.example.net.", "y.a\\\\.example.net.", "b.example.net.",
        "example.net.", "net.", ".", "h.example.net.", "b.example.org.", "c.example.org.", "c.d.example.org.",
        "e\\.example.org.", "\\\\.example.org.", "xample.org.", "org.",
    ]

    @Test func sameSuffixesAsComputedAnew() {
        let memo = SuffixMemo(), via = NameSuffixes(), fresh = NameSuffixes()
        defer { via.deallocate(); fresh.deallocate() }
        var hits = 0
        for owner in Self.owners + Self.owners.reversed() {
            Array(owner.utf8).withUnsafeBufferPointer { o in
                fresh.compute(o)
                // A mark per suffix that says which suffix it is: copied marks must still say so.
                for k in 0..<fresh.count { fresh.marks[k] = 1000 + o.count - fresh.starts[k] }
                let shared = memo.fill(via, owner: o, generation: 0)
                if shared > 0 {
                    hits += 1
                    #expect(via.count == fresh.count, "\(owner)")
                    for k in 0..<min(via.count, fresh.count) {
                        #expect(via.starts[k] == fresh.starts[k] && via.hashes[k] == fresh.hashes[k], "\(owner) suffix \(k)")
                        if k >= via.count - shared { #expect(via.marks[k] == fresh.marks[k], "\(owner) mark \(k)") }
                    }
                }
                memo.remember(fresh, owner: o, generation: 0)
            }
        }
        #expect(hits >= 30)
        // Another generation of the watched names: the marks kept are stale, nothing is reused.
        Array("host9.example.net.".utf8).withUnsafeBufferPointer { o in
            #expect(memo.fill(via, owner: o, generation: 0) > 0)
            #expect(memo.fill(via, owner: o, generation: 1) == 0)
        }
    }

    /// The collector keeps a new owner in the memo unless it is a sibling of the kept one: after
    /// a deeper owner, the filler that follows (`host1`, `host2`, … under `example.net.`) must be
    /// kept, or every one of them misses the sibling path.
    @Test func siblingOnlyWithTheSameParent() {
        let memo = SuffixMemo(), via = NameSuffixes(), fresh = NameSuffixes()
        defer { via.deallocate(); fresh.deallocate() }
        func fill(_ owner: String) -> Int {
            Array(owner.utf8).withUnsafeBufferPointer { memo.fill(via, owner: $0, generation: 0) }
        }
        func remember(_ owner: String) {
            Array(owner.utf8).withUnsafeBufferPointer { o in
                fresh.compute(o)
                memo.remember(fresh, owner: o, generation: 0)
            }
        }
        remember("_sip._tcp.tenant9.example.net.")
        let cousin = fill("host1.example.net.")
        #expect(cousin == 2)  // example.net. and net.
        #expect(!memo.isSibling(shared: cousin, of: via))
        remember("host1.example.net.")
        let sibling = fill("host2.example.net.")
        #expect(sibling == 2)
        #expect(memo.isSibling(shared: sibling, of: via))
        // A child of the kept owner shares all its suffixes: not a sibling either.
        let child = fill("www.host1.example.net.")
        #expect(child == 3)
        #expect(!memo.isSibling(shared: child, of: via))
    }
}

/// The walk from a name to its zone's apex that answers look for cuts and DNAMEs on.
@Suite struct ZoneAnswersParentTests {
    @Test(arguments: [
        ("sip.contoso.com.", "contoso.com."), ("a\\.b.contoso.com.", "contoso.com."),
        ("a\\\\.b.contoso.com.", "b.contoso.com."), ("com.", "."),
    ])
    func parent(name: String, parent: String) {
        #expect(ZoneAnswers.parent(of: Substring(name)).map(String.init) == parent)
    }

    @Test func rootHasNone() {
        #expect(ZoneAnswers.parent(of: ".") == nil)
    }
}

/// `Bytes.equal` (whole words, the last one overlapping) against a byte-by-byte comparison:
/// every length up to 40, a difference at every position.
@Suite struct BytesEqualTests {
    @Test func sameAsByteByByte() {
        for n in 0...40 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
            a.withUnsafeBufferPointer { pa in
                var b = a
                b.withUnsafeBufferPointer { pb in
                    #expect(n == 0 || Bytes.equal(pa.baseAddress!, pb.baseAddress!, n), "length \(n)")
                }
                for k in 0..<n {
                    b = a
                    b[k] ^= 0x20
                    b.withUnsafeBufferPointer { pb in
                        #expect(!Bytes.equal(pa.baseAddress!, pb.baseAddress!, n), "length \(n), difference at \(k)")
                        // Only the first k bytes are compared: equal.
                        #expect(Bytes.equal(pa.baseAddress!, pb.baseAddress!, k), "length \(k) of \(n)")
                    }
                }
            }
        }
    }

    /// `Bytes.copy` (whole words, the last one overlapping) writes exactly the `n` bytes, every
    /// length up to 40, and nothing before or after them.
    @Test func copyWritesExactlyTheBytes() {
        for n in 0...40 {
            let source = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 1) }
            var target = [UInt8](repeating: 0xEE, count: n + 16)
            source.withUnsafeBufferPointer { s in
                target.withUnsafeMutableBufferPointer { t in
                    if let from = s.baseAddress { Bytes.copy(t.baseAddress! + 8, from: from, n) }
                }
            }
            #expect(Array(target[8..<(8 + n)]) == source, "length \(n)")
            #expect(target[..<8].allSatisfy { $0 == 0xEE } && target[(8 + n)...].allSatisfy { $0 == 0xEE }, "length \(n)")
        }
    }

    /// `Bytes.commonSuffix` (8 bytes at a time from the end) against counting byte by byte:
    /// every length and limit up to 40, a difference at every position.
    @Test func commonSuffixSameAsByteByByte() {
        for n in 1...40 {
            let a = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            for k in -1..<n {  // -1: no difference
                var b = a
                if k >= 0 { b[k] ^= 0x01 }
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        for limit in 0...n {
                            var expected = 0
                            while expected < limit, pa[n - 1 - expected] == pb[n - 1 - expected] { expected += 1 }
                            #expect(Bytes.commonSuffix(pa.baseAddress! + n, pb.baseAddress! + n, limit) == expected,
                                    "length \(n), difference at \(k), limit \(limit)")
                        }
                    }
                }
            }
        }
    }
}

/// `NameSet`, the table of every name the zone-file reader looks up: slots keep 32 bits of the
/// hash and are placed again from them when the table grows; the filter exists from the first
/// insert; `removeAll` gives everything back and leaves a usable set.
@Suite struct NameSetTests {
    static let names = (0..<50_000).map { "h\($0).tenant\($0 % 97).example.net." }

    @Test func everyNameIsFoundAfterTheTableGrew() {
        let set = NameSet()
        #expect(!set.contains("example.net."))  // empty, no filter yet
        for (i, name) in Self.names.enumerated() {
            let inserted = set.insert(name)
            #expect(inserted.index == i && inserted.inserted)
        }
        #expect(set.count == Self.names.count)
        for (i, name) in Self.names.enumerated() where i % 7 == 0 {
            #expect(set.index(of: name) == i, "\(name)")
            #expect(set.insert(name) == (i, false))
            let bytes = Array(name.utf8)
            bytes.withUnsafeBufferPointer { b in
                #expect(set.index(of: b[...], hash: NameHash.of(b[...])) == i)
                #expect(!set.contains(b[..<(b.count - 1)]), "a prefix is another name")
            }
        }
        #expect(!set.contains("h50000.tenant0.example.net."))
    }

    @Test func removeAllLeavesAnEmptyUsableSet() {
        let set = NameSet()
        for name in Self.names.prefix(5000) { set.insert(name) }
        set.removeAll()
        #expect(set.count == 0)
        #expect(!Self.names.prefix(5000).contains { set.contains($0) })
        #expect(set.insert("sip.contoso.com.") == (0, true))
        #expect(set.index(of: "sip.contoso.com.") == 0 && !set.contains(Self.names[0]))
    }
}
