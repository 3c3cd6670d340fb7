import CZScanner
import FedplanCore
import Glibc
import Synchronization

/// Knot's zone scanner run on a thread of its own, one step ahead of the reader. Why: on a large
/// zone the scanner is a third of the instructions and the reader's decisions most of the rest;
/// this machine class has two cores, and run one after the other the two cannot overlap. The
/// scanning thread parses records and writes each one (owner in wire form, type, class, TTL,
/// data, the `$ORIGIN` when it changed, offsets and lines) into a ring of
/// reusable batches; the reading thread takes the batches in order and sees the same events, in
/// the same order, as it would from `ZoneScanner` itself, so what is decided and reported does
/// not change.
/// Bounded: `ringSize` batches of at most `batchEntries` events and `arenaBytes` bytes (1 MiB in
/// all, whatever the file), and the scanning thread waits while the ring is full. It stops after
/// the end, after a fatal error, or when the reader stops early (`stop`, a later pass that needs
/// only the first records, a refused file).
/// Only the scanning thread touches the scanner's state; the reader uses `ZoneScanner.text(ofLine:)`,
/// which reads the mapped text and a field of its own, nothing the scanning thread writes.
final class ZoneScanStream: @unchecked Sendable {
    private enum Kind: UInt8 { case record, error, include, end }

    /// One event, its bytes in the batch's arena.
    private struct Entry {
        var kind: Kind = .end
        var fatal = false
        var originChanged = false
        var type: UInt16 = 0, rrClass: UInt16 = 0
        /// The record's TTL, and the default TTL after the step (`$TTL`): for an `$INCLUDE`, and
        /// for a record when `originChanged`.
        var ttl: UInt32 = 0, defaultTTL: UInt32 = 0
        var code: Int32 = 0
        /// Offset and line before the step, offset after it, and the line of an error or `$INCLUDE`.
        var start = 0, lineBefore = 0, offsetAfter = 0, line = 0
        /// Arena ranges: owner (wire), the `$INCLUDE` file name, data
        /// (or the `$INCLUDE` origin), the `$ORIGIN` in wire form when `originChanged`.
        var owner: Int32 = 0, ownerCount: Int32 = 0
        var file: Int32 = 0, fileCount: Int32 = 0
        var rdata: Int32 = 0, rdataCount: Int32 = 0
        var origin: Int32 = 0, originCount: Int32 = 0
    }

    private final class Batch {
        /// Mapped apart from the heap, and unmapped when the stream ends: in the heap, the pages
        /// a pass wrote stay resident under the collector's later allocations (a second pass
        /// over a zone added a megabyte to the peak).
        private static let bytes = MemoryLayout<Entry>.stride * ZoneScanStream.batchEntries + ZoneScanStream.arenaBytes
        private let region: UnsafeMutableRawPointer
        private let mapped: Bool
        let entries: UnsafeMutablePointer<Entry>
        let arena: UnsafeMutablePointer<UInt8>
        var count = 0
        var used = 0

        init() {
            let mapped = Glibc.mmap(nil, Self.bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let mapped, mapped != MAP_FAILED {
                (region, self.mapped) = (mapped, true)
            } else {
                (region, self.mapped) = (.allocate(byteCount: Self.bytes, alignment: 16), false)
            }
            entries = region.bindMemory(to: Entry.self, capacity: ZoneScanStream.batchEntries)
            arena = (region + MemoryLayout<Entry>.stride * ZoneScanStream.batchEntries).bindMemory(
                to: UInt8.self, capacity: ZoneScanStream.arenaBytes)
        }

        deinit {
            if mapped { munmap(region, Self.bytes) } else { region.deallocate() }
        }

        func put(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
            let at = used
            if let bytes, count > 0 { (arena + used).update(from: bytes, count: count) }
            used += count
            return Int32(at)
        }
    }

    static let ringSize = 4
    /// Small batches: each one's entries and the arena bytes it uses stay resident, and a large
    /// check runs within 2 MiB of the 64 MiB goal (1,024 entries a batch added about 1 MiB to
    /// the peak); a lock and a wake-up per 256 records cost nothing measurable.
    static let batchEntries = 256
    /// Room for one record of the largest size (64 KiB of data) and then some; only the pages
    /// written are ever resident.
    static let arenaBytes = 1 << 18
    /// The most one event can write to an arena: data (64 KiB), owner, its text, the origin, and
    /// an `$INCLUDE`'s file name and origin text (bounded here, PATH_MAX and a name).
    private static let entryBytes = 65_535 + 255 + WireName.maxPresentation + 255 + 2 * 4096 + 2 * WireName.maxPresentation

    private let scanner: ZoneScanner
    private let batches = (0..<ringSize).map { _ in Batch() }
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Under `mutex`: batches filled and taken so far, whether the reader stopped, whether the
    // scanning thread is done.
    private var filled = 0
    private var taken = 0
    private var cancelled = false
    private var done = false
    /// `filled`, and `done` as -1, also readable without the lock: the reader spins on it for a
    /// while before it sleeps (`take`).
    private let published = Atomic<Int>(0)
    /// How many times the reader looks at `published` before it waits on the condition. Why spin:
    /// on a large zone the reader catches up with the scanning thread at most batches (3,600 of
    /// 3,900 on a 1,000,000-record zone), and each time it slept, the scanning thread paid a
    /// futex wake-up in its broadcast and the reader a wake-up latency, both on the read phase's
    /// critical path. A batch takes the scanning thread about 40 µs; this spins for about as
    /// long (a PAUSE is some 40 cycles on current x86), then sleeps as before, so a reader that
    /// waits for longer (a slow disk, a busy machine) costs no more than that.
    private static let spins = 4096
    private var thread: pthread_t?

    // The scanning thread's own: the origin sent last (wire form; -1: none yet), and the
    // scanner's offset after the step before (where the next one starts).
    private let sentOrigin = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var sentOriginCount = -1
    private var sentTTL: UInt32 = 0
    private var scanned = 0

    // The reader's own: the batch it stands at, its entries and arena, the next entry's index
    // and how many the batch holds, the current entry, and the current `$ORIGIN`. The entry is
    // read where the scanning thread wrote it, through a pointer (copying it out cost a
    // hundred-odd bytes per record), and the batch's storage is reached through plain pointers
    // (the `Batch` reference, unwrapped per record, cost a retain and a release).
    private var batch: Batch?
    private var entries: UnsafeMutablePointer<Entry>
    private var arena: UnsafeMutablePointer<UInt8>
    private var index = 0
    private var count = 0
    private var entry: UnsafeMutablePointer<Entry>
    /// The entry after the last (kind `.end`, no bytes).
    private let endEntry: UnsafeMutablePointer<Entry> = {
        let p = UnsafeMutablePointer<Entry>.allocate(capacity: 1)
        p.initialize(to: Entry())
        return p
    }()
    private let originStore = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var originCount = 0
    private var ttlNow: UInt32 = 0
    private let ownerText = OwnerText()
    /// The record converted last, for the next with the same data (`ConversionMemo`).
    private let memo = ConversionMemo()

    init(_ scanner: ZoneScanner) {
        self.scanner = scanner
        scanned = scanner.offset
        entry = endEntry
        entries = endEntry
        arena = originStore  // read only through entries of the batch it belongs to
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
        var t = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        if pthread_create(&t, nil, { context in
            let stream = Unmanaged<ZoneScanStream>.fromOpaque(context!).takeRetainedValue()
            stream.produce()
            return nil
        }, context) == 0 {
            thread = t
        } else {
            // No thread to be had: the reader fills each batch itself when it needs one.
            Unmanaged<ZoneScanStream>.fromOpaque(context).release()
        }
    }

    deinit {
        pthread_mutex_destroy(mutex)
        pthread_cond_destroy(changed)
        mutex.deallocate()
        changed.deallocate()
        sentOrigin.deallocate()
        originStore.deallocate()
        endEntry.deallocate()
    }

    /// Ends the scanning thread (it may be waiting for room) and waits for it. Call once the
    /// reader is done with the stream, before the text it scans is unmapped.
    func stop() {
        pthread_mutex_lock(mutex)
        cancelled = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if let thread {
            pthread_join(thread, nil)
            self.thread = nil
        }
    }

    // MARK: the scanning thread

    private func produce() {
        var n = 0
        while true {
            pthread_mutex_lock(mutex)
            while n - taken >= Self.ringSize, !cancelled { pthread_cond_wait(changed, mutex) }
            let stop = cancelled
            pthread_mutex_unlock(mutex)
            if stop { break }
            let last = fill(batches[n % Self.ringSize])
            n += 1
            pthread_mutex_lock(mutex)
            filled = n
            if last { done = true }
            published.store(last ? -1 : n, ordering: .releasing)
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            if last { break }
        }
    }

    /// Fills one batch; true when it holds the last event (the end, or a fatal error).
    /// Per record: the entry is written where it stays (not built on the stack and copied),
    /// and the offset before a step is the one after the step before (one read of the scanner's
    /// position per record, not two).
    private func fill(_ b: Batch) -> Bool {
        b.count = 0
        b.used = 0
        // The loop keeps the batch's counts and the scanner's offset in locals, written back at
        // the end: as stored properties of classes, each access was checked for exclusivity at
        // run time, several times per record, on the thread that bounds the reading phase.
        let entries = b.entries, arena = b.arena
        var count = 0, used = 0, last = false
        var scanned = self.scanned
        while count < Self.batchEntries, used + Self.entryBytes <= Self.arenaBytes {
            let e = entries + count
            let start = scanned, lineBefore = scanner.line
            let event = scanner.next()
            scanned = scanner.offset
            if case .record = event {
                // Only the fields a record's reader looks at are written (not the whole entry
                // zeroed first, and then most of it again): the entries are plain values in a
                // mapping of their own, reused batch after batch.
                e.pointee.kind = .record
                e.pointee.fatal = false
                e.pointee.originChanged = false
                e.pointee.start = start
                e.pointee.lineBefore = lineBefore
                e.pointee.offsetAfter = scanned
                e.pointee.type = scanner.type
                e.pointee.rrClass = scanner.rrClass
                e.pointee.ttl = scanner.ttl
                // Owners and data are a few dozen bytes: copied in place, not through memcpy.
                let owner = scanner.owner, rdata = scanner.rdata
                e.pointee.owner = Int32(used)
                e.pointee.ownerCount = Int32(owner.count)
                if owner.count > 0 { Bytes.copy(arena + used, from: owner.baseAddress!, owner.count) }
                used += owner.count
                e.pointee.rdata = Int32(used)
                e.pointee.rdataCount = Int32(rdata.count)
                if rdata.count > 0 { Bytes.copy(arena + used, from: rdata.baseAddress!, rdata.count) }
                used += rdata.count
                b.used = used
                noteOrigin(e, b)
                used = b.used
                count += 1
                continue
            }
            e.initialize(to: Entry())
            e.pointee.start = start
            e.pointee.lineBefore = lineBefore
            e.pointee.offsetAfter = scanned
            b.used = used
            switch event {
            case .record: break
            case .error(let code, let line, let fatal):
                e.pointee.kind = .error
                e.pointee.code = code
                e.pointee.line = line
                e.pointee.fatal = fatal
                last = fatal
            case .include(let line):
                e.pointee.kind = .include
                e.pointee.line = line
                e.pointee.defaultTTL = scanner.defaultTTL
                (e.pointee.file, e.pointee.fileCount) = put(scanner.includeFile, b)
                (e.pointee.rdata, e.pointee.rdataCount) = put(scanner.includeOrigin, b)
                noteOrigin(e, b)
            case .end:
                e.pointee.kind = .end
                last = true
            }
            used = b.used
            count += 1
            if last { break }
        }
        b.count = count
        b.used = used
        self.scanned = scanned
        return last
    }

    /// Text of at most 4 KiB (a longer `$INCLUDE` name cannot be opened anyway: PATH_MAX).
    private func put(_ text: String, _ b: Batch) -> (Int32, Int32) {
        var text = text
        return text.withUTF8 { u in
            let n = min(u.count, 4096)
            return (b.put(u.baseAddress, n), Int32(n))
        }
    }

    /// Sends the `$ORIGIN` along when it differs from the one sent last. Runs for every
    /// record: compared 8 bytes at a time in place (`Bytes.equal`), not through a call to memcmp.
    @inline(__always)
    private func noteOrigin(_ e: UnsafeMutablePointer<Entry>, _ b: Batch) {
        let origin = scanner.origin
        let n = min(origin.count, 256)
        // The default TTL goes along with it (`$TTL` is rare: one more comparison per record, and
        // the reader takes it where it takes the origin, at no cost per record). The reader
        // needs it only where a chunk of the file starts (`ZoneChunks.Restart`).
        let ttl = scanner.defaultTTL
        if n == sentOriginCount, ttl == sentTTL, n == 0 || Bytes.equal(sentOrigin, origin.baseAddress!, n) { return }
        sentTTL = ttl
        e.pointee.defaultTTL = ttl
        if n > 0 { sentOrigin.update(from: origin.baseAddress!, count: n) }
        sentOriginCount = n
        e.pointee.originChanged = true
        e.pointee.origin = b.put(origin.baseAddress, n)
        e.pointee.originCount = Int32(n)
    }

    // MARK: the reader

    /// The next event, as `ZoneScanner.next()` gives it.
    func next() -> ZoneScanner.Event {
        if index >= count {
            guard let b = take() else {
                entry = endEntry
                arena = originStore
                count = 0
                index = 0
                return .end
            }
            batch = b
            entries = b.entries
            arena = b.arena
            count = b.count
            index = 0
        }
        let e = entries + index
        entry = e
        index += 1
        if e.pointee.originChanged {
            originStore.update(from: arena + Int(e.pointee.origin), count: Int(e.pointee.originCount))
            originCount = Int(e.pointee.originCount)
            ttlNow = e.pointee.defaultTTL
        }
        switch e.pointee.kind {
        case .record: return .record
        case .error: return .error(code: e.pointee.code, line: e.pointee.line, fatal: e.pointee.fatal)
        case .include: return .include(line: e.pointee.line)
        case .end: return .end
        }
    }

    /// Hands the batch read back and takes the next one, waiting for it; nil after the last.
    private func take() -> Batch? {
        guard thread != nil else {
            // Without a thread: fill the one batch here.
            if done { return nil }
            let b = batches[0]
            done = fill(b)
            return b
        }
        // The batch wanted is the one after `taken` (and after the one handed back now): wait
        // for it without the lock first (`spins`).
        let wanted = taken + (batch != nil ? 1 : 0)
        var spun = 0
        while spun < Self.spins {
            let p = published.load(ordering: .acquiring)
            if p < 0 || p > wanted { break }
            fp_cpu_relax()
            spun += 1
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if batch != nil {
            taken += 1
            pthread_cond_broadcast(changed)
        }
        while taken >= filled, !done { pthread_cond_wait(changed, mutex) }
        guard taken < filled else { return nil }
        return batches[taken % Self.ringSize]
    }

    private func bytes(_ at: Int32, _ count: Int32) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + Int(at), count: Int(count))
    }

    // The current event, valid until the next step (as with `ZoneScanner`).
    /// Offset and line in the text before the step, and the offset after it.
    var start: Int { entry.pointee.start }
    var lineBefore: Int { entry.pointee.lineBefore }
    var offset: Int { entry.pointee.offsetAfter }
    var type: UInt16 { entry.pointee.type }
    var rrClass: UInt16 { entry.pointee.rrClass }
    var defaultTTL: UInt32 { entry.pointee.defaultTTL }
    var owner: UnsafeBufferPointer<UInt8> { bytes(entry.pointee.owner, entry.pointee.ownerCount) }
    var rdata: UnsafeBufferPointer<UInt8> { bytes(entry.pointee.rdata, entry.pointee.rdataCount) }
    /// The owner in lower-case presentation form (`ZoneScanner.lowercasedOwner`), made here on
    /// the reading thread: Knot's scanner alone keeps the scanning thread busier than the
    /// reader's decisions (1.33e9 instructions on a 1,000,000-record zone, against about 0.8e9
    /// for the decisions), so the owner's text, a sixth of what the scanning thread added to the
    /// scanner, is made on the side that waits. Valid until the next step.
    var lowercasedOwner: UnsafeBufferPointer<UInt8> { ownerText.lowercased(owner) }
    /// The file and origin of the current `$INCLUDE` event (`ZoneScanner.includeFile`).
    var includeFile: String { String(decoding: bytes(entry.pointee.file, entry.pointee.fileCount), as: UTF8.self) }
    var includeOrigin: String { String(decoding: bytes(entry.pointee.rdata, entry.pointee.rdataCount), as: UTF8.self) }
    /// Whether the `$ORIGIN` may differ from the one at this stream's record or `$INCLUDE`
    /// before (the scanning thread sends it only when it changed): the reader compares origins
    /// only then, not for every record.
    var originChanged: Bool { entry.pointee.originChanged }
    /// The default TTL (`$TTL`) as the step left it.
    var currentDefaultTTL: UInt32 { ttlNow }
    /// The `$ORIGIN` in wire form as the step left it.
    var origin: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: originStore, count: originCount) }

    func text(ofLine line: Int) -> String { scanner.text(ofLine: line) }

    /// The record, and its wire form when asked (for DNSSEC: `SignatureCheck` reads it back with
    /// ldns, no text in between).
    func record(at location: SourceLocation?, keepingWire: Bool = false) -> (record: DNSRecord, wire: [UInt8]?) {
        WireRecord.convert(owner: owner, type: type, rrClass: rrClass, ttl: entry.pointee.ttl, rdata: rdata, location: location,
                           keepingWire: keepingWire, memo: memo)
    }
}
