import CLDNS
import Glibc

/// UDP queries waiting to go out together: `QueryEngine` writes the queries of one scheduling
/// pass here and sends them with one `sendmmsg` per socket instead of one `sendto` each. At
/// 100,000 queries a second the system calls themselves (entry, descriptor lookup, copying
/// the address in) were a tenth of the kernel's time in the query phase; what remains is
/// each datagram's own way through the stack.
///
/// The memory is allocated once per engine, outside the heap's per-query churn: the wire
/// of each query in a slot of `QueryWire.maxSize` bytes, its destination, and the vectors the
/// kernel reads.
final class Outbox {
    /// Queries per batch: one pass starts at most `--concurrency` of them; more flush early.
    static let capacity = 128

    private let wire: UnsafeMutableRawPointer
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let vectors: UnsafeMutablePointer<iovec>
    private let messages: UnsafeMutablePointer<fedplan_mmsghdr>
    /// Each waiting datagram's socket, and the flight it belongs to (`FlightTable` slot).
    private(set) var fds: [Int32] = []
    private(set) var slots: [Int] = []

    init() {
        wire = .allocate(byteCount: Self.capacity * QueryWire.maxSize, alignment: 16)
        addresses = .allocate(capacity: Self.capacity)
        vectors = .allocate(capacity: Self.capacity)
        messages = .allocate(capacity: Self.capacity)
        fds.reserveCapacity(Self.capacity)
        slots.reserveCapacity(Self.capacity)
    }

    deinit {
        wire.deallocate()
        addresses.deallocate()
        vectors.deallocate()
        messages.deallocate()
    }

    var count: Int { fds.count }
    var isFull: Bool { fds.count == Self.capacity }

    /// Where the next datagram's bytes go (room for `QueryWire.maxSize`).
    var nextWire: UnsafeMutableRawPointer { wire + fds.count * QueryWire.maxSize }

    /// Adds the datagram written at `nextWire` (`length` bytes) for `destination` on `fd`.
    func add(length: Int, fd: Int32, destination: sockaddr_storage, destinationLength: socklen_t, slot: Int) {
        let k = fds.count
        addresses[k] = destination
        vectors[k] = iovec(iov_base: nextWire, iov_len: length)
        messages[k] = fedplan_mmsghdr(
            msg_hdr: msghdr(msg_name: UnsafeMutableRawPointer(addresses + k), msg_namelen: destinationLength,
                            msg_iov: vectors + k, msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0),
            msg_len: 0)
        fds.append(fd)
        slots.append(slot)
    }

    /// Sends datagrams `range` (all on one socket): how many went, or -1 with `errno` set for
    /// the first of them.
    func send(_ range: Range<Int>) -> Int {
        Int(fedplan_sendmmsg(fds[range.lowerBound], messages + range.lowerBound, UInt32(range.count), 0))
    }

    func removeAll() {
        fds.removeAll(keepingCapacity: true)
        slots.removeAll(keepingCapacity: true)
    }
}

/// Replies read together: `QueryEngine` reads every datagram waiting on a socket with one
/// `recvmmsg` (up to `capacity`) instead of one `recvfrom` each, and one more that finds none.
/// Each slot holds the largest UDP payload (64 KiB), as the single receive buffer before it
/// did, so that no reply is ever cut; the kernel writes only the bytes that arrive, so the
/// pages of the slots are touched as replies need them.
final class Inbox {
    static let capacity = 32
    static let slotSize = 65_536

    private let buffers: UnsafeMutableRawPointer
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let vectors: UnsafeMutablePointer<iovec>
    private let messages: UnsafeMutablePointer<fedplan_mmsghdr>

    init() {
        buffers = .allocate(byteCount: Self.capacity * Self.slotSize, alignment: 16)
        addresses = .allocate(capacity: Self.capacity)
        vectors = .allocate(capacity: Self.capacity)
        messages = .allocate(capacity: Self.capacity)
        for k in 0..<Self.capacity {
            vectors[k] = iovec(iov_base: buffers + k * Self.slotSize, iov_len: Self.slotSize)
        }
    }

    deinit {
        buffers.deallocate()
        addresses.deallocate()
        vectors.deallocate()
        messages.deallocate()
    }

    /// Reads the datagrams waiting on `fd` without blocking: how many (then `datagram(k)` and
    /// `source(k)` until the next call), or -1 with `errno` set when none could be read.
    func receive(_ fd: Int32) -> Int {
        for k in 0..<Self.capacity {
            messages[k] = fedplan_mmsghdr(
                msg_hdr: msghdr(msg_name: UnsafeMutableRawPointer(addresses + k),
                                msg_namelen: socklen_t(MemoryLayout<sockaddr_storage>.size),
                                msg_iov: vectors + k, msg_iovlen: 1, msg_control: nil, msg_controllen: 0, msg_flags: 0),
                msg_len: 0)
        }
        while true {
            let n = fedplan_recvmmsg(fd, messages, UInt32(Self.capacity), Int32(MSG_DONTWAIT))
            if n < 0 && errno == EINTR { continue }
            return Int(n)
        }
    }

    func datagram(_ k: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: buffers + k * Self.slotSize, count: Int(messages[k].msg_len))
    }

    func source(_ k: Int) -> sockaddr_storage { addresses[k] }
}
