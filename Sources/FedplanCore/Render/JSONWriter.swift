/// Writes JSON as it goes, byte for byte as Foundation's `JSONEncoder` with
/// `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]` writes it (docs/json.md documents
/// that form, and scripts diff it): two-space indents, `"key" : value`, an empty array or
/// object as `[`, an empty line, `]`. The caller writes the keys of each object in sorted order
/// (`JSONEncoder`'s order: by UTF-8 bytes, `not_covered` before `notices`) and leaves out the
/// keys of absent optionals, as the encoder does with nil. Tests compare every document with
/// the encoder's output of the same values.
///
/// No value tree: a report of 20,000 records streams through a 64 KiB buffer.
public struct JSONWriter {
    var out: BufferedOutput
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
        newLine()
        out.write(byte: UInt8(ascii: "\""))
        out.write(name)
        out.write("\" : " as StaticString)
    }

    /// Before each value in an array.
    public mutating func element() { newLine() }

    /// The end of the document: a final newline, everything handed to the sink.
    public mutating func finish() {
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

    private mutating func indent() {
        for _ in 0..<depth { out.write("  " as StaticString) }
    }

    // MARK: values

    public mutating func value(_ n: Int) { out.write(n) }

    public mutating func value(_ b: Bool) { out.write(b ? "true" as StaticString : "false") }

    /// A string, escaped as `JSONEncoder` escapes: `"` and `\` with a backslash; U+0000 to
    /// U+001F as `\b \t \n \f \r` or `\u00xx` (lower-case hex); everything else as it is,
    /// `/` (`.withoutEscapingSlashes`), DEL, C1 controls, U+2028 and all non-ASCII included.
    /// Fields from DNS or descriptions are `Escape.text`ed before they get here, so only the
    /// characters JSON itself reserves are escaped in practice.
    public mutating func value(_ s: String) {
        out.write(byte: UInt8(ascii: "\""))
        var s = s
        // Native strings are contiguous UTF-8 already; bridged ones are made so once.
        s.withUTF8 { bytes in
            // Most strings need no escape: copied in runs between the bytes that do.
            var start = 0
            for i in 0..<bytes.count where Self.needsEscape(bytes[i]) {
                if start < i { out.append(unchecked: UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                escape(bytes[i])
                start = i + 1
            }
            if start < bytes.count { out.append(unchecked: UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
        out.write(byte: UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func escape(_ byte: UInt8) {
        out.append(unchecked: UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(unchecked: byte)
        case 0x08: out.append(unchecked: UInt8(ascii: "b"))
        case 0x09: out.append(unchecked: UInt8(ascii: "t"))
        case 0x0A: out.append(unchecked: UInt8(ascii: "n"))
        case 0x0C: out.append(unchecked: UInt8(ascii: "f"))
        case 0x0D: out.append(unchecked: UInt8(ascii: "r"))
        default:
            let hex: StaticString = "0123456789abcdef"
            out.write("u00" as StaticString)
            hex.withUTF8Buffer { digits in
                out.append(unchecked: digits[Int(byte >> 4)])
                out.append(unchecked: digits[Int(byte & 0xF)])
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
