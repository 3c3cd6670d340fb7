#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A zone file lists many owners under one parent (`host1.example.net.`, `host2.example.net.`,
/// …, each with its A, AAAA and TXT records). The suffixes of that parent (where each starts,
/// counted from the end, its hash, and its index among the watched names) are the same for every
/// one of them: kept from the owner before, only the first label is hashed and looked up. On a
/// 1,000,000-record zone this halves the work of deciding what to keep.
/// Storage is fixed and reached through `let` pointers (no reference counting, no exclusivity
/// checks in the hot path), like `NameSuffixes`.
final class ParentMemo {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let fromEnd: UnsafeMutablePointer<Int>
    private let hashes: UnsafeMutablePointer<UInt64>
    private let marks: UnsafeMutablePointer<Int>
    /// [0]: the parent's length, -1 when none is kept; [1]: its number of suffixes;
    /// [2]: the generation of the watched names the marks were read from.
    private let state: UnsafeMutablePointer<Int>
    static let capacity = 4 * 255 + 1

    init() {
        bytes = .allocate(capacity: Self.capacity)
        fromEnd = .allocate(capacity: NameSuffixes.capacity)
        hashes = .allocate(capacity: NameSuffixes.capacity)
        marks = .allocate(capacity: NameSuffixes.capacity)
        state = .allocate(capacity: 3)
        state.initialize(repeating: -1, count: 3)
    }

    deinit {
        bytes.deallocate()
        fromEnd.deallocate()
        hashes.deallocate()
        marks.deallocate()
        state.deallocate()
    }

    /// Fills `suffixes` for `owner` from the kept parent when `owner` is one label over it and
    /// the watched names have not changed since (`generation`): suffix 0 is hashed, the others
    /// and their marks copied; `marks[0]` is left to the caller. False when it cannot.
    func fill(_ suffixes: NameSuffixes, owner: NameBytes, generation: Int) -> Bool {
        let p = state[0]
        let n = owner.count
        guard p > 0, n > p + 1, state[2] == generation, let o = owner.baseAddress else { return false }
        let first = n - p  // where the parent starts in the owner
        guard o[first - 1] == UInt8(ascii: "."), memcmp(o + first, bytes, p) == 0,
              !NameSuffixes.isEscaped(dotAt: first - 1, in: owner) else { return false }
        let count = state[1] + 1
        guard count <= NameSuffixes.capacity else { return false }
        // The hash of the whole owner goes on from the parent's over the first label, which must
        // be one label: no unescaped dot inside it (one pass does both).
        var h = (hashes[0] ^ UInt64(UInt8(ascii: "."))) &* NameHash.prime
        var i = first - 2
        while i >= 0 {
            let b = o[i]
            if b == UInt8(ascii: "."), !NameSuffixes.isEscaped(dotAt: i, in: owner) { return false }
            h = (h ^ UInt64(b)) &* NameHash.prime
            i -= 1
        }
        suffixes.set(count: count)
        suffixes.starts[0] = 0
        suffixes.hashes[0] = h
        for k in 1..<count {
            suffixes.starts[k] = n - fromEnd[k - 1]
            suffixes.hashes[k] = hashes[k - 1]
            suffixes.marks[k] = marks[k - 1]
        }
        return true
    }

    /// Keeps the parent of the owner `suffixes` was computed for (its marks filled in).
    func remember(_ suffixes: NameSuffixes, owner: NameBytes, generation: Int) {
        let n = owner.count
        guard suffixes.count >= 2, let o = owner.baseAddress else {
            state[0] = -1
            return
        }
        let start = suffixes.starts[1]
        bytes.update(from: o + start, count: n - start)
        for k in 1..<suffixes.count {
            fromEnd[k - 1] = n - suffixes.starts[k]
            hashes[k - 1] = suffixes.hashes[k]
            marks[k - 1] = suffixes.marks[k]
        }
        state[0] = n - start
        state[1] = suffixes.count - 1
        state[2] = generation
    }
}
