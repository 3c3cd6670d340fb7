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

/// A 64 KiB buffer in front of a sink: renderers append small pieces (a key, a name) to it,
/// and the sink gets one call per full buffer instead of one per piece.
///
/// Raw memory, not an `[UInt8]`: a report writes hundreds of thousands of pieces of a few
/// bytes, and an array's uniqueness and capacity checks on each were most of the cost of
/// writing one (measured with callgrind: about 700 instructions for a key, now about 100).
public final class BufferedOutput {
    public static let capacity = 65_536

    private let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: BufferedOutput.capacity)
    private var count = 0
    private let sink: OutputSink

    public init(_ sink: OutputSink) {
        self.sink = sink
    }

    deinit {
        storage.deallocate()
    }

    @inline(__always)
    public func write(_ text: String) {
        var text = text
        // Native strings are contiguous UTF-8 already; others are made so once.
        text.withUTF8 { write($0) }
    }

    @inline(__always)
    public func write(_ text: StaticString) {
        text.withUTF8Buffer { write($0) }
    }

    @inline(__always)
    public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count > 0 else { return }
        if count + bytes.count > Self.capacity {
            flush()
            // Larger than the whole buffer (a huge string): straight to the sink.
            if bytes.count > Self.capacity {
                sink.write(UnsafeRawBufferPointer(bytes))
                return
            }
        }
        (storage + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    public func write(byte: UInt8) {
        if count == Self.capacity { flush() }
        storage[count] = byte
        count += 1
    }

    /// Room for `n` bytes (no more than `capacity`) at the end of the buffer: the caller
    /// stores them there, then `commit(n)`. One check for a whole key with its indent.
    @inline(__always)
    func reserve(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        precondition(n <= Self.capacity)
        if count + n > Self.capacity { flush() }
        return storage + count
    }

    @inline(__always)
    func commit(_ n: Int) { count += n }

    /// Decimal, without a String in between: the digits counted first, then written from the
    /// last straight into the buffer (a report writes three numbers per SRV record; through a
    /// temporary buffer and a copy they cost 100 instructions each).
    public func write(_ n: Int) {
        guard n >= 0, n < 1_000_000 else { return writeAny(n) }
        let digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : n < 100_000 ? 5 : 6
        let p = reserve(digits)
        var rest = n, i = digits
        repeat {
            i -= 1
            p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while i > 0
        commit(digits)
    }

    /// An SRV record's priority, weight and port, each followed by a space (`0 0 5061 `), in
    /// one reserved run of the buffer: as three numbers and three spaces written one by one
    /// they cost 360 instructions a record, and reports write one per SRV record.
    public func writeSpaced(_ numbers: (UInt16, UInt16, UInt16)) {
        let p = reserve(18)  // three numbers of at most five digits, three spaces
        var k = 0
        func put(_ n: UInt16) {
            let digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10_000 ? 4 : 5
            var rest = n, i = k + digits
            repeat {
                i -= 1
                p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while i > k
            k += digits
            p[k] = UInt8(ascii: " ")
            k += 1
        }
        put(numbers.0)
        put(numbers.1)
        put(numbers.2)
        commit(k)
    }

    /// Any Int: negative ones and those of more than six digits.
    private func writeAny(_ n: Int) {
        // Int.min has no positive Int: its magnitude as UInt.
        var rest = n < 0 ? UInt(bitPattern: 0 &- n) : UInt(n)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { d in  // UInt.max has 20 digits, a sign 1
            var start = d.count
            repeat {
                start -= 1
                d[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            if n < 0 {
                start -= 1
                d[start] = UInt8(ascii: "-")
            }
            write(UnsafeBufferPointer(rebasing: d[start...]))
        }
    }

    /// Hands what is buffered to the sink. Call once at the end of a document.
    public func flush() {
        guard count > 0 else { return }
        sink.write(UnsafeRawBufferPointer(start: storage, count: count))
        count = 0
    }
}
