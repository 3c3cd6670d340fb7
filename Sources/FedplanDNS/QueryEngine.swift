import CLDNS
import FedplanCore
import Glibc

/// How queries are sent (the `dns check` options).
public struct QueryOptions: Sendable {
    /// Seconds to wait for one answer.
    public var timeout: Double = 2
    /// Further tries after a timeout.
    public var retries: Int = 1
    /// TCP only; otherwise UDP, and TCP when an answer is truncated.
    public var tcpOnly = false
    /// Queries in flight at once, in all; also where each server's window starts.
    public var concurrency = 64
    /// At most this many queries sent per second, in all (0: no cap).
    public var qps: Double = 0
    /// Set RD (ask a resolver to recurse); off for authoritative servers.
    public var recursionDesired = true
    /// EDNS0 UDP payload size we offer (RFC 6891); 1232 avoids IP fragmentation.
    public var ednsBufferSize: UInt16 = 1232
    /// The whole check ends by this time (`QueryOptions.now()`, seconds): queries still waiting
    /// then fail, so no server, however slow or hostile, can hold a check longer.
    public var deadline: Double = .infinity
    /// A descriptor that becomes readable when the user asks to stop (Ctrl-C): queries still
    /// waiting fail at once and the engine returns what it has.
    public var interruptFD: Int32?
    /// Told how the queries are going, at most ten times a second (the progress line).
    public var onProgress: (@Sendable (QueryProgress) -> Void)?

    public init() {}

    /// The monotonic clock `deadline` is measured on.
    public static func now() -> Double { SocketAddress.now() }
}

/// How far an engine's queries have come, over all its runs (`dns check` rounds).
public struct QueryProgress: Sendable, Equatable {
    /// Queries with an outcome, and all queries asked so far.
    public var done: Int
    public var total: Int
    /// Outcomes that are answers, and failures (timeouts, refusals, the deadline).
    public var answered: Int
    public var failed: Int
}

/// One question for one server.
public struct Query: Hashable, Sendable {
    public var question: Question
    public var server: ServerAddress

    public init(_ question: Question, to server: ServerAddress) {
        self.question = question
        self.server = server
    }
}

/// Sends many queries at once and waits for all of them: one thread, `poll()` over a small
/// pool of UDP sockets per server (and one TCP connection per truncated answer). Packets are
/// built, sent, read and parsed by ldns. A reply is believed only when its source, ID, QR bit
/// and question match the query; anything else is set aside and the query keeps waiting, so a
/// forged or stray packet can delay an answer but never replace it.
public final class QueryEngine {
    public let options: QueryOptions
    /// UDP sockets per server: enough to spread IDs, few enough to poll cheaply.
    static let socketsPerServer = 8

    public init(options: QueryOptions) {
        self.options = options
    }

    private final class Flight {
        let query: Query
        let attempt: Int
        let tcp: Bool
        let edns: Bool
        let id: UInt16
        let fd: Int32
        let started: Double
        let deadline: Double
        /// Why the replies seen so far were not believed, for the failure message.
        var problem: String?
        /// TCP: the bytes of the reply read so far (2-byte length, then the message).
        var received: [UInt8] = []

        init(query: Query, attempt: Int, tcp: Bool, edns: Bool, id: UInt16, fd: Int32, started: Double, deadline: Double,
             problem: String?) {
            self.query = query
            self.attempt = attempt
            self.tcp = tcp
            self.edns = edns
            self.id = id
            self.fd = fd
            self.started = started
            self.deadline = deadline
            self.problem = problem
        }
    }

    private var udpFlights: [Int32: [UInt16: Flight]] = [:]
    private var tcpFlights: [Int32: Flight] = [:]
    private var active: Set<Query> = []
    private var pools: [ServerAddress: [Int32]] = [:]
    private var socketServer: [Int32: ServerAddress] = [:]
    /// Replies on a socket that no query could be found for (garbage, wrong ID, wrong source):
    /// a query on that socket that times out says so.
    private var socketProblem: [Int32: (time: Double, reason: String)] = [:]
    private var nextSocket = 0
    private var results: [Query: QueryOutcome] = [:]
    /// Servers that let a query time out before answering anything: later queries to them fail
    /// at once, so a dead server costs one timeout, not one per record.
    private var deadServers: [ServerAddress: String] = [:]
    /// Servers that have answered something: a later timeout means loss or rate limiting, not death.
    private var answered: Set<ServerAddress> = []
    /// Servers that answered FORMERR or NOTIMP to EDNS: asked without it from then on.
    private var withoutEDNS: Set<ServerAddress> = []
    /// Per server: how many queries may be in flight (halved on a timeout after answers, grown
    /// by 1/window per answer, as TCP's congestion window), and how many are.
    private var windows: [ServerAddress: Double] = [:]
    private var inFlight: [ServerAddress: Int] = [:]
    /// Per server, the queries and retries waiting to be sent, first in first out.
    private struct Waiting {
        var query: Query
        var attempt: Int
        var tcp: Bool
        var problem: String?
        var notBefore: Double
    }
    private var queues: [ServerAddress: (items: [Waiting], head: Int)] = [:]
    /// Per server, retries: sent before new queries, so that a dead server is known to be dead
    /// before more queries go to it.
    private var retries: [ServerAddress: [Waiting]] = [:]
    private var serverOrder: [ServerAddress] = []
    /// When the `--qps` cap lets the next query go; and when waiting work can next start.
    private var nextSend = 0.0
    private var nextWake = Double.infinity
    /// Tries a timed-out query gets beyond `retries` when its server has answered other queries.
    static let extraTriesWhenPaced = 3
    /// Why the engine stopped before every query had its answer (Ctrl-C, the deadline).
    public private(set) var stopped: String?

    /// Outcomes and queries of earlier runs, for the progress report; when it was last given.
    private var earlier = QueryProgress(done: 0, total: 0, answered: 0, failed: 0)
    private var lastProgress = 0.0

    /// Tells `onProgress` where the queries are; at most ten times a second unless `final`.
    private func reportProgress(total: Int, final: Bool = false) {
        guard let onProgress = options.onProgress else { return }
        let now = SocketAddress.now()
        guard final || now - lastProgress >= 0.1 else { return }
        lastProgress = now
        var p = earlier
        p.total += total
        for outcome in results.values {
            p.done += 1
            if case .answer = outcome { p.answered += 1 } else { p.failed += 1 }
        }
        onProgress(p)
        if final { earlier = p }
    }

    /// Every query's outcome. Duplicates are asked once.
    public func run(_ queries: [Query]) -> [Query: QueryOutcome] {
        let total = Set(queries).count
        defer { reportProgress(total: total, final: true) }
        results = [:]
        deadServers = [:]
        answered = []
        windows = [:]
        inFlight = [:]
        queues = [:]
        retries = [:]
        serverOrder = []
        defer { closeAll() }
        for query in queries {
            if queues[query.server] == nil {
                serverOrder.append(query.server)
                queues[query.server] = ([], 0)
                windows[query.server] = Double(max(1, options.concurrency))
            }
            queues[query.server]!.items.append(Waiting(query: query, attempt: 1, tcp: options.tcpOnly, problem: nil,
                                                       notBefore: 0))
        }
        while !active.isEmpty || queues.values.contains(where: { $0.head < $0.items.count })
                || retries.values.contains(where: { !$0.isEmpty }) {
            if let stopped {
                let waiting = queues.values.flatMap { $0.items[$0.head...] } + retries.values.joined()
                for item in waiting where results[item.query] == nil { results[item.query] = .failed(stopped) }
                for flight in udpFlights.values.flatMap(\.values) + tcpFlights.values {
                    results[flight.query] = .failed(stopped)
                }
                break
            }
            startReady()
            wait()
            reportProgress(total: total)
        }
        return results
    }

    /// Starts what the windows, the total concurrency and `--qps` allow, server by server:
    /// retries first, then new queries.
    private func startReady() {
        let now = SocketAddress.now()
        nextWake = .infinity
        for server in serverOrder {
            // Retries wait for their back-off; the earliest due goes first.
            if var due = retries[server], !due.isEmpty {
                due.sort { $0.notBefore < $1.notBefore }
                var sent = 0
                for item in due {
                    if let why = deadServers[server] {
                        results[item.query] = .failed(why)
                    } else if !canSend(to: server, notBefore: item.notBefore, now: now) {
                        break
                    } else {
                        start(item.query, attempt: item.attempt, tcp: item.tcp, problem: item.problem)
                    }
                    sent += 1
                }
                retries[server] = Array(due.dropFirst(sent))
                if !(retries[server]?.isEmpty ?? true) { continue }  // new queries wait behind retries
            }
            guard var queue = queues[server] else { continue }
            defer { queues[server] = queue }
            while queue.head < queue.items.count {
                let item = queue.items[queue.head]
                if results[item.query] != nil || active.contains(item.query) {
                    queue.head += 1  // a duplicate
                    continue
                }
                if let why = deadServers[server] {
                    queue.head += 1
                    results[item.query] = .failed(why)
                    continue
                }
                guard canSend(to: server, notBefore: 0, now: now) else { break }
                queue.head += 1
                start(item.query, attempt: item.attempt, tcp: item.tcp, problem: item.problem)
            }
        }
    }

    /// Whether one more query may go to `server` now (total concurrency, the server's window,
    /// the back-off, `--qps`); counts it against `--qps` when it may. Notes when to look again.
    private func canSend(to server: ServerAddress, notBefore: Double, now: Double) -> Bool {
        guard active.count < max(1, options.concurrency), inFlight[server, default: 0] < Int(windows[server] ?? 1) else {
            return false  // an answer or a timeout frees a place
        }
        let ready = max(notBefore, options.qps > 0 ? nextSend : 0)
        if ready > now {
            nextWake = min(nextWake, ready)
            return false
        }
        if options.qps > 0 { nextSend = max(nextSend, now) + 1 / options.qps }
        return true
    }

    /// Puts a retry in its server's retry list, due after `delay`.
    private func enqueue(_ query: Query, attempt: Int, tcp: Bool, problem: String?, after delay: Double) {
        retries[query.server, default: []].append(
            Waiting(query: query, attempt: attempt, tcp: tcp, problem: problem, notBefore: SocketAddress.now() + delay))
    }

    // MARK: sending

    private func start(_ query: Query, attempt: Int, tcp: Bool, problem: String?) {
        var (storage, length) = SocketAddress.storage(for: query.server)
        let tv = timeval(tv_sec: Int(options.timeout), tv_usec: Int((options.timeout - options.timeout.rounded(.down)) * 1e6))
        let fd: Int32
        var id = UInt16.random(in: 0...UInt16.max)
        let edns = !withoutEDNS.contains(query.server)
        if tcp {
            guard let wire = Self.queryWire(query.question, id: id, options: options, edns: edns) else { return unbuildable(query) }
            defer { ldns_buffer_free(wire) }
            fd = ldns_tcp_bgsend2(wire, &storage, length, tv)
            guard fd >= 0 else {
                return finishAttempt(query, attempt: attempt, tcp: true,
                                     problem: "cannot connect over TCP (\(String(cString: strerror(errno))))")
            }
            // Read without blocking, as bytes arrive: a server that trickles its answer byte by
            // byte must not hold the engine, or the check, past the query's deadline.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        } else {
            guard let socket = udpSocket(for: query.server, storage: storage) else {
                return finishAttempt(query, attempt: attempt, tcp: false,
                                     problem: "cannot open a UDP socket (\(String(cString: strerror(errno))))")
            }
            fd = socket
            while udpFlights[fd]?[id] != nil { id = UInt16.random(in: 0...UInt16.max) }
            guard let wire = Self.queryWire(query.question, id: id, options: options, edns: edns) else { return unbuildable(query) }
            defer { ldns_buffer_free(wire) }
            guard ldns_udp_send_query(wire, fd, &storage, length) >= 0 else {
                return finishAttempt(query, attempt: attempt, tcp: false,
                                     problem: "cannot send over UDP (\(String(cString: strerror(errno))))")
            }
        }
        let now = SocketAddress.now()
        let flight = Flight(query: query, attempt: attempt, tcp: tcp, edns: edns, id: id, fd: fd, started: now,
                            deadline: now + options.timeout, problem: problem)
        active.insert(query)
        inFlight[query.server, default: 0] += 1
        if tcp { tcpFlights[fd] = flight } else { udpFlights[fd, default: [:]][id] = flight }
    }

    private func unbuildable(_ query: Query) {
        results[query] = .failed("cannot build a query for \(query.question)")
    }

    /// The next socket of the server's pool, opened (non-blocking) on first use.
    private func udpSocket(for server: ServerAddress, storage: sockaddr_storage) -> Int32? {
        var pool = pools[server, default: []]
        if pool.count < Self.socketsPerServer {
            var storage = storage
            // ldns_udp_connect only opens the socket (it returns 0 on failure); it stays unconnected.
            let fd = ldns_udp_connect(&storage, timeval(tv_sec: 0, tv_usec: 0))
            guard fd > 0 else { return pool.isEmpty ? nil : pool[0] }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            pool.append(fd)
            pools[server] = pool
            socketServer[fd] = server
            return fd
        }
        nextSocket += 1
        return pool[nextSocket % pool.count]
    }

    static func queryWire(_ question: Question, id: UInt16, options: QueryOptions,
                          edns: Bool = true) -> UnsafeMutablePointer<ldns_buffer>? {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let type = ldns_get_rr_type_by_name(question.type)
        let flags = UInt16(options.recursionDesired ? LDNS_RD : 0)
        guard ldns_pkt_query_new_frm_str(&packet, question.name, type, LDNS_RR_CLASS_IN, flags) == LDNS_STATUS_OK,
              let packet else { return nil }
        let owned = OwnedPacket(packet)
        ldns_pkt_set_id(owned.pointer, id)
        if edns { ldns_pkt_set_edns_udp_size(owned.pointer, options.ednsBufferSize) }
        guard let buffer = ldns_buffer_new(512) else { return nil }
        guard ldns_pkt2buffer_wire(buffer, owned.pointer) == LDNS_STATUS_OK else {
            ldns_buffer_free(buffer)
            return nil
        }
        return buffer
    }

    // MARK: receiving

    private func wait() {
        let busy = udpFlights.filter { !$0.value.isEmpty }.map(\.key) + tcpFlights.keys
        guard !busy.isEmpty || nextWake.isFinite else { return }
        var fds = busy.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if let interrupt = options.interruptFD { fds.append(pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)) }
        let flights = (udpFlights.values.flatMap(\.values) + tcpFlights.values).map(\.deadline).min() ?? .infinity
        let earliest = min(options.deadline, flights, nextWake)
        let milliseconds = Int32(max(0, min(1_000_000, (earliest - SocketAddress.now()) * 1000)).rounded(.up))
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        if options.interruptFD != nil, fds.last!.revents != 0 {
            stopped = "the check was interrupted before an answer came"
            return
        }
        if SocketAddress.now() >= options.deadline {
            stopped = "the check's deadline (--deadline) passed before an answer came"
            return
        }
        for entry in fds where entry.revents != 0 {
            if let flight = tcpFlights[entry.fd] {
                receiveTCP(flight)
            } else {
                drainUDP(entry.fd)
            }
        }
        expire(now: SocketAddress.now())
    }

    private func expire(now: Double) {
        let late = (udpFlights.values.flatMap(\.values) + tcpFlights.values).filter { $0.deadline <= now }
        for flight in late {
            remove(flight)
            var ignored = flight.problem
            if ignored == nil, let seen = socketProblem[flight.fd], seen.time >= flight.started { ignored = seen.reason }
            let why = "no answer within \(Self.seconds(options.timeout))\(flight.tcp ? " over TCP" : "")"
            finishAttempt(flight.query, attempt: flight.attempt, tcp: flight.tcp, problem: why, ignored: ignored,
                          timedOut: true)
        }
    }

    /// Reads every datagram waiting on a pool socket.
    private func drainUDP(_ fd: Int32) {
        while true {
            var size = 0
            var from = sockaddr_storage()
            var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            guard let bytes = ldns_udp_read_wire(fd, &size, &from, &fromLength) else { return }
            defer { free(bytes) }
            let id = size >= 2 ? UInt16(bytes[0]) << 8 | UInt16(bytes[1]) : nil
            let flight = id.flatMap { udpFlights[fd]?[$0] }
            if let server = socketServer[fd], SocketAddress.server(from: from) != server {
                let source = SocketAddress.server(from: from)?.description ?? "an unknown address"
                note("ignored a reply from \(source), which was not asked", flight: flight, fd: fd)
                continue
            }
            guard let flight else {
                var parsed: UnsafeMutablePointer<ldns_pkt>?
                let status = ldns_wire2pkt(&parsed, bytes, size)
                if let parsed { ldns_pkt_free(parsed) }
                note(status == LDNS_STATUS_OK ? "ignored a reply with the wrong ID"
                        : "ignored a malformed reply (\(String(cString: ldns_get_errorstr_by_id(status))))",
                     flight: nil, fd: fd)
                continue
            }
            settle(flight, Reply.read(UnsafeRawBufferPointer(start: bytes, count: size), id: flight.id,
                                      question: flight.query.question, overTCP: flight.tcp, withEDNS: flight.edns))
        }
    }

    private func note(_ reason: String, flight: Flight?, fd: Int32) {
        if let flight { flight.problem = reason } else { socketProblem[fd] = (SocketAddress.now(), reason) }
    }

    /// Reads what has arrived of a TCP reply: the 2-byte length (RFC 1035 §4.2.2), then the
    /// message, which ldns parses once it is complete. Only framing is done here.
    private func receiveTCP(_ flight: Flight) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let wanted = flight.received.count < 2 ? 2 : 2 + (Int(flight.received[0]) << 8 | Int(flight.received[1]))
            if flight.received.count >= 2 && flight.received.count == wanted { break }
            let n = chunk.withUnsafeMutableBytes { recv(flight.fd, $0.baseAddress, min($0.count, wanted - flight.received.count), 0) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
            guard n > 0 else {
                remove(flight)
                finishAttempt(flight.query, attempt: flight.attempt, tcp: true,
                              problem: "the TCP connection closed without a complete answer", ignored: flight.problem)
                return
            }
            flight.received.append(contentsOf: chunk[..<n])
        }
        let size = flight.received.count - 2
        flight.received.withUnsafeMutableBufferPointer { all in
            settle(flight, Reply.read(UnsafeRawBufferPointer(start: all.baseAddress! + 2, count: size), id: flight.id,
                                      question: flight.query.question, overTCP: flight.tcp, withEDNS: flight.edns))
        }
    }

    private func settle(_ flight: Flight, _ verdict: Reply.Verdict) {
        switch verdict {
        case .ignore(let why):
            flight.problem = why
            if flight.tcp {  // a TCP connection carries one answer: it was not the right one
                remove(flight)
                finishAttempt(flight.query, attempt: flight.attempt, tcp: true, problem: why)
            }
        case .truncated:
            remove(flight)
            heard(from: flight.query.server)
            start(flight.query, attempt: flight.attempt, tcp: true, problem: flight.problem)
        case .retryWithoutEDNS:
            remove(flight)
            heard(from: flight.query.server)
            withoutEDNS.insert(flight.query.server)
            start(flight.query, attempt: flight.attempt, tcp: flight.tcp, problem: flight.problem)
        case .outcome(let outcome):
            remove(flight)
            heard(from: flight.query.server)
            results[flight.query] = outcome
        }
    }

    /// The server answered: it is alive, and its window may grow again.
    private func heard(from server: ServerAddress) {
        answered.insert(server)
        let window = windows[server] ?? 1
        windows[server] = min(Double(max(1, options.concurrency)), window + 1 / window)
    }

    // MARK: bookkeeping

    private func remove(_ flight: Flight) {
        active.remove(flight.query)
        inFlight[flight.query.server, default: 1] -= 1
        if flight.tcp {
            Glibc.close(flight.fd)
            tcpFlights[flight.fd] = nil
        } else {
            udpFlights[flight.fd]?[flight.id] = nil
        }
    }

    private func closeAll() {
        for fd in tcpFlights.keys { Glibc.close(fd) }
        for pool in pools.values { for fd in pool { Glibc.close(fd) } }
        tcpFlights = [:]
        udpFlights = [:]
        pools = [:]
        socketServer = [:]
        socketProblem = [:]
        active = []
    }

    /// An attempt failed: try again while tries are left, else record the failure.
    /// `ignored` says why replies that did arrive were not believed; it is kept across tries.
    /// A timeout from a server that has answered other queries halves its window and backs off
    /// (it is pacing us, or lost a packet); one from a server that never answered marks it dead.
    private func finishAttempt(_ query: Query, attempt: Int, tcp: Bool, problem: String, ignored: String? = nil,
                               timedOut: Bool = false) {
        let server = query.server
        let alive = answered.contains(server)
        var tries = options.retries + 1
        var delay = 0.0
        if timedOut && alive {
            windows[server] = max(1, (windows[server] ?? 1) / 2)
            tries += Self.extraTriesWhenPaced
            delay = min(options.timeout, 0.1 * Double(1 << min(attempt - 1, 10)))
        }
        if attempt < tries && deadServers[server] == nil {
            enqueue(query, attempt: attempt + 1, tcp: tcp, problem: ignored, after: delay)
            return
        }
        let count = attempt == 1 ? "1 try" : "\(attempt) tries"
        let detail = ignored.map { "; \($0)" } ?? ""
        let pacing = timedOut && alive
            ? "; \(server) answered other queries, so it is probably limiting the rate of queries" : ""
        results[query] = .failed("\(problem)\(detail) (\(count) to \(server))\(pacing)")
        if timedOut && !alive {
            deadServers[server] = "skipped: \(server) did not answer earlier queries within \(Self.seconds(options.timeout))"
        }
    }

    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
