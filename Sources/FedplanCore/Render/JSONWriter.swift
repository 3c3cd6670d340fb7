/// Writes JSON as it goes, byte for byte as Foundation's `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes it (docs/json.md documents
/// that form, and scripts diff it): two-space indents, `"key" : value`, an empty array or
/// object as `[`, an empty line, `]`. The caller writes the keys of each object in sorted order
/// (`JSONEncoder`'s order, for these keys their order by UTF-8 bytes: `not_covered` before
/// `notices`, `$schema` first) and leaves out the keys of absent optionals, as the encoder does
/// with nil. Tests compare every document with the encoder's output of the same values.
///
/// No value tree: a report of 20,000 records streams through a 64 KiB buffer.
public struct JSONWriter {
    let out: BufferedOutput
    private var depth = 0
    /// Nothing written yet in the innermost open array or object.
    private var empty = true

    public init(_ sink: OutputSink) {
        out = BufferedOutput(sink)
    }

    // MARK: structure

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The next key of the open object; its value follows.
    public mutating func key(_ name: StaticString) {
        // `,` `\n` indent `"name" : ` stored in one go, byte by byte (keys are short: a call
        // to memcpy would cost more): a report writes six keys a record.
        precondition(name.hasPointerRepresentation)
        let count = name.utf8CodeUnitCount, from = name.utf8Start
        let length = (empty ? 0 : 1) + 1 + 2 * depth + 1 + count + 4
        var p = out.reserve(length)
        if !empty { p.pointee = UInt8(ascii: ","); p += 1 }
        p.pointee = UInt8(ascii: "\n"); p += 1
        for _ in 0..<2 * depth { p.pointee = UInt8(ascii: " "); p += 1 }
        p.pointee = UInt8(ascii: "\""); p += 1
        for i in 0..<count { p[i] = from[i] }
        p += count
        (p + 0).pointee = UInt8(ascii: "\"")
        (p + 1).pointee = UInt8(ascii: " ")
        (p + 2).pointee = UInt8(ascii: ":")
        (p + 3).pointee = UInt8(ascii: " ")
        out.commit(length)
        empty = false
    }

    /// A key's bytes as `key(_:)` writes them at one depth (`,` newline, the indent,
    /// `"name" : `), composed once. A check report writes seven keys for each of 20,000
    /// records, all at one depth: copying them ready-made costs a third of composing each.
    public struct PreparedKey {
        fileprivate let bytes: [UInt8]
        fileprivate let depth: Int
    }

    /// `name` prepared for the objects `nested` levels below the current container (1: the
    /// objects that are the elements of the array just begun).
    public func prepare(_ name: StaticString, nested: Int) -> PreparedKey {
        let depth = self.depth + nested
        var bytes: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\n")]
        bytes += repeatElement(UInt8(ascii: " "), count: 2 * depth)
        bytes.append(UInt8(ascii: "\""))
        bytes += UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        bytes += [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")]
        return PreparedKey(bytes: bytes, depth: depth)
    }

    /// The next key of the open object, prepared by `prepare(_:nested:)` for its depth.
    public mutating func key(_ prepared: PreparedKey) {
        precondition(prepared.depth == depth, "a key prepared for another depth")
        // The first key of an object has no comma before it.
        let skip = empty ? 1 : 0
        prepared.bytes.withUnsafeBufferPointer { bytes in
            let n = bytes.count - skip
            out.reserve(n).update(from: bytes.baseAddress! + skip, count: n)
            out.commit(n)
        }
        empty = false
    }

    /// Before each value in an array.
    public mutating func element() { newLine() }

    /// The end of the document: a final newline, everything handed to the sink.
    public func finish() {
        out.write(byte: UInt8(ascii: "\n"))
        out.flush()
    }

    private mutating func open(_ bracket: UInt8) {
        out.write(byte: bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        // JSONEncoder prints an empty container with an empty line inside.
        if empty { out.write(byte: UInt8(ascii: "\n")) }
        out.write(byte: UInt8(ascii: "\n"))
        indent()
        out.write(byte: bracket)
        // The container was a value of its parent, which therefore is not empty.
        empty = false
    }

    private mutating func newLine() {
        if !empty { out.write(byte: UInt8(ascii: ",")) }
        out.write(byte: UInt8(ascii: "\n"))
        indent()
        empty = false
    }

    private func indent() {
        // One write for the whole indent (documents nest 7 deep at most; deeper, in pieces).
        let spaces: StaticString = "                "
        var rest = 2 * depth
        spaces.withUTF8Buffer { all in
            while rest > 0 {
                let n = min(rest, all.count)
                out.write(UnsafeBufferPointer(rebasing: all[..<n]))
                rest -= n
            }
        }
    }

    // MARK: values

    public func value(_ n: Int) { out.write(n) }

    public func value(_ b: Bool) { out.write(b ? "true" as StaticString : "false") }

    /// A string of fedplan's own that needs no escape (a status, a record type, a rule
    /// name): copied between its quotes in one go. Callers pass literals of printable ASCII
    /// without `"` or `\`; going through the escaping path cost 250 instructions a value, and
    /// a check report writes three such values per record.
    public func value(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        let p = out.reserve(n + 2)
        p[0] = UInt8(ascii: "\"")
        (p + 1).update(from: s.utf8Start, count: n)
        p[n + 1] = UInt8(ascii: "\"")
        out.commit(n + 2)
    }

    /// Part of a string of fedplan's own that needs no escape (the space between numbers).
    public func stringPart(_ s: StaticString) { out.write(s) }

    /// A string, escaped as `JSONEncoder` escapes: `"` and `\` with a backslash; U+0000 to
    /// U+001F as `\b \t \n \f \r` or `\u00xx` (lower-case hex); everything else as it is,
    /// `/` (`.withoutEscapingSlashes`), DEL, C1 controls, U+2028 and all non-ASCII included.
    /// Fields from DNS or descriptions are `Escape.text`ed before they get here, so only the
    /// characters JSON itself reserves are escaped in practice.
    public func value(_ s: String) { string(s, quoted: true) }

    /// Untrusted text (from DNS, zone files, descriptions) as a string: `Escape.text`, then
    /// JSON's escapes. Most such text is printable ASCII, which `Escape.text` leaves as it is:
    /// that is told from the bytes, without decoding the text into Unicode scalars.
    public func text(_ s: String) {
        // Printable ASCII without `"` or `\` (nearly every name and record an answer holds)
        // is written as it is, told in one pass over the bytes: `Escape.text` would leave it
        // alone and JSON has nothing to escape in it. Looking first for what `Escape.text`
        // changes and then again for what JSON escapes read every byte twice.
        var s = s
        let written = s.withUTF8 { bytes -> Bool in
            guard bytes.count + 2 <= BufferedOutput.capacity, Self.isPlain(bytes) else { return false }
            let p = out.reserve(bytes.count + 2)
            p[0] = UInt8(ascii: "\"")
            if let base = bytes.baseAddress { (p + 1).update(from: base, count: bytes.count) }
            p[bytes.count + 1] = UInt8(ascii: "\"")
            out.commit(bytes.count + 2)
            return true
        }
        if !written { value(Self.safe(s)) }
    }

    /// Printable ASCII (0x20–0x7E) without `"` or `\`: what both `Escape.text` and JSON
    /// leave as it is.
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while bytes.count - i >= 8 {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if w & high != 0 || hasByte(w, 0x7F) || anyNeedsEscape(w) { return false }
            i += 8
        }
        while i < bytes.count {
            let b = base[i]
            if b < 0x20 || b >= 0x7F || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            i += 1
        }
        return true
    }

    /// `Escape.text(s)`, with printable ASCII told from the bytes and returned as it is.
    static func safe(_ s: String) -> String {
        isPrintableASCII(s) ? s : Escape.text(s)
    }

    /// A string written in pieces (a record's data: numbers and a name) without joining them
    /// first: `beginString()`, `stringPart(…)`…, `endString()`.
    public func beginString() { out.write(byte: UInt8(ascii: "\"")) }
    public func endString() { out.write(byte: UInt8(ascii: "\"")) }

    /// Part of a string, JSON-escaped, without quotes.
    public func stringPart(_ s: String) { string(s, quoted: false) }

    @inline(__always)
    private func string(_ s: String, quoted: Bool) {
        // Native strings are contiguous UTF-8 already (small ones are copied to the stack);
        // bridged ones are made so once.
        if s.utf8.withContiguousStorageIfAvailable({ string($0, quoted: quoted) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { string($0, quoted: quoted) }
        }
    }

    private func string(_ bytes: UnsafeBufferPointer<UInt8>, quoted: Bool) {
        let quote = UInt8(ascii: "\"")
        let n = bytes.count
        guard let base = bytes.baseAddress, n > 0 else {
            if quoted { out.write(byte: quote); out.write(byte: quote) }
            return
        }
        var i = 0
        // Most strings need no escape: copied straight into the buffer with their quotes while
        // looked at, eight bytes at a time, up to the first byte to escape if there is one.
        if n + 2 <= BufferedOutput.capacity {
            var to = out.reserve(n + 2)
            if quoted { to.pointee = quote; to += 1 }
            while n - i >= 8 {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if Self.anyNeedsEscape(word) { break }
                UnsafeMutableRawPointer(to + i).storeBytes(of: word, as: UInt64.self)
                i += 8
            }
            while i < n, !Self.needsEscape(base[i]) {
                to[i] = base[i]
                i += 1
            }
            if i == n {
                if quoted { to[n] = quote }
                out.commit(quoted ? n + 2 : n)
                return
            }
            out.commit(quoted ? i + 1 : i)
        } else if quoted {
            out.write(byte: quote)
        }
        // The rest, in runs between the bytes to escape.
        var start = i
        while i < n {
            if n - i >= 8, !Self.anyNeedsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                i += 8
                continue
            }
            let end = min(i + 8, n)
            while i < end {
                if Self.needsEscape(base[i]) {
                    if start < i { out.write(UnsafeBufferPointer(start: base + start, count: i - start)) }
                    escape(base[i])
                    start = i + 1
                }
                i += 1
            }
        }
        if start < n { out.write(UnsafeBufferPointer(start: base + start, count: n - start)) }
        if quoted { out.write(byte: quote) }
    }

    public func stringPart(_ n: Int) { out.write(n) }

    /// Part of a string: an SRV record's priority, weight and port, each with a space after it.
    public func stringPart(spaced numbers: (UInt16, UInt16, UInt16)) { out.writeSpaced(numbers) }

    static func isPrintableASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return true }
            var i = 0
            while bytes.count - i >= 8 {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if w & high != 0 || hasLess(w, 0x20) || hasByte(w, 0x7F) { return false }
                i += 8
            }
            while i < bytes.count {
                if base[i] < 0x20 || base[i] >= 0x7F { return false }
                i += 1
            }
            return true
        }
    }

    /// Printable ASCII (0x20–0x7E) without `&`, `<`, `>` or `"`: what both `Escape.text` and
    /// XML's escapes leave as it is (JUnit's names and messages).
    static func isPlainMarkup(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var i = 0
        while bytes.count - i >= 8 {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if w & high != 0 || hasLess(w, 0x20) || hasByte(w, 0x7F) || hasByte(w, UInt8(ascii: "&"))
                || hasByte(w, UInt8(ascii: "<")) || hasByte(w, UInt8(ascii: ">")) || hasByte(w, UInt8(ascii: "\"")) { return false }
            i += 8
        }
        while i < bytes.count {
            switch base[i] {
            case 0..<0x20, 0x7F..., UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""): return false
            default: i += 1
            }
        }
        return true
    }

    // Eight bytes at a time (bit tricks from "Bit Twiddling Hacks", exact as yes/no answers):
    // a report is mostly names and numbers with nothing to escape, and a byte at a time was
    // most of the cost of writing them.
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let high: UInt64 = 0x8080_8080_8080_8080

    /// Some byte of `w` is below `n` (n <= 128).
    @inline(__always)
    private static func hasLess(_ w: UInt64, _ n: UInt8) -> Bool {
        (w &- ones &* UInt64(n)) & ~w & high != 0
    }

    /// Some byte of `w` is `b`.
    @inline(__always)
    private static func hasByte(_ w: UInt64, _ b: UInt8) -> Bool {
        let x = w ^ (ones &* UInt64(b))
        return (x &- ones) & ~x & high != 0
    }

    /// Some byte of `w` is one `needsEscape` escapes.
    @inline(__always)
    private static func anyNeedsEscape(_ w: UInt64) -> Bool {
        hasLess(w, 0x20) || hasByte(w, UInt8(ascii: "\"")) || hasByte(w, UInt8(ascii: "\\"))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private func escape(_ byte: UInt8) {
        out.write(byte: UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.write(byte: byte)
        case 0x08: out.write(byte: UInt8(ascii: "b"))
        case 0x09: out.write(byte: UInt8(ascii: "t"))
        case 0x0A: out.write(byte: UInt8(ascii: "n"))
        case 0x0C: out.write(byte: UInt8(ascii: "f"))
        case 0x0D: out.write(byte: UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.write("u00" as StaticString)
            hex.withUTF8Buffer { digits in
                out.write(byte: digits[Int(byte >> 4)])
                out.write(byte: digits[Int(byte & 0xF)])
            }
        }
    }

    // MARK: conveniences

    public mutating func field(_ name: StaticString, _ s: String) {
        key(name)
        value(s)
    }

    public mutating func field(_ name: StaticString, _ n: Int) {
        key(name)
        value(n)
    }

    public mutating func field(_ name: StaticString, _ b: Bool) {
        key(name)
        value(b)
    }

    /// Leaves the key out when the value is nil, as `JSONEncoder` does.
    public mutating func field(_ name: StaticString, _ s: String?) {
        if let s { field(name, s) }
    }

    /// Untrusted text (`text(_:)`), the key left out when nil.
    public mutating func textField(_ name: StaticString, _ s: String?) {
        if let s {
            key(name)
            text(s)
        }
    }

    public mutating func field(_ name: StaticString, _ n: Int?) {
        if let n { field(name, n) }
    }

    /// `"name" : [ … ]`, each item written by `body` after its separator.
    mutating func array<C: Collection>(_ name: StaticString, _ items: C, _ body: (inout JSONWriter, C.Element) -> Void) {
        key(name)
        beginArray()
        for item in items {
            element()
            body(&self, item)
        }
        endArray()
    }
}
