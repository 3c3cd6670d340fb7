/// Names as the bytes of their lower-case presentation form (`sip.contoso.com.`). The zone-file
/// hot path looks at every owner of a large zone; comparing bytes and hashes avoids building a
/// `String` per owner and per suffix.
public typealias NameBytes = UnsafeBufferPointer<UInt8>

/// FNV-1a run from the last byte to the first, so that one backward pass over a name yields the
/// hash of every suffix (every ancestor) at once.
enum NameHash {
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    static func of(_ bytes: some BidirectionalCollection<UInt8>) -> UInt64 {
        var h = basis
        for b in bytes.reversed() { h = (h ^ UInt64(b)) &* prime }
        return h
    }
}

/// The labels of one name: where each suffix starts and its hash, from the whole name (index 0)
/// to the last label. Storage is reused from name to name.
struct NameSuffixes {
    private(set) var starts: [Int] = []
    private(set) var hashes: [UInt64] = []

    init() {
        starts.reserveCapacity(128)
        hashes.reserveCapacity(128)
    }

    var count: Int { starts.count }

    mutating func compute(_ name: NameBytes) {
        starts.removeAll(keepingCapacity: true)
        hashes.removeAll(keepingCapacity: true)
        var h = NameHash.basis
        // The root's final dot is part of every suffix; a label starts after an unescaped dot.
        var i = name.count - 1
        while i >= 0 {
            h = (h ^ UInt64(name[i])) &* NameHash.prime
            if i == 0 || (name[i - 1] == UInt8(ascii: ".") && (i < 2 || name[i - 2] != UInt8(ascii: "\\"))) {
                starts.append(i)
                hashes.append(h)
            }
            i -= 1
        }
        starts.reverse()
        hashes.reverse()
    }
}

/// A set of names in one byte pool, looked up by our own hash with open addressing (Swift's
/// `Set` would hash every lookup again with SipHash, the largest cost of reading a big zone).
/// Each name gets a stable index, which callers use to keep a flag per name.
struct NameSet {
    private var pool: [UInt8] = []
    private var offsets: [Int] = [0]
    private var slotHash: [UInt64]
    /// Index + 1 of the name in each slot; 0 is empty.
    private var slotEntry: [Int32]

    init() {
        slotHash = Array(repeating: 0, count: 64)
        slotEntry = Array(repeating: 0, count: 64)
    }

    var count: Int { offsets.count - 1 }

    /// Inserts a name; returns its index and whether it was new.
    @discardableResult
    mutating func insert<C: BidirectionalCollection<UInt8>>(_ name: C) -> (index: Int, inserted: Bool) {
        let h = NameHash.of(name)
        if let found = find(name, hash: h) { return (found, false) }
        if (count + 1) * 2 > slotEntry.count { grow() }
        pool.append(contentsOf: name)
        offsets.append(pool.count)
        place(index: count - 1, hash: h)
        return (count - 1, true)
    }

    @discardableResult
    mutating func insert(_ name: String) -> (index: Int, inserted: Bool) { insert(Array(name.utf8)) }

    func index(of name: Slice<NameBytes>, hash: UInt64) -> Int? { find(name, hash: hash) }

    func contains(_ name: Slice<NameBytes>, hash: UInt64) -> Bool { find(name, hash: hash) != nil }

    func contains(_ name: Slice<NameBytes>) -> Bool { contains(name, hash: NameHash.of(name)) }

    func index(of name: String) -> Int? {
        let bytes = Array(name.utf8)
        return find(bytes, hash: NameHash.of(bytes))
    }

    func contains(_ name: String) -> Bool { index(of: name) != nil }

    private func find<C: Collection<UInt8>>(_ name: C, hash h: UInt64) -> Int? {
        let mask = slotEntry.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let entry = Int(slotEntry[slot])
            if entry == 0 { return nil }
            if slotHash[slot] == h, pool[offsets[entry - 1]..<offsets[entry]].elementsEqual(name) { return entry - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(index: Int, hash h: UInt64) {
        let mask = slotEntry.count - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while slotEntry[slot] != 0 { slot = (slot + 1) & mask }
        slotEntry[slot] = Int32(index + 1)
        slotHash[slot] = h
    }

    private mutating func grow() {
        let old = zip(slotHash, slotEntry).filter { $0.1 != 0 }
        slotHash = Array(repeating: 0, count: slotEntry.count * 2)
        slotEntry = Array(repeating: 0, count: slotHash.count)
        for (h, e) in old { place(index: Int(e) - 1, hash: h) }
    }
}
