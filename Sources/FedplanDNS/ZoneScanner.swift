import CLDNS
import CZScanner
import FedplanCore
import Glibc

/// Knot's zone scanner (libzscanner) over one buffer of master-file text. The one place that
/// owns scanner memory: the context (about 200 KiB of fixed buffers) is allocated here and
/// released in `deinit`. The scanner is run record by record (`zs_parse_record`), so that
/// `$INCLUDE` comes back to us: we open included files ourselves, refuse loops, bound the depth
/// and keep every record's file and line.
final class ZoneScanner {
    private let s: UnsafeMutablePointer<zs_scanner_t>
    private let bytes: UnsafeRawBufferPointer
    /// The owners in lower-case text (`lowercasedOwner`, for callers that read the scanner
    /// directly; `ZoneScanStream` makes its own on the reading thread).
    private let ownerText = OwnerText()
    /// `zs_set_input_string` needs some address even for an empty file.
    private static let empty: StaticString = " "

    /// What one step of the scanner produced.
    enum Event {
        /// A record; read it through `owner`, `type`, … before the next step.
        case record
        /// A syntax error at `line`; `fatal` when the scanner cannot go on (Knot stops there too).
        case error(code: Int32, line: Int, fatal: Bool)
        /// `$INCLUDE file [origin]`: the file name (already made absolute against `directory`)
        /// and the origin are `includeFile` and `includeOrigin`. No strings in the event itself:
        /// an enum with a `String` payload is copied and destroyed through outlined value
        /// witnesses (a retain and a release) at every step of every record, on both threads.
        case include(line: Int)
        case end
    }

    /// `origin` and `ttl` as the text starts (`$ORIGIN` and `$TTL` change them); `directory`
    /// is what relative `$INCLUDE` names are resolved against.
    /// With `range`, only that part of `bytes` is read, from the state `restart` gives (the
    /// scanner state where a chunk of a later pass starts, `ZoneChunks.Restart`); offsets and
    /// lines stay those of the whole text.
    init?(bytes: UnsafeRawBufferPointer, origin: String, ttl: UInt32, directory: String,
          range: Range<Int>? = nil, restart: ZoneChunks.Restart? = nil) {
        s = .allocate(capacity: 1)
        guard zs_init(s, restart == nil ? origin : ".", 1, restart?.ttl ?? ttl) == 0 else {
            s.deallocate()
            return nil
        }
        self.bytes = bytes
        let range = range ?? 0..<bytes.count
        let start = bytes.baseAddress.map { UnsafePointer(($0 + range.lowerBound).assumingMemoryBound(to: CChar.self)) } ?? UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self)
        guard zs_set_input_string(s, start, range.count) == 0, fp_zs_set_path(s, directory) == 0 else {
            zs_deinit(s)
            s.deallocate()
            return nil
        }
        // Offsets stay those of the whole text (`offset` runs for every record: no addition there).
        if range.lowerBound > 0, let whole = bytes.baseAddress {
            fp_zs_count_from(s, whole.assumingMemoryBound(to: CChar.self))
        }
        if let restart {
            restart.origin.withUnsafeBufferPointer { o in
                restart.owner.withUnsafeBufferPointer { w in
                    fp_zs_restart(s, o.baseAddress, UInt32(o.count), w.baseAddress, UInt32(w.count), UInt64(restart.line))
                }
            }
        }
    }

    deinit {
        zs_deinit(s)
        s.deallocate()
    }

    /// Offset in the text where the scanner stands, and the 1-based line there.
    var offset: Int { fp_zs_offset(s) }
    var line: Int { Int(s.pointee.line_counter) }

    func next() -> Event {
        guard zs_parse_record(s) == 0 else {
            // Only a fatal error already reported ends up here.
            return .end
        }
        switch s.pointee.state {
        case ZS_STATE_DATA: return .record
        case ZS_STATE_ERROR:
            return .error(code: s.pointee.error.code, line: line, fatal: s.pointee.error.fatal)
        case ZS_STATE_INCLUDE:
            return .include(line: line)
        default: return .end
        }
    }

    // The current record, valid until the next step.
    var type: UInt16 { s.pointee.r_type }
    var rrClass: UInt16 { s.pointee.r_class }
    var ttl: UInt32 { s.pointee.r_ttl }
    var defaultTTL: UInt32 { s.pointee.default_ttl }
    var owner: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: fp_zs_owner(s), count: Int(s.pointee.r_owner_length)) }
    var rdata: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: fp_zs_rdata(s), count: Int(s.pointee.r_data_length)) }
    /// The file and origin of the current `$INCLUDE` event.
    var includeFile: String { String(cString: fp_zs_include_file(s)) }
    var includeOrigin: String { String(cString: fp_zs_include_origin(s)) }
    /// The current `$ORIGIN` in wire form.
    var origin: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: fp_zs_origin(s), count: Int(s.pointee.zone_origin_length))
    }

    /// Knot's words for an error code (`invalid domain name character`).
    static func reason(_ code: Int32) -> String { String(cString: zs_strerror(code)) }

    /// Where the last line asked for starts: errors come in line order, so finding each one's
    /// text costs one pass over the file in all, however many errors a hostile file has.
    private var lastLine = (line: 1, offset: 0)

    /// The text of line `line` (1-based) of the input, for messages (at most 200 bytes).
    func text(ofLine line: Int) -> String {
        var (current, i) = line >= lastLine.line ? lastLine : (1, 0)
        while current < line, i < bytes.count {
            if bytes[i] == 0x0A { current += 1 }
            i += 1
        }
        lastLine = (current, i)
        var j = i
        while j < bytes.count, bytes[j] != 0x0A, j - i < 200 { j += 1 }
        return String(decoding: bytes[i..<j], as: UTF8.self)
    }

    /// The current record as a core value: its wire form is handed to ldns (`ldns_wire2rr`),
    /// the same conversion live answers go through.
    func record(at location: SourceLocation?) -> DNSRecord {
        WireRecord.convert(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata, location: location).record
    }

    /// The owner in lower-case presentation form (`sip.contoso.com.`), valid until the next step.
    var lowercasedOwner: UnsafeBufferPointer<UInt8> { ownerText.lowercased(owner) }
}

/// Owners in wire form written as lower-case text, one after the other, reusing what each
/// shares with the one before. Storage is fixed and owned here; one instance per reading
/// thread (it keeps the owner before).
final class OwnerText {
    private let ownerText: UnsafeMutablePointer<UInt8>
    /// The owner written last: its wire form and text, where each label starts in them (counted
    /// from the end, in label order), and [wire length (-1: none), labels, text length].
    private let previousWire: UnsafeMutablePointer<UInt8>
    private let previousText: UnsafeMutablePointer<UInt8>
    private let previousWireFromEnd: UnsafeMutablePointer<Int>
    private let previousTextFromEnd: UnsafeMutablePointer<Int>
    private let previous: UnsafeMutablePointer<Int>
    /// Scratch for the owner being written: where each label starts in its wire form and text.
    private let labelStarts: UnsafeMutablePointer<Int>
    private let textFromEnd: UnsafeMutablePointer<Int>

    /// `WireName`'s lower-case table, read once: a static `let` is reached through a
    /// `swift_once` check at every use, and this writes a label per owner or more.
    private let table = WireName.lowerTable

    init() {
        ownerText = .allocate(capacity: WireName.maxPresentation)
        previousWire = .allocate(capacity: 256)
        previousText = .allocate(capacity: WireName.maxPresentation)
        previousWireFromEnd = .allocate(capacity: 128)
        previousTextFromEnd = .allocate(capacity: 128)
        previous = .allocate(capacity: 3)
        previous.initialize(repeating: -1, count: 3)
        labelStarts = .allocate(capacity: 128)
        textFromEnd = .allocate(capacity: 128)
    }

    deinit {
        ownerText.deallocate()
        for p in [previousWireFromEnd, previousTextFromEnd, previous, labelStarts, textFromEnd] { p.deallocate() }
        previousWire.deallocate()
        previousText.deallocate()
    }

    /// `wire` in lower-case presentation form (`sip.contoso.com.`), in a buffer owned here
    /// and valid until the next call: this runs for every record of a large zone. Owners that
    /// follow each other share their last labels (`host1.example.net.`, `host2.example.net.`):
    /// only the labels in front are written, the rest copied from the owner before.
    func lowercased(_ wire: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let w = wire.baseAddress, wire.count > 1, wire.count <= 255 else {
            previous[0] = -1
            return UnsafeBufferPointer(start: ownerText, count: WireName.write(wire, lowercased: true, to: ownerText))
        }
        let n = wire.count
        let p = previous[0], labelsBefore = previous[1]
        // The kept owner is stored right-aligned: its parent ends where every parent ends.
        let wireEnd = previousWire + 256, textEnd = previousText + WireName.maxPresentation
        // The usual case first: a sibling, one label over the kept owner's parent.
        if p > 0, labelsBefore >= 2 {
            let parentWire = previousWireFromEnd[1], first = Int(w[0])
            // `Bytes.equal`, inline: a call to memcmp for the 10 to 20 bytes of a parent cost
            // more than the comparison (18 instructions a record in memcmp alone).
            if first + 1 + parentWire == n, Bytes.equal(w + 1 + first, wireEnd - parentWire, parentWire) {
                let written = WireName.writeLabel(w, table: table, lowercasing: true, to: ownerText)
                let tail = previousTextFromEnd[1]
                Bytes.copy(ownerText + written, from: textEnd - tail, tail)
                return UnsafeBufferPointer(start: ownerText, count: written + tail)
            }
        }
        // Where each label starts (the scanner gives well-formed names; anything else is
        // written whole).
        var labels = 0
        var i = 0
        while i < n, w[i] != 0, labels < 128 {
            labelStarts[labels] = i
            labels += 1
            i += Int(w[i]) + 1
        }
        guard i == n - 1, labels > 0 else {
            previous[0] = -1
            return UnsafeBufferPointer(start: ownerText, count: WireName.write(wire, lowercased: true, to: ownerText))
        }
        // The tail shared with the kept owner, and the first label from which on it is shared
        // (a label start in both names).
        var firstShared = labels
        if p > 0 {
            let c = 1 + Bytes.commonSuffix(w + n - 1, wireEnd - 1, min(n, p) - 1)  // after the root's zero byte
            var k = labels - 1
            var m = labelsBefore - 1  // the kept owner's labels, from the last
            while k >= 0, n - labelStarts[k] <= c {
                let fromEnd = n - labelStarts[k]
                while m >= 0, previousWireFromEnd[m] < fromEnd { m -= 1 }
                guard m >= 0, previousWireFromEnd[m] == fromEnd else { break }
                firstShared = k
                k -= 1
            }
        }
        var written = 0
        for k in 0..<firstShared {
            textFromEnd[k] = written  // the text offset of label k, from the start for now
            written += WireName.writeLabel(w + labelStarts[k], table: table, lowercasing: true, to: ownerText + written)
        }
        if firstShared < labels {
            // Copy the kept owner's text from the matching label on.
            let fromEnd = n - labelStarts[firstShared]
            var m = labelsBefore - 1
            while previousWireFromEnd[m] != fromEnd { m -= 1 }
            let tail = previousTextFromEnd[m]
            (ownerText + written).update(from: textEnd - tail, count: tail)
            for k in firstShared..<labels {
                let f = n - labelStarts[k]
                while previousWireFromEnd[m] != f { m += 1 }  // later labels end nearer the end
                textFromEnd[k] = written + tail - previousTextFromEnd[m]
            }
            written += tail
        }
        // Keep this owner for the next ones: its wire form and text, right-aligned, and per
        // label where it starts in each, counted from the end.
        (wireEnd - n).update(from: w, count: n)
        (textEnd - written).update(from: ownerText, count: written)
        for k in 0..<labels {
            previousWireFromEnd[k] = n - labelStarts[k]
            previousTextFromEnd[k] = written - textFromEnd[k]
        }
        previous[0] = n
        previous[1] = labels
        previous[2] = written
        return UnsafeBufferPointer(start: ownerText, count: written)
    }
}

/// Domain names in wire form turned into presentation form, escaped as ldns writes them
/// (`\.` in a label, `\DDD` for bytes outside printable ASCII), so names from files and from
/// answers compare equal.
enum WireName {
    /// The longest presentation form of a wire name (255 octets, each `\DDD`).
    static let maxPresentation = 4 * 255 + 1

    /// Byte → itself in presentation form (lower-cased in `lower`), or 0 when it is written
    /// escaped: one table lookup per byte instead of a range test and a switch.
    // Written once at first use and only read after: safe to share between threads.
    nonisolated(unsafe) private static let plain = table(lowercased: false)
    nonisolated(unsafe) private static let lower = table(lowercased: true)

    private static func table(lowercased: Bool) -> UnsafePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)  // lives as long as the program
        for c in 0..<256 {
            switch c {
            case 0x2E, 0x5C, 0x28, 0x29, 0x3B: t[c] = 0  // . \ ( ) ; as ldns_rdf2str escapes them
            case 0x41...0x5A where lowercased: t[c] = UInt8(c + 32)
            case 0x21...0x7E: t[c] = UInt8(c)
            default: t[c] = 0
            }
        }
        return UnsafePointer(t)
    }

    /// Writes the presentation form of `wire` to `out` (room for `maxPresentation` bytes) and
    /// returns its length. Runs for every owner of a large zone: plain pointer writes, no
    /// capacity checks.
    static func write(_ wire: UnsafeBufferPointer<UInt8>, lowercased: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        guard let w = wire.baseAddress else {
            out[0] = 0x2E
            return 1
        }
        let count = wire.count
        var n = 0
        var i = 0
        while i < count {
            let length = Int(w[i])
            if length == 0 || i + length >= count { break }
            n += writeLabel(w + i, lowercased: lowercased, to: out + n)
            i += length + 1
        }
        if n == 0 {  // the root
            out[0] = 0x2E
            n = 1
        }
        return n
    }

    /// Writes the label at `label` (its length byte first) and the dot after it; returns the
    /// number of bytes written.
    @inline(__always)
    static func writeLabel(_ label: UnsafePointer<UInt8>, lowercased: Bool, to out: UnsafeMutablePointer<UInt8>) -> Int {
        writeLabel(label, table: lowercased ? lower : plain, lowercasing: lowercased, to: out)
    }

    /// The lower-case table, for callers that keep it (`OwnerText`).
    static var lowerTable: UnsafePointer<UInt8> { lower }

    /// `writeLabel` with the table given (`lower` when `lowercasing`, else `plain`).
    /// The label goes 8 bytes at a time while they are all written as they are (printable ASCII,
    /// none of `. \ ( ) ;`), lower-cased in the word when asked, then byte by byte through the
    /// table. Why: the reader writes a label of every owner of a large zone (`host479992`), and
    /// the table took 10 instructions a byte, the word about 5.
    @inline(__always)
    static func writeLabel(_ label: UnsafePointer<UInt8>, table: UnsafePointer<UInt8>, lowercasing: Bool,
                           to out: UnsafeMutablePointer<UInt8>) -> Int {
        let length = Int(label[0])
        var n = 0
        var j = 1
        while j + 8 <= length + 1 {
            let x = UnsafeRawPointer(label + j).loadUnaligned(as: UInt64.self)
            guard let word = plainWord(x, lowercasing: lowercasing) else { break }
            UnsafeMutableRawPointer(out + n).storeBytes(of: word, as: UInt64.self)
            n += 8
            j += 8
        }
        while j <= length {
            let c = label[j]
            let p = table[Int(c)]
            if p != 0 {
                out[n] = p
                n += 1
            } else if c >= 0x21 && c <= 0x7E {  // a special character: backslash before it
                out[n] = 0x5C
                out[n + 1] = c
                n += 2
            } else {
                out[n] = 0x5C
                out[n + 1] = 0x30 + c / 100
                out[n + 2] = 0x30 + c / 10 % 10
                out[n + 3] = 0x30 + c % 10
                n += 4
            }
            j += 1
        }
        out[n] = 0x2E
        return n + 1
    }

    /// The 8 bytes of `x` as the tables write them, when every one is written as itself (or
    /// lower-cased): nil when one is escaped. With every byte below 0x80 (tested first), the
    /// sums and differences below stay within their bytes for the question "is any byte...",
    /// which is all that is asked: below 0x21, 0x7F, or one of `. \ ( )` `;` (0x28 and 0x29 are
    /// one test with the low bit cleared); 'A'...'Z' are the bytes that reach 0x80 with 0x3F
    /// added but not with 0x25.
    @inline(__always)
    static func plainWord(_ x: UInt64, lowercasing: Bool) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high = ones &* 0x80
        @inline(__always) func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        if x & high != 0 || (x &- ones &* 0x21) & ~x & high != 0 { return nil }
        if hasZero(x ^ (ones &* 0x7F)) || hasZero(x ^ (ones &* 0x2E)) || hasZero(x ^ (ones &* 0x5C))
            || hasZero((x & ~ones) ^ (ones &* 0x28)) || hasZero(x ^ (ones &* 0x3B)) { return nil }
        guard lowercasing else { return x }
        let upper = (x &+ ones &* 0x3F) & ~(x &+ ones &* 0x25) & high
        return x | upper >> 2
    }

    static func string(_ wire: UnsafeBufferPointer<UInt8>, lowercased: Bool = true) -> String {
        // A string of exactly the name's length (one made with room for the longest name would
        // keep that room).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxPresentation) { buffer in
            let n = write(wire, lowercased: lowercased, to: buffer.baseAddress!)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<n]), as: UTF8.self)
        }
    }
}

extension WireName {
    /// Whether a wire name is `name` (lower-case presentation form, as `Question` keeps it),
    /// ignoring case, without making a string.
    static func matches(_ wire: UnsafeBufferPointer<UInt8>, _ name: String) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxPresentation) { buffer in
            let n = write(wire, lowercased: true, to: buffer.baseAddress!)
            var name = name
            return name.withUTF8 { $0.count == n && memcmp($0.baseAddress!, buffer.baseAddress!, n) == 0 }
        }
    }
}

extension WireName {
    /// Whether two wire names have the same bytes, ignoring the case of ASCII letters.
    static func equalIgnoringCase(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        // Usually the very bytes (a server echoes the name as sent): one memcmp.
        if a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 { return true }
        for k in 0..<a.count {
            let x = a[k], y = b[k]
            if x != y && (x &- 0x41 < 26 ? x + 32 : x) != (y &- 0x41 < 26 ? y + 32 : y) { return false }
        }
        return true
    }
}

/// One record in wire form → `DNSRecord`, through ldns.
enum WireRecord {
    /// The record, and its wire form when `keepingWire` (for DNSSEC: `SignatureCheck` reads it
    /// back with ldns, no text in between).
    /// `memo`: the reader's records converted last (`ConversionMemo`), reused when this one has
    /// the type and data of one of them.
    static func convert(owner: UnsafeBufferPointer<UInt8>, type: UInt16, rrClass: UInt16, ttl: UInt32,
                        rdata: UnsafeBufferPointer<UInt8>, location: SourceLocation?,
                        keepingWire: Bool = false, memo: ConversionMemo? = nil) -> (record: DNSRecord, wire: [UInt8]?) {
        if let memo, case let slot = memo.slot(type: type, rdata: rdata), slot >= 0 {
            // What ldns made of these very fields: only the owner, TTL and place are this record's.
            // The owner is written as `LDNSConvert.text` writes ldns's copy of it (the same bytes).
            let record = memo.record(slot: slot, owner: WireName.string(owner, lowercased: false), ttl: ttl, location: location)
            let wire = keepingWire ? withWire(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata) { Array($0) } : nil
            return (record, wire)
        }
        let (owned, wire) = withWire(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata) { w in
            (rr(w), keepingWire ? Array(w) : nil)
        }
        if let owned {
            let record = LDNSConvert.record(owned.pointer, location: location)
            memo?.keep(record, type: type, rdata: rdata)
            return (record, wire)
        }
        // ldns cannot lay the data out in fields: RFC 3597's generic form keeps it all.
        let hex = rdata.map { String($0, radix: 16).leftPadded(2) }.joined()
        return (DNSRecord(owner: WireName.string(owner), type: "TYPE\(type)", ttl: ttl,
                          rdata: ["\\#", String(rdata.count)] + (rdata.isEmpty ? [] : [hex]), location: location), wire)
    }

    /// The record as ldns lays it out, or nil when ldns cannot.
    static func rr(owner: UnsafeBufferPointer<UInt8>, type: UInt16, rrClass: UInt16, ttl: UInt32,
                   rdata: UnsafeBufferPointer<UInt8>) -> OwnedRR? {
        withWire(owner: owner, type: type, rrClass: rrClass, ttl: ttl, rdata: rdata) { rr($0) }
    }

    /// A record in wire form as ldns lays it out, or nil when ldns cannot.
    static func rr(_ wire: UnsafeBufferPointer<UInt8>) -> OwnedRR? {
        var rr: UnsafeMutablePointer<ldns_rr>?
        var position = 0
        let status = ldns_wire2rr(&rr, wire.baseAddress, wire.count, &position, LDNS_SECTION_ANSWER)
        guard status == LDNS_STATUS_OK, let rr else {
            if let rr { ldns_rr_free(rr) }
            return nil
        }
        return OwnedRR(rr)
    }

    /// Owner, type, class, TTL, rdata length and rdata (RFC 1035 §4.1.3), on the stack, written
    /// byte by byte: appending array literals allocated a small array per field, for each of
    /// the tens of thousands of records kept.
    static func withWire<R>(owner: UnsafeBufferPointer<UInt8>, type: UInt16, rrClass: UInt16, ttl: UInt32,
                            rdata: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let size = owner.count + 10 + rdata.count
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size) { buffer -> R in
            let w = buffer.baseAddress!
            if let o = owner.baseAddress, owner.count > 0 { w.update(from: o, count: owner.count) }
            let f = w + owner.count  // type, class, TTL and data length, in network order
            f[0] = UInt8(type >> 8)
            f[1] = UInt8(type & 0xFF)
            f[2] = UInt8(rrClass >> 8)
            f[3] = UInt8(rrClass & 0xFF)
            f[4] = UInt8(ttl >> 24)
            f[5] = UInt8((ttl >> 16) & 0xFF)
            f[6] = UInt8((ttl >> 8) & 0xFF)
            f[7] = UInt8(ttl & 0xFF)
            f[8] = UInt8(rdata.count >> 8)
            f[9] = UInt8(rdata.count & 0xFF)
            if let r = rdata.baseAddress, rdata.count > 0 { (f + 10).update(from: r, count: rdata.count) }
            return body(UnsafeBufferPointer(start: w, count: size))
        }
    }
}

/// The last records a reader converted through ldns, with their types and data: the next record
/// it keeps often has the very same data (a hoster's tens of thousands of SRV records point to
/// one or two Edges, `0 0 5061 sip.edge.example.net.`, `0 0 5269 xmpp.edge.example.net.`, often
/// in turn), and ldns lays out the same bytes of the same type into the same fields every time.
/// Then the fields' text and typed values are taken from here instead of going through
/// `ldns_wire2rr`, the text of each field and `ldns_rr_free` again: 9,400 instructions per kept
/// record, most of the reader's cost per record it keeps. Only what ldns converted is kept
/// (never the RFC 3597 fallback, whose owner is written otherwise), only small data (the
/// records that repeat are SRV, CNAME, A; a copy of every large TXT would cost more than it
/// saves), and the owner, TTL and location always come from the record itself.
final class ConversionMemo {
    /// One record's type and data, and what ldns made of them (`DNSRecord`'s fields that do not
    /// depend on the owner, TTL or place), kept apart rather than as a record: a record is made
    /// from them directly, not copied out, changed and the copy released.
    private struct Slot {
        var type: UInt16
        var rdata: [UInt8]
        var typeText: String
        var code: RRType
        var texts: [String]
        var fields: DNSRecord.Fields
    }

    static let slots = 4
    static let largestData = 512
    private var slots: [Slot] = []
    /// The slot the next record converted replaces (the oldest).
    private var next = 0
    /// How many records were made from here (for tests).
    private(set) var hits = 0

    /// The slot holding `type` and `rdata`, or -1.
    func slot(type: UInt16, rdata: UnsafeBufferPointer<UInt8>) -> Int {
        for i in slots.indices where slots[i].type == type && slots[i].rdata.count == rdata.count {
            if rdata.count == 0 || slots[i].rdata.withUnsafeBufferPointer({ Bytes.equal($0.baseAddress!, rdata.baseAddress!, rdata.count) }) {
                return i
            }
        }
        return -1
    }

    /// The data of slot `i` at another owner, TTL and place.
    func record(slot i: Int, owner: String, ttl: UInt32, location: SourceLocation?) -> DNSRecord {
        hits += 1
        let s = slots[i]
        return DNSRecord(owner: owner, type: s.typeText, code: s.code, ttl: ttl, rdata: s.texts, fields: s.fields, location: location)
    }

    func keep(_ record: DNSRecord, type: UInt16, rdata: UnsafeBufferPointer<UInt8>) {
        guard rdata.count <= Self.largestData else { return }
        let slot = Slot(type: type, rdata: Array(rdata), typeText: record.type, code: record.code, texts: record.rdata,
                        fields: record.fields)
        if slots.count < Self.slots {
            slots.append(slot)
        } else {
            slots[next] = slot
            next = (next + 1) % Self.slots
        }
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
