/// Where a streamed document goes, chunk by chunk: the command line's standard output, or a
/// String in tests. The core library does no I/O; it hands bytes to whoever asked for them.
///
/// `dns check` reports of a hoster's 20,000 records are megabytes of JSON or XML: written as a
/// stream they never exist whole in memory (no value tree, no document-sized String, no copy
/// of it as bytes), which keeps every format's peak at the text report's.
public protocol OutputSink: AnyObject {
    /// Valid UTF-8, though a chunk may end in the middle of a character.
    func write(_ bytes: UnsafeRawBufferPointer)
}

/// Collects a streamed document into a String: for tests, the fuzzer and small callers.
public final class StringSink: OutputSink {
    private var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A 64 KiB buffer in front of a sink: renderers append small pieces (a key, a name) to an
/// array of bytes, and the sink gets one call per full buffer instead of one per piece.
public struct BufferedOutput {
    public static let capacity = 65_536

    private var buffer: [UInt8] = []
    private let sink: OutputSink

    public init(_ sink: OutputSink) {
        self.sink = sink
        buffer.reserveCapacity(Self.capacity)
    }

    @inline(__always)
    public mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.capacity { flush() }
    }

    @inline(__always)
    public mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { buffer.append(contentsOf: $0) }
        if buffer.count >= Self.capacity { flush() }
    }

    @inline(__always)
    mutating func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.capacity { flush() }
    }

    /// Bytes appended without a check for a full buffer: the caller calls `flushIfFull()`
    /// after a run of them (an escaped string is appended a byte at a time).
    @inline(__always)
    mutating func append(unchecked byte: UInt8) { buffer.append(byte) }

    @inline(__always)
    mutating func append(unchecked bytes: UnsafeBufferPointer<UInt8>) { buffer.append(contentsOf: bytes) }

    @inline(__always)
    mutating func flushIfFull() {
        if buffer.count >= Self.capacity { flush() }
    }

    /// Decimal, without a String in between.
    mutating func write(_ n: Int) {
        if n < 0 {
            write(byte: UInt8(ascii: "-"))
            // Int.min has no positive Int: its magnitude as UInt.
            writeDigits(UInt(bitPattern: 0 &- n))
        } else {
            writeDigits(UInt(n))
        }
    }

    private mutating func writeDigits(_ n: UInt) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = n
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            buffer.append(contentsOf: d[(20 - count)...])
        }
        flushIfFull()
    }

    /// Hands what is buffered to the sink. Call once at the end of a document.
    public mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}
