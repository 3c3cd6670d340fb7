#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Owners that follow each other in a zone file share their last labels: the same owner for its
/// A, AAAA and TXT records, siblings (`host1.example.net.`, `host2.example.net.`), cousins
/// (`www.tenant1.example.net.`, `_sip._tcp.tenant1.example.net.`). The suffixes they share
/// (where each starts, counted from the end, its hash and its index among the watched names)
/// are kept from the owner before: only the labels in front of them are hashed and looked up.
/// On a 1,000,000-record zone this halves the work of deciding what to keep.
/// Storage is fixed and reached through `let` pointers (no reference counting, no exclusivity
/// checks in the hot path), like `NameSuffixes`.
final class SuffixMemo {
    private let bytes: UnsafeMutablePointer<UInt8>
    private let fromEnd: UnsafeMutablePointer<Int>
    private let hashes: UnsafeMutablePointer<UInt64>
    private let marks: UnsafeMutablePointer<Int>
    /// [0]: the owner's length, -1 when none is kept; [1]: its number of suffixes;
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

    /// Fills `suffixes` for `owner`, reusing the suffixes it shares with the owner before when
    /// the watched names have not changed since (`generation`). Returns how many of the last
    /// suffixes came from the memo with their marks (their names' flags are set already); the
    /// marks of the others are left to the caller. 0: nothing shared, nothing filled.
    func fill(_ suffixes: NameSuffixes, owner: NameBytes, generation: Int) -> Int {
        let p = state[0]
        let n = owner.count
        guard p > 0, state[2] == generation, let o = owner.baseAddress else { return 0 }
        let end = bytes + Self.capacity  // the kept owner ends here (stored right-aligned)
        let kept = state[1]
        var j: Int
        // The usual case first: a sibling, one label over the kept owner's parent. Then only
        // that label is hashed (on from the parent's hash) and the parent's suffixes copied.
        if kept >= 2, kept <= NameSuffixes.capacity - 1 {
            let f = fromEnd[1], first = n - f
            if first > 1, o[first - 1] == UInt8(ascii: "."), Bytes.equal(o + first, end - f, f),
               !NameSuffixes.isEscaped(dotAt: first - 1, in: owner) {
                var h = (hashes[1] ^ UInt64(UInt8(ascii: "."))) &* NameHash.prime
                var i = first - 2
                var single = true
                while i >= 0 {
                    let b = o[i]
                    if b == UInt8(ascii: "."), !NameSuffixes.isEscaped(dotAt: i, in: owner) {
                        single = false
                        break
                    }
                    h = (h ^ UInt64(b)) &* NameHash.prime
                    i -= 1
                }
                if single {
                    suffixes.starts[0] = 0
                    suffixes.hashes[0] = h
                    for k in 1..<kept {
                        suffixes.starts[k] = n - fromEnd[k]
                        suffixes.hashes[k] = hashes[k]
                        suffixes.marks[k] = marks[k]
                    }
                    suffixes.set(count: kept)
                    return kept - 1
                }
            }
        }
        do {
            // Else the common tail, byte by byte from the end, and the longest kept suffix within
            // it that starts a label in the owner too.
            let c = Bytes.commonSuffix(o + n, end, min(n, p))
            j = 0
            while j < kept, fromEnd[j] > c { j += 1 }
            while j < kept {
                let f = fromEnd[j]
                if f == n || (o[n - f - 1] == UInt8(ascii: ".") && !NameSuffixes.isEscaped(dotAt: n - f - 1, in: owner)) { break }
                j += 1
            }
            guard j < kept else { return 0 }
        }
        let shared = kept - j
        // The labels in front: hashed on from the shared suffix's hash, label starts noted
        // backwards at unescaped dots, then put in order.
        var h = hashes[j]
        var count = 0
        let front = n - fromEnd[j]  // where the shared suffix starts
        var i = front - 1
        while i >= 0 {
            let b = o[i]
            h = (h ^ UInt64(b)) &* NameHash.prime
            if i == 0 || (o[i - 1] == UInt8(ascii: ".") && !NameSuffixes.isEscaped(dotAt: i - 1, in: owner)) {
                guard count + shared < NameSuffixes.capacity else { return 0 }
                suffixes.starts[count] = i
                suffixes.hashes[count] = h
                count += 1
            }
            i -= 1
        }
        var a = 0, b = count - 1
        while a < b {
            swap(&suffixes.starts[a], &suffixes.starts[b])
            swap(&suffixes.hashes[a], &suffixes.hashes[b])
            a += 1
            b -= 1
        }
        for k in 0..<shared {
            suffixes.starts[count + k] = n - fromEnd[j + k]
            suffixes.hashes[count + k] = hashes[j + k]
            suffixes.marks[count + k] = marks[j + k]
        }
        suffixes.set(count: count + shared)
        return shared
    }

    /// Whether an owner whose `suffixes` share their last `shared` with the kept owner has the
    /// kept owner's parent: one label in front of it, and the kept owner as many labels.
    func isSibling(shared: Int, of suffixes: NameSuffixes) -> Bool {
        state[0] > 0 && shared == suffixes.count - 1 && state[1] == suffixes.count
    }

    /// Keeps `owner` and its suffixes (their marks filled in) for the next owners. Not needed
    /// after a sibling of the kept owner: the kept one serves its next siblings as well.
    func remember(_ suffixes: NameSuffixes, owner: NameBytes, generation: Int) {
        let n = owner.count
        guard suffixes.count >= 1, n <= Self.capacity, let o = owner.baseAddress else {
            state[0] = -1
            return
        }
        (bytes + Self.capacity - n).update(from: o, count: n)
        for k in 0..<suffixes.count {
            fromEnd[k] = n - suffixes.starts[k]
            hashes[k] = suffixes.hashes[k]
            marks[k] = suffixes.marks[k]
        }
        state[0] = n
        state[1] = suffixes.count
        state[2] = generation
    }
}
