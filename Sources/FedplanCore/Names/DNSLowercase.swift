#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

extension String {
    /// The name in lower case, as DNS compares names. Most names already are: then the same
    /// storage is returned instead of a copy (`lowercased()` always allocates one), which is
    /// what keeps a 20,000-record check from holding several copies of every planned name.
    public var dnsLowercased: String {
        needsLowercasing ? lowercased() : self
    }

    /// An upper-case ASCII letter or a non-ASCII byte. Looked at through the contiguous UTF-8
    /// storage when there is one: iterating the UTF-8 view costs several times more per byte,
    /// and this runs for every name a large check compares.
    private var needsLowercasing: Bool {
        func test(_ b: UInt8) -> Bool { b &- UInt8(ascii: "A") < 26 || b >= 0x80 }
        // A plain loop over the bytes: `contains(where:)` through the closure cost 18
        // instructions per byte, and this runs for every name a large check looks up.
        if let found = utf8.withContiguousStorageIfAvailable({ Self.hasUpperOrNonASCII($0) }) { return found }
        return utf8.contains(where: test)
    }

    /// Whether the bytes hold an upper-case ASCII letter or a non-ASCII byte: 8 bytes at a time,
    /// then byte by byte. Why: a name of 45 bytes cost 450 instructions a byte at a time, and the
    /// zone-file reader asks this twice for each record it keeps. In a word whose bytes are all
    /// below 0x80 (tested first), adding 0x3F to each sets its top bit when it is 'A' or above,
    /// adding 0x25 when it is above 'Z', and no addition carries into the next byte.
    static func hasUpperOrNonASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return false }
        let n = bytes.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if x & high != 0 { return true }
            if (x &+ ones &* 0x3F) & ~(x &+ ones &* 0x25) & high != 0 { return true }
            i += 8
        }
        while i < n {
            let b = p[i]
            if b &- UInt8(ascii: "A") < 26 || b >= 0x80 { return true }
            i += 1
        }
        return false
    }
}

extension String {
    /// The name with its ancestor `owner` (its last bytes; none for the root) replaced by
    /// `target` (RFC 6672's substitution: `_sip._tcp.d0.example.net.` below the DNAME
    /// `d0.example.net.` → `t0.example.net.` is `_sip._tcp.t0.example.net.`); the root as
    /// target adds nothing. By bytes: `dropLast` on a `String` walks grapheme clusters, 5,000
    /// instructions per name in a zone with thousands of DNAMEs.
    public func dnameSubstituted(below owner: String, by target: String) -> String {
        // Below a DNAME at the root the whole name is kept (`a.b.` → `a.b.c.` for `c.`).
        let keep = utf8.count - (owner == "." ? 0 : owner.utf8.count)
        let head = keep > 0 ? String(decoding: utf8.prefix(keep), as: UTF8.self) : ""
        return target == "." ? head : head + target
    }

    /// Whether `owner` is a proper ancestor of this name (its bytes end the name, after a dot),
    /// compared in place; the root is every name's ancestor.
    public func isBelow(_ owner: String) -> Bool {
        if owner == "." { return self != "." }
        let n = utf8.count, m = owner.utf8.count
        guard n > m + 1 else { return false }
        var name = self, owner = owner
        return name.withUTF8 { a in
            owner.withUTF8 { b in a[n - m - 1] == UInt8(ascii: ".") && memcmp(a.baseAddress! + n - m, b.baseAddress!, m) == 0 }
        }
    }
}
