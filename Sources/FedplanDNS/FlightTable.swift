import Glibc

/// One query on its way: which try it is, how it went out, and when it is late.
struct Flight {
    var query: Int
    var attempt: Int
    var tcp: Bool
    var edns: Bool
    var id: UInt16
    var fd: Int32
    var started: Double
    var deadline: Double
    /// Why the replies seen so far were not believed, for the failure message.
    var problem: String?
    /// TCP: the bytes of the reply read so far (2-byte length, then the message).
    var received: [UInt8] = []
    /// Asked with CD set after this SERVFAIL (`QueryEngine`).
    var checkingDisabled: QueryEngine.Checked? = nil
}

/// The queries in flight, in reused slots: found by socket and ID (UDP) or by socket (TCP),
/// and expired in the order they were sent, which is the order of their deadlines because every
/// try waits the same timeout. No step looks at every flight.
struct FlightTable {
    private var items: [Flight?] = []
    private var serials: [Int] = []
    private var free: [Int] = []
    private var udpIndex: [Int: Int] = [:]
    private var tcpIndex: [Int32: Int] = [:]
    /// Slots in the order sent, with the serial they had then: a slot freed and reused since
    /// has another serial, so its old entry is skipped.
    private var timeline: [(slot: Int, serial: Int, deadline: Double)] = []
    private var head = 0
    private var nextSerial = 0
    private(set) var count = 0

    subscript(slot: Int) -> Flight {
        get { items[slot]! }
        _modify { yield &items[slot]! }
    }

    private static func key(_ fd: Int32, _ id: UInt16) -> Int { Int(fd) << 16 | Int(id) }

    func udp(fd: Int32, id: UInt16) -> Int? { udpIndex[Self.key(fd, id)] }
    func tcp(fd: Int32) -> Int? { tcpIndex[fd] }
    var tcpSockets: Dictionary<Int32, Int>.Keys { tcpIndex.keys }
    var slots: [Int] { items.indices.filter { items[$0] != nil } }

    mutating func add(_ flight: Flight) {
        let slot: Int
        if let reused = free.popLast() {
            slot = reused
            items[slot] = flight
        } else {
            slot = items.count
            items.append(flight)
            serials.append(0)
        }
        nextSerial += 1
        serials[slot] = nextSerial
        if flight.tcp { tcpIndex[flight.fd] = slot } else { udpIndex[Self.key(flight.fd, flight.id)] = slot }
        timeline.append((slot, nextSerial, flight.deadline))
        count += 1
    }

    mutating func remove(_ slot: Int) -> Flight {
        let flight = items[slot]!
        items[slot] = nil
        free.append(slot)
        if flight.tcp { tcpIndex[flight.fd] = nil } else { udpIndex[Self.key(flight.fd, flight.id)] = nil }
        count -= 1
        return flight
    }

    /// The deadline of the flight sent first among those still in flight.
    mutating func earliestDeadline() -> Double {
        skipFinished()
        return head < timeline.count ? timeline[head].deadline : .infinity
    }

    /// A flight whose deadline has passed, the earliest first.
    mutating func firstExpired(now: Double) -> Int? {
        skipFinished()
        guard head < timeline.count, timeline[head].deadline <= now else { return nil }
        return timeline[head].slot
    }

    private mutating func skipFinished() {
        while head < timeline.count {
            let entry = timeline[head]
            if items[entry.slot] != nil && serials[entry.slot] == entry.serial { break }
            head += 1
        }
        if head > 4096 && head * 2 > timeline.count {
            timeline.removeFirst(head)
            head = 0
        }
    }
}

/// Query IDs, unpredictable as RFC 5452 asks: from the kernel's random device, 4 KiB at a
/// time instead of one system call per query.
struct QueryIDs {
    private var pool = [UInt16](repeating: 0, count: 2048)
    private var index = 2048

    mutating func next() -> UInt16 {
        if index == pool.count {
            pool.withUnsafeMutableBytes { raw in
                var filled = 0
                let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
                while fd >= 0 && filled < raw.count {
                    let n = read(fd, raw.baseAddress! + filled, raw.count - filled)
                    if n > 0 { filled += n } else if n == 0 || errno != EINTR { break }
                }
                if fd >= 0 { close(fd) }
                if filled < raw.count {  // no random device: still IDs, from Swift's generator
                    for i in filled..<raw.count { raw[i] = UInt8.random(in: 0...255) }
                }
            }
            index = 0
        }
        defer { index += 1 }
        return pool[index]
    }
}
