import FedplanCore
import Glibc

/// Knot's zone scanner run on a thread of its own, one step ahead of the reader. Why: on a large
/// zone the scanner is a third of the instructions and the reader's decisions most of the rest;
/// this machine class has two cores, and run one after the other the two cannot overlap. The
/// scanning thread parses records and writes each one (owner in wire and lower-case text form,
/// type, class, TTL, data, the `$ORIGIN` when it changed, offsets and lines) into a ring of
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
        var ttl: UInt32 = 0, defaultTTL: UInt32 = 0
        var code: Int32 = 0
        /// Offset and line before the step, offset after it, and the line of an error or `$INCLUDE`.
        var start = 0, lineBefore = 0, offsetAfter = 0, line = 0
        /// Arena ranges: owner (wire), lower-case owner text (or the `$INCLUDE` file name), data
        /// (or the `$INCLUDE` origin), the `$ORIGIN` in wire form when `originChanged`.
        var owner: Int32 = 0, ownerCount: Int32 = 0
        var lower: Int32 = 0, lowerCount: Int32 = 0
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
    private var thread: pthread_t?

    // The scanning thread's own: the origin sent last (wire form; -1: none yet).
    private let sentOrigin = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var sentOriginCount = -1

    // The reader's own: the batch and entry it stands at, and the current `$ORIGIN`.
    private var batch: Batch?
    private var index = 0
    private var entry = Entry()
    private let originStore = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var originCount = 0

    init(_ scanner: ZoneScanner) {
        self.scanner = scanner
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
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
            if last { break }
        }
    }

    /// Fills one batch; true when it holds the last event (the end, or a fatal error).
    private func fill(_ b: Batch) -> Bool {
        b.count = 0
        b.used = 0
        while b.count < Self.batchEntries, b.used + Self.entryBytes <= Self.arenaBytes {
            var e = Entry()
            e.start = scanner.offset
            e.lineBefore = scanner.line
            let event = scanner.next()
            e.offsetAfter = scanner.offset
            var last = false
            switch event {
            case .record:
                e.kind = .record
                e.type = scanner.type
                e.rrClass = scanner.rrClass
                e.ttl = scanner.ttl
                let owner = scanner.owner, rdata = scanner.rdata
                e.owner = b.put(owner.baseAddress, owner.count)
                e.ownerCount = Int32(owner.count)
                let lower = scanner.lowercasedOwner
                e.lower = b.put(lower.baseAddress, lower.count)
                e.lowerCount = Int32(lower.count)
                e.rdata = b.put(rdata.baseAddress, rdata.count)
                e.rdataCount = Int32(rdata.count)
                noteOrigin(&e, b)
            case .error(let code, let line, let fatal):
                e.kind = .error
                e.code = code
                e.line = line
                e.fatal = fatal
                last = fatal
            case .include(let file, let origin, let line):
                e.kind = .include
                e.line = line
                e.defaultTTL = scanner.defaultTTL
                (e.lower, e.lowerCount) = put(file, b)
                (e.rdata, e.rdataCount) = put(origin, b)
                noteOrigin(&e, b)
            case .end:
                e.kind = .end
                last = true
            }
            b.entries[b.count] = e
            b.count += 1
            if last { return true }
        }
        return false
    }

    /// Text of at most 4 KiB (a longer `$INCLUDE` name cannot be opened anyway: PATH_MAX).
    private func put(_ text: String, _ b: Batch) -> (Int32, Int32) {
        var text = text
        return text.withUTF8 { u in
            let n = min(u.count, 4096)
            return (b.put(u.baseAddress, n), Int32(n))
        }
    }

    /// Sends the `$ORIGIN` along when it differs from the one sent last.
    private func noteOrigin(_ e: inout Entry, _ b: Batch) {
        let origin = scanner.origin
        let n = min(origin.count, 256)
        if n == sentOriginCount, n == 0 || memcmp(sentOrigin, origin.baseAddress!, n) == 0 { return }
        if n > 0 { sentOrigin.update(from: origin.baseAddress!, count: n) }
        sentOriginCount = n
        e.originChanged = true
        e.origin = b.put(origin.baseAddress, n)
        e.originCount = Int32(n)
    }

    // MARK: the reader

    /// The next event, as `ZoneScanner.next()` gives it.
    func next() -> ZoneScanner.Event {
        if batch == nil || index >= batch!.count {
            guard let b = take() else {
                entry = Entry()
                return .end
            }
            batch = b
            index = 0
        }
        let b = batch!
        entry = b.entries[index]
        index += 1
        if entry.originChanged {
            originStore.update(from: b.arena + Int(entry.origin), count: Int(entry.originCount))
            originCount = Int(entry.originCount)
        }
        switch entry.kind {
        case .record: return .record
        case .error: return .error(code: entry.code, line: entry.line, fatal: entry.fatal)
        case .include:
            return .include(file: String(decoding: bytes(entry.lower, entry.lowerCount), as: UTF8.self),
                            origin: String(decoding: bytes(entry.rdata, entry.rdataCount), as: UTF8.self), line: entry.line)
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
        UnsafeBufferPointer(start: batch!.arena + Int(at), count: Int(count))
    }

    // The current event, valid until the next step (as with `ZoneScanner`).
    /// Offset and line in the text before the step, and the offset after it.
    var start: Int { entry.start }
    var lineBefore: Int { entry.lineBefore }
    var offset: Int { entry.offsetAfter }
    var type: UInt16 { entry.type }
    var rrClass: UInt16 { entry.rrClass }
    var defaultTTL: UInt32 { entry.defaultTTL }
    var owner: UnsafeBufferPointer<UInt8> { bytes(entry.owner, entry.ownerCount) }
    var rdata: UnsafeBufferPointer<UInt8> { bytes(entry.rdata, entry.rdataCount) }
    /// The owner in lower-case presentation form (`ZoneScanner.lowercasedOwner`, made on the
    /// scanning thread).
    var lowercasedOwner: UnsafeBufferPointer<UInt8> { bytes(entry.lower, entry.lowerCount) }
    /// The `$ORIGIN` in wire form as the step left it.
    var origin: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: originStore, count: originCount) }

    func text(ofLine line: Int) -> String { scanner.text(ofLine: line) }

    /// The record, and its wire form when asked (for DNSSEC: `SignatureCheck` reads it back with
    /// ldns, no text in between). The wire form is made for the conversion anyway.
    func record(at location: SourceLocation?, keepingWire: Bool = false) -> (record: DNSRecord, wire: [UInt8]?) {
        let (record, wire) = WireRecord.convert(owner: owner, type: type, rrClass: rrClass, ttl: entry.ttl, rdata: rdata,
                                                location: location)
        return (record, keepingWire ? wire : nil)
    }
}
