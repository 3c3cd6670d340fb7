#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Where in a zone file the records of a later pass can be, so that the pass reads only those
/// parts. Why: a DNAME written after the records at its target (or an SRV or CNAME target read
/// late) makes names wanted after their records went past, and the later pass that reads them
/// read every file again from the start: on a 1,000,000-record zone with its DNAMEs at the end,
/// a whole second scan (twice the scanner's work) for a few thousand records near the start.
///
/// The first pass cuts each top-level file's records into chunks of consecutive records (K at
/// first, `recordsPerChunk`). Per chunk it keeps a restart point (where the scanner step that
/// produced the chunk's first record began, with the scanner state there: `Restart`) and a small
/// Bloom filter of the hash (`NameHash`) of every suffix of every owner in the chunk, filled by
/// `ZoneCollector.decide`, which has those hashes at hand. A record matters to a later pass only
/// when some suffix of its owner is a name that pass looks for (`ZoneCollector.beginLatePass`),
/// so a chunk whose filter holds none of them is not read; a Bloom filter may say "maybe" wrongly
/// (a chunk read for nothing) but never "no" wrongly.
///
/// Bounded whatever the input: at most `maxChunks` chunks in all, each with a filter of
/// `filterWords` words (2 KiB) and a restart point of at most two names (255 bytes each) and a
/// few numbers: about 2.5 KiB a chunk, 5 MiB with the default 2,048 chunks, and only the chunks
/// used are ever touched (the filters are one zero-filled mapping). When the chunks are all used,
/// the current file's chunks are merged in pairs (their filters OR-ed, the first restart point
/// kept) and K doubles. Released when reading ends (`release`), before the check builds its
/// report, where a large check peaks in memory.
public final class ZoneChunks {
    /// The scanner's state where a chunk's first record starts: the offset and line before the
    /// step that read it, the `$ORIGIN` (wire form) and default TTL in force there, and the owner
    /// of the record before (wire form; a record with a blank owner inherits it).
    public struct Restart: Sendable, Equatable {
        public var offset: Int
        public var line: Int
        public var origin: [UInt8]
        public var ttl: UInt32
        public var owner: [UInt8]

        public init(offset: Int, line: Int, origin: [UInt8], ttl: UInt32, owner: [UInt8]) {
            self.offset = offset
            self.line = line
            self.origin = origin
            self.ttl = ttl
            self.owner = owner
        }
    }

    /// A chunk: the number of its first record in the pass, and where to start reading it
    /// (nil: the file's start, with the state the file starts with).
    public struct Chunk: Sendable {
        public var serial: Int
        public var restart: Restart?
    }

    /// One top-level file: its chunks (their filters are `first ..< first + chunks.count` of
    /// `filters`), the number after its last record, and the records per chunk now. A class:
    /// as a value in `files`, each chunk added copied the file's whole list (quadratic).
    private final class File {
        let first: Int
        var chunks: [Chunk] = []
        var end: Int?
        var perChunk: Int

        init(first: Int, perChunk: Int) {
            self.first = first
            self.perChunk = perChunk
        }
    }

    /// 256 words (2 KiB) a chunk: with two bits set per suffix, a chunk of 1,024 owners (about
    /// 1,100 suffixes) answers "maybe" wrongly for about one name in sixty.
    static let filterWords = 256
    public private(set) var recordsPerChunk = 1024
    public private(set) var maxChunks = 2048
    /// Every chunk's filter, side by side.
    private var filters: UnsafeMutablePointer<UInt64>?
    private var used = 0
    private var files: [Int: File] = [:]
    private var currentFile: Int?

    /// Read for every record (`ZoneCollector.decide`): no dynamic exclusivity checks. Only this
    /// class writes them, outside the record path, and one thread reads a zone at a time.
    /// Whether the current file's chunks are being filled.
    @exclusivity(unchecked) public private(set) var building = false
    /// The current chunk's filter.
    @exclusivity(unchecked) private var current: UnsafeMutablePointer<UInt64>
    /// Counts chunks begun. `memoEpoch`: the chunk in which `memoNoted` of the suffixes
    /// `SuffixMemo` keeps (its last ones) are in the filter.
    @exclusivity(unchecked) private var epoch = 0
    @exclusivity(unchecked) private var memoEpoch = -1
    @exclusivity(unchecked) private var memoNoted = 0
    /// `memoNoted` while building and in the chunk it was counted in, else -1: `noteSibling`'s
    /// three conditions in one comparison.
    @exclusivity(unchecked) public private(set) var siblingLimit = -1
    private let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: ZoneChunks.filterWords)

    public init() { current = scratch }

    /// Other sizes than the defaults, before the first file: small ones in tests only (chunk
    /// boundaries and merges on a small zone).
    public func configure(recordsPerChunk: Int, maxChunks: Int) {
        release()
        self.recordsPerChunk = max(1, recordsPerChunk)
        self.maxChunks = max(2, maxChunks)
    }

    deinit {
        release()
        scratch.deallocate()
    }

    /// Drops the index (reading is over, or a zone will not be indexed).
    public func release() {
        if let filters { munmap(filters, maxChunks * Self.filterWords * MemoryLayout<UInt64>.size) }
        filters = nil
        files = [:]
        used = 0
        building = false
        siblingLimit = -1
        currentFile = nil
        current = scratch
    }

    // MARK: building, in the first pass

    /// A top-level file starts at record `serial`; its first chunk starts at the file's start.
    /// Returns the number of the record where the next chunk starts.
    public func beginFile(_ file: Int, serial: Int) -> Int {
        if filters == nil {
            // A mapping of its own, zero-filled by the kernel page by page as chunks are used:
            // calloc may take it from the heap and clear all of it (4 MiB written, and resident).
            let bytes = maxChunks * Self.filterWords * MemoryLayout<UInt64>.size
            if let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED {
                filters = p.assumingMemoryBound(to: UInt64.self)
            }
        }
        guard filters != nil, used < maxChunks else { return Int.max }
        files[file] = File(first: used, perChunk: recordsPerChunk)
        currentFile = file
        building = true
        return addChunk(Chunk(serial: serial, restart: nil))
    }

    /// The next chunk of the current file starts at record `serial`, read from `restart`.
    /// Returns the number of the record where the one after it starts (Int.max: no more chunks,
    /// the file is not indexed).
    public func startChunk(serial: Int, restart: Restart) -> Int {
        guard building, let file = currentFile, let f = files[file] else { return Int.max }
        if used == maxChunks {
            // Full: merge the file's chunks in pairs and double K. A file that has fewer than two
            // chunks here (the others' files hold them all) is not indexed: read whole.
            guard f.chunks.count >= 2 else {
                invalidate()
                return Int.max
            }
            let filters = filters!, words = Self.filterWords
            var merged: [Chunk] = []
            merged.reserveCapacity((f.chunks.count + 1) / 2)
            for i in stride(from: 0, to: f.chunks.count, by: 2) {
                let target = filters + (f.first + merged.count) * words
                let a = filters + (f.first + i) * words
                if target != a { target.update(from: a, count: words) }
                if i + 1 < f.chunks.count {
                    let b = filters + (f.first + i + 1) * words
                    for w in 0..<words { target[w] |= b[w] }
                }
                merged.append(f.chunks[i])
            }
            let freed = f.chunks.count - merged.count
            (filters + (f.first + merged.count) * words).update(repeating: 0, count: freed * words)
            used -= freed
            f.chunks = merged
            f.perChunk *= 2
        }
        return addChunk(Chunk(serial: serial, restart: restart))
    }

    private func addChunk(_ chunk: Chunk) -> Int {
        guard let file = currentFile, let f = files[file], let filters else { return Int.max }
        current = filters + used * Self.filterWords
        used += 1
        epoch += 1
        siblingLimit = -1
        f.chunks.append(chunk)
        return chunk.serial + f.perChunk
    }

    /// The current file ends before record `serial`.
    public func endFile(serial: Int) {
        if building, let file = currentFile, let f = files[file] { f.end = serial }
        building = false
        siblingLimit = -1
        currentFile = nil
        current = scratch
    }

    /// The current file cannot be read in chunks (an `$INCLUDE`, a syntax error, a refusal):
    /// a later pass reads it whole. Its chunks stay counted in `used` (they are gone with the
    /// index), so the bound holds.
    public func invalidate() {
        if let file = currentFile { files[file] = nil }
        building = false
        siblingLimit = -1
        currentFile = nil
        current = scratch
    }

    /// Notes the suffixes of an owner decided in the current chunk, once `SuffixMemo` has given
    /// it its last `shared` suffixes (0: none) and, when `kept`, kept it (or dropped what it kept). The suffixes in front of those
    /// are new; of the memo's, those not yet noted in this chunk (`memoNoted`, counted from the
    /// end). Most owners are siblings of the memo's: one new suffix each, their parent's noted
    /// once per chunk. Never a suffix missed (a false "no" would lose records), and none noted
    /// that the owner does not have (the memo's own owner is noted only where it is a suffix:
    /// kept over a run of siblings, it would be in every chunk).
    /// Runs for every record of the first pass: one loop over the suffixes to note (those in
    /// front and the memo's not yet noted are side by side), wrapping arithmetic, the filter and
    /// the hashes read once.
    @inline(__always)
    func note(_ suffixes: NameSuffixes, shared: Int, kept: Bool) {
        let count = suffixes.count
        var noted = memoNoted
        if memoEpoch != epoch {
            memoEpoch = epoch
            noted = 0
        }
        // New: the suffixes in front of the shared ones, and the memo's from `noted` to `shared`
        // (counted from the end), which come right after them.
        var end = count &- shared
        if shared > noted {
            end = count &- noted
            noted = shared
        }
        let filter = current, hashes = suffixes.hashes
        var k = 0
        while k < end {
            Self.insert(hashes[k], into: filter)
            k &+= 1
        }
        // Kept by the memo just now: all its suffixes are noted.
        memoNoted = kept ? count : noted
        siblingLimit = memoNoted
    }

    /// `note` for an owner the memo gave all but its first label to, without keeping it (a
    /// sibling of the memo's owner, most owners of a large zone): when the memo's suffixes are
    /// noted in this chunk already, only the owner itself is new.
    @inline(__always)
    func noteSibling(_ suffixes: NameSuffixes, shared: Int) {
        if shared <= siblingLimit {
            Self.insert(suffixes.hashes[0], into: current)
        } else if building {
            note(suffixes, shared: shared, kept: false)
        }
    }

    /// Two bits in one word of a filter, from the hash mixed once more (the hash's high bits
    /// depend little on the name's first bytes, hashed last): one memory write per suffix.
    @inline(__always)
    private static func insert(_ hash: UInt64, into filter: UnsafeMutablePointer<UInt64>) {
        let m = hash &* 0x9E37_79B9_7F4A_7C15
        filter[Int(truncatingIfNeeded: m >> 56)] |= mask(m)
    }

    @inline(__always)
    private static func mask(_ m: UInt64) -> UInt64 {
        (1 &<< ((m >> 50) & 63)) | (1 &<< ((m >> 44) & 63))
    }

    // MARK: reading, in a later pass

    /// A file's chunks and the number after its last record; nil when the file is not indexed.
    public func chunks(of file: Int) -> (chunks: [Chunk], end: Int)? {
        guard let f = files[file], let end = f.end, !f.chunks.isEmpty else { return nil }
        return (f.chunks, end)
    }

    /// Whether chunk `chunk` of `file` may hold an owner with one of `hashes` as a suffix.
    public func mayHold(file: Int, chunk: Int, anyOf hashes: [UInt64]) -> Bool {
        guard let f = files[file], let filters else { return true }
        let filter = filters + (f.first + chunk) * Self.filterWords
        for hash in hashes {
            let m = hash &* 0x9E37_79B9_7F4A_7C15
            let mask = Self.mask(m)
            if filter[Int(truncatingIfNeeded: m >> 56)] & mask == mask { return true }
        }
        return false
    }
}
