#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Names as the bytes of their lower-case presentation form (`sip.contoso.com.`). The zone-file
/// hot path looks at every owner of a large zone; comparing bytes and hashes avoids building a
/// `String` per owner and per suffix.
public typealias NameBytes = UnsafeBufferPointer<UInt8>

/// Byte comparison for the per-record paths of the zone-file reader.
public enum Bytes {
    /// Whether the `n` bytes at `a` and `b` are equal, 8 at a time, inline; from 8 bytes on the
    /// last word is read where it ends, overlapping the one before (13 bytes: two loads each,
    /// no byte loop). Why: the names and origins compared for every record of a large zone are
    /// 10 to 30 bytes long, where a call to memcmp (dispatch, alignment prologue) costs more
    /// than the comparison itself.
    @inlinable @inline(__always)
    public static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                    return false
                }
                i += 8
            }
            return UnsafeRawPointer(a + n - 8).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(b + n - 8).loadUnaligned(as: UInt64.self)
        }
        var i = 0
        while i < n {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Copies `n` bytes from `source` to `target` (the two must not overlap): 8 at a time,
    /// inline, from 8 bytes on the last word written where it ends. Why: the zone-file reader
    /// copies an owner's shared tail (`.example.net.`, 10 to 30 bytes) for every record, and a
    /// call to memcpy cost more than the copy.
    @inlinable @inline(__always)
    public static func copy(_ target: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, _ n: Int) {
        if n >= 8 {
            var i = 0
            while i + 8 < n {
                UnsafeMutableRawPointer(target + i).storeBytes(of: UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self),
                                                               as: UInt64.self)
                i += 8
            }
            UnsafeMutableRawPointer(target + n - 8).storeBytes(of: UnsafeRawPointer(source + n - 8).loadUnaligned(as: UInt64.self),
                                                               as: UInt64.self)
            return
        }
        var i = 0
        while i < n {
            target[i] = source[i]
            i += 1
        }
    }

    /// How many of the bytes before `aEnd` and before `bEnd` are the same, counted from the
    /// end, at most `limit`: 8 at a time, then byte by byte. Why: owners that follow each other
    /// share their last labels (`.tenant42.example.net.`), and this tail is measured for every
    /// owner whose parent differs from the one before. A word loaded little-endian holds its
    /// last byte in the top bits, so the equal bytes at the end of a word are its leading zero
    /// bytes of the two words' xor.
    @inlinable @inline(__always)
    public static func commonSuffix(_ aEnd: UnsafePointer<UInt8>, _ bEnd: UnsafePointer<UInt8>, _ limit: Int) -> Int {
        var c = 0
        #if _endian(little)
        while c + 8 <= limit {
            let x = UnsafeRawPointer(aEnd - c - 8).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(bEnd - c - 8).loadUnaligned(as: UInt64.self)
            if x != 0 { return c + x.leadingZeroBitCount >> 3 }
            c += 8
        }
        #endif
        while c < limit, aEnd[-1 - c] == bEnd[-1 - c] { c += 1 }
        return c
    }
}

/// FNV-1a run from the last byte to the first, so that one backward pass over a name yields the
/// hash of every suffix (every ancestor) at once.
enum NameHash {
    static let basis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x100_0000_01b3

    static func of(_ bytes: UnsafePointer<UInt8>, count: Int) -> UInt64 {
        var h = basis
        var i = count - 1
        while i >= 0 {
            h = (h ^ UInt64(bytes[i])) &* prime
            i -= 1
        }
        return h
    }

    /// Through a pointer: a generic walk over a slice costs a witness call per byte.
    static func of(_ bytes: Slice<NameBytes>) -> UInt64 {
        guard let base = bytes.base.baseAddress else { return basis }
        return of(base + bytes.startIndex, count: bytes.count)
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { of($0[...]) }
    }
}

/// The labels of one name: where each suffix starts and its hash, from the whole name (index 0)
/// to the last label, plus a mark per suffix that the user fills (the collector notes each
/// suffix's index in its name table). Storage is fixed (a name has at most 128 labels with the
/// root), allocated once and reused for every owner; every field is reached through a `let`
/// pointer, so the hot path costs no exclusivity check and no reference counting.
struct NameSuffixes {
    static let capacity = 128
    let starts: UnsafeMutablePointer<Int>
    let hashes: UnsafeMutablePointer<UInt64>
    let marks: UnsafeMutablePointer<Int>
    private let countStore: UnsafeMutablePointer<Int>

    init() {
        starts = .allocate(capacity: Self.capacity)
        hashes = .allocate(capacity: Self.capacity)
        marks = .allocate(capacity: Self.capacity)
        countStore = .allocate(capacity: 1)
        countStore.initialize(to: 0)
    }

    /// Called once by the owner of the storage.
    func deallocate() {
        starts.deallocate()
        hashes.deallocate()
        marks.deallocate()
        countStore.deallocate()
    }

    var count: Int { countStore.pointee }

    /// For `SuffixMemo`, which fills the fields itself.
    func set(count: Int) { countStore.pointee = count }

    /// Fills in the suffixes of `name` (presentation form, ending in the root's dot).
    func compute(_ name: NameBytes) {
        // Walk backwards: the root's final dot is part of every suffix; a label starts after an
        // unescaped dot. Suffixes are found last first, then the order is reversed in place.
        var h = NameHash.basis
        var n = 0
        var i = name.count - 1
        while i >= 0, n < Self.capacity {
            h = (h ^ UInt64(name[i])) &* NameHash.prime
            if i == 0 || (name[i - 1] == UInt8(ascii: ".") && !Self.isEscaped(dotAt: i - 1, in: name)) {
                starts[n] = i
                hashes[n] = h
                n += 1
            }
            i -= 1
        }
        var a = 0, b = n - 1
        while a < b {
            swap(&starts[a], &starts[b])
            swap(&hashes[a], &hashes[b])
            a += 1
            b -= 1
        }
        countStore.pointee = n
    }

    /// Whether the dot at `dot` is escaped (`\.`, a dot inside a label): an odd number of
    /// backslashes right before it. `a\\.b.` is an escaped backslash and then a label dot; only
    /// counting tells the two apart. Names almost never hold a backslash, so this is one test.
    @inline(__always)
    static func isEscaped(dotAt dot: Int, in name: NameBytes) -> Bool {
        var k = dot - 1
        while k >= 0, name[k] == UInt8(ascii: "\\") { k -= 1 }
        return (dot - 1 - k) % 2 == 1
    }
}

/// A set of names in one byte pool, looked up by our own hash with open addressing (Swift's
/// `Set` would hash every lookup again with SipHash, the largest cost of reading a big zone).
/// Each name gets a stable index and a byte of flags. Storage is manual and owned here (a final
/// class over unsafe buffers), so that a lookup in the hot path costs no reference counting and
/// no exclusivity check.
final class NameSet {
    private struct Slot {
        /// The low 32 bits of the name's hash: 8 bytes a slot, not 16 (the watched names of a
        /// 10,000-domain plan have 131,072 slots, a mebibyte saved), and they are the bits the
        /// slot's position comes from, so a table that grows places each name again from them.
        var tag: UInt32
        /// Index + 1 of the name; 0 is empty.
        var entry: Int32
    }

    private var pool: UnsafeMutablePointer<UInt8>
    private var poolCapacity: Int
    private var poolCount = 0
    /// Start of name i at offsets[i], end at offsets[i + 1].
    private var offsets: UnsafeMutablePointer<Int32>
    private var flagStore: UnsafeMutablePointer<UInt8>
    private var entryCapacity: Int
    private(set) var count = 0
    private var slots: UnsafeMutablePointer<Slot>
    private var slotCount: Int
    /// One bit per hash (the high bits), small enough to stay in cache: most owners of a big
    /// zone are not in the set, and this answers "no" for them without touching the slots.
    /// Allocated at the first insert: a check keeps several sets that stay empty (the late-pass
    /// ones, and those emptied once reading is done), 128 KiB each of memory for nothing.
    private var filter: UnsafeMutablePointer<UInt64>?
    private static let filterWords = 1 << 14  // 2^20 bits, 128 KiB

    init() {
        poolCapacity = 1024
        pool = .allocate(capacity: poolCapacity)
        entryCapacity = 64
        offsets = .allocate(capacity: entryCapacity + 1)
        offsets[0] = 0
        flagStore = .allocate(capacity: entryCapacity)
        slotCount = 128
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(tag: 0, entry: 0), count: slotCount)
    }

    deinit {
        filter?.deallocate()
        pool.deallocate()
        offsets.deallocate()
        flagStore.deallocate()
        slots.deallocate()
    }

    /// Inserts a name; returns its index and whether it was new.
    @discardableResult
    func insert(_ name: Slice<NameBytes>) -> (index: Int, inserted: Bool) { insert(name, hash: NameHash.of(name)) }

    /// The same, with the name's `NameHash` known (`NameSuffixes` computes every suffix's).
    @discardableResult
    func insert(_ name: Slice<NameBytes>, hash h: UInt64) -> (index: Int, inserted: Bool) {
        if let found = find(name, hash: h) { return (found, false) }
        if (count + 1) * 2 > slotCount { growSlots() }
        if count == entryCapacity { growEntries() }
        while poolCount + name.count > poolCapacity { growPool() }
        if let base = name.base.baseAddress { (pool + poolCount).update(from: base + name.startIndex, count: name.count) }
        poolCount += name.count
        offsets[count + 1] = Int32(poolCount)
        flagStore[count] = 0
        place(index: count, hash: h)
        count += 1
        return (count - 1, true)
    }

    @discardableResult
    func insert(_ name: String) -> (index: Int, inserted: Bool) { insert(Array(name.utf8)) }

    @discardableResult
    func insert(_ bytes: [UInt8]) -> (index: Int, inserted: Bool) {
        bytes.withUnsafeBufferPointer { insert($0[...]) }
    }

    func index(of name: Slice<NameBytes>, hash: UInt64) -> Int? { find(name, hash: hash) }

    /// Empties the set and gives its storage back (a set of tens of thousands of names holds
    /// megabytes), keeping the minimum capacity of a new one.
    func removeAll() {
        pool.deallocate()
        offsets.deallocate()
        flagStore.deallocate()
        slots.deallocate()
        poolCapacity = 1024
        pool = .allocate(capacity: poolCapacity)
        poolCount = 0
        entryCapacity = 64
        offsets = .allocate(capacity: entryCapacity + 1)
        offsets[0] = 0
        flagStore = .allocate(capacity: entryCapacity)
        count = 0
        slotCount = 128
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(tag: 0, entry: 0), count: slotCount)
        filter?.deallocate()
        filter = nil
    }

    func contains(_ name: Slice<NameBytes>, hash: UInt64) -> Bool { find(name, hash: hash) != nil }

    func contains(_ name: Slice<NameBytes>) -> Bool { contains(name, hash: NameHash.of(name)) }

    func index(of name: String) -> Int? { index(of: Array(name.utf8)) }

    func index(of bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { find($0[...], hash: NameHash.of(bytes)) }
    }

    func contains(_ name: String) -> Bool { index(of: name) != nil }

    /// Name `i`, as a string (for the few names a late pass reads again, not the hot path).
    func name(at i: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: pool + Int(offsets[i]), count: Int(offsets[i + 1] - offsets[i])), as: UTF8.self)
    }

    /// Flags of name `i` (bits the owner of the set defines).
    func flags(_ i: Int) -> UInt8 { flagStore[i] }

    func setFlag(_ flag: UInt8, _ i: Int) { flagStore[i] |= flag }

    private func filterBit(_ h: UInt64) -> (word: Int, bit: UInt64) {
        let b = Int(truncatingIfNeeded: h >> 40) & (Self.filterWords * 64 - 1)
        return (b >> 6, 1 << UInt64(b & 63))
    }

    private func find(_ name: Slice<NameBytes>, hash h: UInt64) -> Int? {
        let (word, bit) = filterBit(h)
        guard let filter, filter[word] & bit != 0 else { return nil }
        let mask = slotCount - 1
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[slot]
            if s.entry == 0 { return nil }
            if s.tag == UInt32(truncatingIfNeeded: h) {
                let i = Int(s.entry) - 1
                let start = Int(offsets[i]), end = Int(offsets[i + 1])
                if end - start == name.count,
                   name.isEmpty || memcmp(pool + start, name.base.baseAddress! + name.startIndex, name.count) == 0 { return i }
            }
            slot = (slot + 1) & mask
        }
    }

    private func place(index: Int, hash h: UInt64) {
        placeSlot(index: index, tag: UInt32(truncatingIfNeeded: h))
        let (word, bit) = filterBit(h)
        let bits: UnsafeMutablePointer<UInt64>
        if let filter {
            bits = filter
        } else {
            bits = .allocate(capacity: Self.filterWords)
            bits.initialize(repeating: 0, count: Self.filterWords)
            filter = bits
        }
        bits[word] |= bit
    }

    /// The slot from the hash's low bits (the tag), as `find` probes; the filter is left as it is.
    private func placeSlot(index: Int, tag: UInt32) {
        let mask = slotCount - 1
        var slot = Int(tag) & mask
        while slots[slot].entry != 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(tag: tag, entry: Int32(index + 1))
    }

    private func growSlots() {
        let old = slots, oldCount = slotCount
        slotCount *= 2
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: Slot(tag: 0, entry: 0), count: slotCount)
        for k in 0..<oldCount where old[k].entry != 0 { placeSlot(index: Int(old[k].entry) - 1, tag: old[k].tag) }
        old.deallocate()
    }

    private func growEntries() {
        let newCapacity = entryCapacity * 2
        let newOffsets = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity + 1)
        newOffsets.update(from: offsets, count: count + 1)
        offsets.deallocate()
        offsets = newOffsets
        let newFlags = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newFlags.update(from: flagStore, count: count)
        flagStore.deallocate()
        flagStore = newFlags
        entryCapacity = newCapacity
    }

    private func growPool() {
        let newPool = UnsafeMutablePointer<UInt8>.allocate(capacity: poolCapacity * 2)
        newPool.update(from: pool, count: poolCount)
        pool.deallocate()
        pool = newPool
        poolCapacity *= 2
    }
}
