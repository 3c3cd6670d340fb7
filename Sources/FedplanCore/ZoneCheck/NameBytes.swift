/// Names as the bytes of their lower-case presentation form (`sip.contoso.com.`), hashed with
/// FNV-1a. The zone-file hot path looks at every owner of a large zone; comparing bytes and
/// hashes avoids building a `String` per owner and per suffix.
public typealias NameBytes = UnsafeBufferPointer<UInt8>

enum NameHash {
    static func of(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    /// Start offsets of the labels: 0 and the byte after each dot (the root's empty label aside).
    static func labelStarts(_ name: NameBytes) -> [Int] {
        var starts = [0]
        for i in 0..<max(0, name.count - 1) where name[i] == UInt8(ascii: ".") { starts.append(i + 1) }
        return starts
    }
}

/// A set of names looked up by hash, verified byte for byte.
struct NameSet {
    private var byHash: [UInt64: [[UInt8]]] = [:]

    @discardableResult
    mutating func insert(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let h = NameHash.of(bytes)
        if byHash[h]?.contains(bytes) == true { return false }
        byHash[h, default: []].append(bytes)
        return true
    }

    func contains(_ name: Slice<NameBytes>) -> Bool {
        guard let candidates = byHash[NameHash.of(name)] else { return false }
        return candidates.contains { $0.elementsEqual(name) }
    }

    func contains(_ name: String) -> Bool {
        guard let candidates = byHash[NameHash.of(name.utf8)] else { return false }
        return candidates.contains { $0.elementsEqual(name.utf8) }
    }
}
