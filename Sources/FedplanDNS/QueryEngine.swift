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
    /// Set DO with EDNS (RFC 3225), so that a signed zone's answers carry their signatures:
    /// their Labels field tells records synthesized from a wildcard (`WildcardSignature`).
    public var dnssecOK = true
    /// The whole check ends by this time (`QueryOptions.now()`, seconds): queries still waiting
    /// then fail, so no server, however slow or hostile, can hold a check longer.
    public var deadline: Double = .infinity
    /// A descriptor that becomes readable when the user asks to stop (Ctrl-C): queries still
    /// waiting fail at once and the engine returns what it has.
    public var interruptFD: Int32?
    /// Told how the queries are going, at most ten times a second (the progress line).
    public var onProgress: (@Sendable (QueryProgress) -> Void)?
    /// `-4` / `-6`: only name servers of this IP version are asked when they are found from
    /// an answer (`--authoritative`); nil: both. (The resolvers given are chosen by the caller.)
    public var ipVersion: IPAddress.Version?
    /// `--debug`: told one line, as kdig shows it, for each query sent and each reply, timeout
    /// or failure (`QueryDebug`). Nil, the lines are never built.
    public var onDebug: (@Sendable (String) -> Void)?
    /// The process ends once the check is reported: what it no longer needs is kept, not freed
    /// (`Leftovers`).
    public var processEndsAfter = false
    /// DNSSEC validation (docs/dnssec.md); nil with `--no-dnssec`. Authoritative answers are
    /// verified against its keys; a resolver's SERVFAIL is asked once more with CD set, and
    /// an answer then is DNSSEC-bogus data, not a server failure.
    public var trustChain: TrustChain?

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
    /// Seconds spent asking (inside `run`), over all runs: the query phase of `--timings`.
    public var seconds: Double = 0
    /// Lookups with an outcome: queries whose answers only guide the check (wildcard probes,
    /// name servers and their addresses, SOA serials) and are not counted above. The report
    /// states every failure counted in `failed` (docs/security.md, "What fedplan asks").
    public var lookups: Int = 0

    public init(done: Int = 0, total: Int = 0, answered: Int = 0, failed: Int = 0) {
        self.done = done
        self.total = total
        self.answered = answered
        self.failed = failed
    }
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
/// built and parsed by ldns. A reply is believed only when its source, ID, QR bit and question
/// match the query; anything else is set aside and the query keeps waiting, so a forged or
/// stray packet can delay an answer but never replace it.
///
/// Inside a run, queries and servers are numbered and their state lives in arrays: at 100,000
/// queries a second, hashing names and addresses for every step was most of the time spent.
public final class QueryEngine {
    // Exclusivity: the engine's state is marked `@exclusivity(unchecked)`. Swift checks every
    // access to a class's stored property at run time (is another access to it under way?),
    // and at 20,000 queries those checks were 60 million instructions, 6% of a whole check.
    // The engine runs on one thread, its state is reached only through its own methods, and
    // none of them holds an access across a call that could reach the same property again
    // (`withName` only reads `names`), so the check can never fire.
    /// Changed between runs when one engine asks resolvers and authoritative servers
    /// (`recursionDesired`), so that its progress covers the whole check.
    @exclusivity(unchecked) public var options: QueryOptions
    /// UDP sockets per server: enough to spread IDs, few enough to poll cheaply.
    static let socketsPerServer = 8
    /// Queries sent in a row on one socket of the pool (`udpSocket(for:)`).
    static let queriesPerTurn = 16
    /// Tries a timed-out query gets beyond `retries` when its server has answered other queries.
    static let extraTriesWhenPaced = 3
    /// Why the engine stopped before every query had its answer (Ctrl-C, the deadline).
    @exclusivity(unchecked) public private(set) var stopped: String?

    /// Servers that answered FORMERR or NOTIMP to EDNS: asked without it from then on, in
    /// later runs too.
    @exclusivity(unchecked) private var withoutEDNS: Set<ServerAddress> = []
    /// Servers found dead (`ServerState.dead`), with why: in later runs their queries fail at
    /// once too. A check asks in rounds (the planned records, then the SRV targets' addresses):
    /// a resolver dead in the first round cost a whole timeout again in the next (the AAAA of
    /// a planned target, asked after its A had timed out).
    @exclusivity(unchecked) private var deadServers: [ServerAddress: String] = [:]
    @exclusivity(unchecked) private var ids = QueryIDs()
    /// UDP queries written and waiting for `flush`, and replies read together (`Datagrams`).
    private let outbox = Outbox()
    private let inbox = Inbox()

    public init(options: QueryOptions) {
        self.options = options
    }

    // MARK: one run's state

    /// A query or retry waiting to be sent.
    struct Waiting {
        var query: Int
        var attempt: Int
        var tcp: Bool
        var problem: String?
        var notBefore: Double
        var checkingDisabled: Checked? = nil
    }

    /// A query asked again with CD set after a SERVFAIL: what the SERVFAIL said.
    struct Checked {
        var why: String
        var errors: [ExtendedDNSError]
    }

    /// Per server: its pacing, its sockets and its queue.
    struct ServerState {
        let address: ServerAddress
        let storage: sockaddr_storage
        let length: socklen_t
        var sockets: [Int32] = []
        var nextSocket = 0
        /// How many queries may be in flight (halved on a timeout after answers, grown by
        /// 1/window per answer, as TCP's congestion window), and how many are.
        var window: Double
        var inFlight = 0
        /// It has answered something: a later timeout means loss or rate limiting, not death.
        var answered = false
        /// It let a query time out before answering anything: later queries fail at once, in
        /// this run and the later ones (`deadServers`), so a dead server costs one timeout, not
        /// one per record or per round.
        var dead: String?
        var edns: Bool
        /// New queries, first in first out, and retries, which go first (so that a dead
        /// server is known to be dead before more queries go to it).
        var queue: [Int] = []
        var head = 0
        var retries: [Waiting] = []
    }

    @exclusivity(unchecked) private var queries: [Query] = []
    @exclusivity(unchecked) private var queryServer: [Int] = []
    /// Each query's name in wire form (`QueryWire.appendName`), encoded at its first try and
    /// kept for its retries and for comparing with the question a reply echoes (`Reply.read`):
    /// it starts at `nameAt[q]` in `names` (-1: not encoded yet) and is `nameLength[q]` long.
    @exclusivity(unchecked) private var names: [UInt8] = []
    @exclusivity(unchecked) private var nameAt: [Int32] = []
    @exclusivity(unchecked) private var nameLength: [UInt8] = []
    @exclusivity(unchecked) private var outcomes: [QueryOutcome?] = []
    @exclusivity(unchecked) private var pending = 0
    @exclusivity(unchecked) private var servers: [ServerState] = []
    @exclusivity(unchecked) private var flights = FlightTable()
    /// UDP socket → its server's number.
    @exclusivity(unchecked) private var socketServer: [Int32: Int] = [:]
    /// Replies on a socket that no query could be found for (garbage, wrong ID, wrong source):
    /// a query on that socket that times out says so.
    @exclusivity(unchecked) private var socketProblem: [Int32: (time: Double, reason: String)] = [:]
    /// When the `--qps` cap lets the next query go; and when waiting work can next start.
    @exclusivity(unchecked) private var nextSend = 0.0
    @exclusivity(unchecked) private var nextWake = Double.infinity

    /// Outcomes and queries of earlier runs, for the progress report; when it was last given.
    @exclusivity(unchecked) private var progress = QueryProgress()
    /// The run under way asks lookups.
    @exclusivity(unchecked) private var countingLookups = false
    @exclusivity(unchecked) private var lastProgress = 0.0
    @exclusivity(unchecked) private var runStarted = 0.0

    /// Every query's outcome. Duplicates are asked once. `lookups`: these queries only guide
    /// the check (`QueryProgress.lookups`).
    public func run(_ list: [Query], lookups: Bool = false) -> [Query: QueryOutcome] {
        // Nothing to ask (a check whose SRV targets are all planned): the last run's outcomes
        // stay where they are instead of being freed now (1.5 ms for 20,000 answers).
        guard !list.isEmpty else { return [:] }
        countingLookups = lookups
        defer { countingLookups = false }
        execute(list, distinct: false)
        return Dictionary(uniqueKeysWithValues: zip(queries, outcomes.map { $0 ?? .failed("not asked") }))
    }

    /// Every query's outcome, in the order of `list`, whose queries are distinct (a check's
    /// questions are): 20,000 queries are not hashed into a set and a dictionary on the way.
    public func run(distinct list: [Query]) -> [QueryOutcome] {
        guard !list.isEmpty else { return [] }
        execute(list, distinct: true)
        return outcomes.map { $0 ?? .failed("not asked") }
    }

    private func execute(_ list: [Query], distinct: Bool) {
        runStarted = SocketAddress.now()
        number(list, distinct: distinct)
        let before = progress
        if !countingLookups { progress.total += queries.count }
        defer {
            progress.seconds = before.seconds + SocketAddress.now() - runStarted
            options.onProgress?(progress)
        }
        while pending > 0 {
            if let stopped {
                if let debug = options.onDebug {
                    let left = outcomes.lazy.filter { $0 == nil }.count
                    debug(";; stopped: \(stopped); \(left) quer\(left == 1 ? "y" : "ies") left unanswered")
                }
                for q in queries.indices where outcomes[q] == nil { conclude(q, .failed(stopped)) }
                break
            }
            startReady()
            if pending == 0 { break }
            wait()
            reportProgress()
        }
        closeAll()
    }

    /// Numbers the distinct queries and their servers, and queues each query at its server.
    private func number(_ list: [Query], distinct: Bool) {
        var seen = Set<Query>(minimumCapacity: distinct ? 0 : list.count)
        queries = []
        queries.reserveCapacity(list.count)
        queryServer = []
        queryServer.reserveCapacity(list.count)
        servers = []
        var serverNumber: [ServerAddress: Int] = [:]
        var last: (address: ServerAddress, number: Int)?
        for query in list where distinct || seen.insert(query).inserted {
            let s: Int
            if let last, last.address == query.server {
                s = last.number
            } else if let known = serverNumber[query.server] {
                s = known
            } else {
                s = servers.count
                serverNumber[query.server] = s
                let (storage, length) = SocketAddress.storage(for: query.server)
                servers.append(ServerState(address: query.server, storage: storage, length: length,
                                           window: Double(max(1, options.concurrency)),
                                           dead: deadServers[query.server], edns: !withoutEDNS.contains(query.server)))
            }
            last = (query.server, s)
            servers[s].queue.append(queries.count)
            queryServer.append(s)
            queries.append(query)
        }
        outcomes = Array(repeating: nil, count: queries.count)
        pending = queries.count
        names = []
        names.reserveCapacity(queries.count * 40)
        nameAt = Array(repeating: -1, count: queries.count)
        nameLength = Array(repeating: 0, count: queries.count)
        flights = FlightTable()
        nextSend = 0
    }

    /// Records a query's outcome (the first one counts).
    private func conclude(_ q: Int, _ outcome: QueryOutcome) {
        guard outcomes[q] == nil else { return }
        outcomes[q] = outcome
        pending -= 1
        if countingLookups {
            progress.lookups += 1
            return
        }
        progress.done += 1
        if case .answer = outcome { progress.answered += 1 } else { progress.failed += 1 }
    }

    /// Tells `onProgress` where the queries are, at most ten times a second.
    private func reportProgress() {
        guard let onProgress = options.onProgress else { return }
        let now = SocketAddress.now()
        guard now - lastProgress >= 0.1 else { return }
        lastProgress = now
        onProgress(progress)
    }

    // MARK: scheduling

    /// Starts what the windows, the total concurrency and `--qps` allow, server by server:
    /// retries first, then new queries.
    private func startReady() {
        let now = SocketAddress.now()
        nextWake = .infinity
        for s in servers.indices {
            if !servers[s].retries.isEmpty {
                // Retries wait for their back-off; the earliest due goes first. They are taken out
                // while they start: a try that fails at once (a TCP connection refused) queues its
                // next try here, which the ones put back below must not overwrite (a lost try
                // left its query waiting for ever, and the engine deaf to Ctrl-C).
                let due = servers[s].retries.sorted { $0.notBefore < $1.notBefore }
                servers[s].retries = []
                var sent = 0
                for item in due {
                    if let why = servers[s].dead {
                        options.onDebug?(QueryDebug.skipped(queries[item.query].question, at: servers[s].address, why: why))
                        conclude(item.query, .failed(why))
                    } else if !canSend(to: s, notBefore: item.notBefore, now: now) {
                        break
                    } else {
                        start(item.query, attempt: item.attempt, tcp: item.tcp, problem: item.problem,
                              checkingDisabled: item.checkingDisabled)
                    }
                    sent += 1
                }
                servers[s].retries = Array(due.dropFirst(sent)) + servers[s].retries
                if !servers[s].retries.isEmpty { continue }  // new queries wait behind retries
            }
            while servers[s].head < servers[s].queue.count {
                let q = servers[s].queue[servers[s].head]
                if let why = servers[s].dead {
                    servers[s].head += 1
                    options.onDebug?(QueryDebug.skipped(queries[q].question, at: servers[s].address, why: why))
                    conclude(q, .failed(why))
                    continue
                }
                guard canSend(to: s, notBefore: 0, now: now) else { break }
                servers[s].head += 1
                start(q, attempt: 1, tcp: options.tcpOnly, problem: nil)
            }
        }
    }

    /// Whether one more query may go to server `s` now (total concurrency, the server's window,
    /// the back-off, `--qps`); counts it against `--qps` when it may. Notes when to look again.
    private func canSend(to s: Int, notBefore: Double, now: Double) -> Bool {
        guard flights.count < max(1, options.concurrency), servers[s].inFlight < Int(servers[s].window) else {
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

    // MARK: sending

    private func start(_ q: Int, attempt: Int, tcp: Bool, problem: String?, checkingDisabled: Checked? = nil) {
        let s = queryServer[q]
        let question = queries[q].question
        let edns = servers[s].edns
        let cd = checkingDisabled != nil
        var id = ids.next()
        guard encodeName(q), let template = template(question.type, edns: edns, cd: cd) else { return unbuildable(q) }
        if tcp {
            var storage = servers[s].storage
            guard let wire = ldns_buffer_new(QueryWire.maxSize) else { return unbuildable(q) }
            defer { ldns_buffer_free(wire) }
            guard let length = withName(q, { QueryWire.write(name: $0, template: template, id: id,
                                                             to: ldns_buffer_begin(wire)) }) else { return unbuildable(q) }
            ldns_buffer_skip(wire, length)
            let timeout = options.timeout
            let tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
            let fd = ldns_tcp_bgsend2(wire, &storage, servers[s].length, tv)
            guard fd >= 0 else {
                return finishAttempt(q, attempt: attempt, tcp: true,
                                     problem: "cannot connect over TCP (\(String(cString: strerror(errno))))",
                                     checkingDisabled: checkingDisabled)
            }
            // Read without blocking, as bytes arrive: a server that trickles its answer byte by
            // byte must not hold the engine, or the check, past the query's deadline.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let now = SocketAddress.now()
            options.onDebug?(QueryDebug.sent(question, to: servers[s].address, tcp: true, id: id, edns: edns,
                                             attempt: attempt, options: options, cd: cd))
            flights.add(Flight(query: q, attempt: attempt, tcp: true, edns: edns, id: id, fd: fd, started: now,
                               deadline: now + options.timeout, problem: problem, checkingDisabled: checkingDisabled))
            servers[s].inFlight += 1
            return
        }
        guard let fd = udpSocket(for: s) else {
            return finishAttempt(q, attempt: attempt, tcp: false,
                                 problem: "cannot open a UDP socket (\(String(cString: strerror(errno))))",
                                 checkingDisabled: checkingDisabled)
        }
        while flights.udp(fd: fd, id: id) != nil { id = ids.next() }
        if outbox.isFull { flush() }
        guard let length = withName(q, { QueryWire.write(name: $0, template: template, id: id, to: outbox.nextWire) })
        else { return unbuildable(q) }
        // In flight from now: its place counts against the windows, and its ID on this socket is
        // taken. It goes out with the rest of this pass (`flush`), before the engine waits.
        let now = SocketAddress.now()
        let slot = flights.add(Flight(query: q, attempt: attempt, tcp: false, edns: edns, id: id, fd: fd, started: now,
                                      deadline: now + options.timeout, problem: problem, checkingDisabled: checkingDisabled))
        servers[s].inFlight += 1
        outbox.add(length: length, fd: fd, destination: servers[s].storage, destinationLength: servers[s].length, slot: slot)
        // `--debug` shows each query as it goes, before anything else happens.
        if options.onDebug != nil { flush() }
    }

    /// Sends the UDP queries written since the last flush: one `sendmmsg` for each run of
    /// them on one socket.
    private func flush() {
        var k = 0
        while k < outbox.count {
            var end = k + 1
            while end < outbox.count && outbox.fds[end] == outbox.fds[k] { end += 1 }
            let sent = outbox.send(k..<end)
            if sent < 0 && errno == EINTR { continue }
            // A datagram the kernel refuses (-1, for the first of the run) stays in flight as if
            // sent and lost, and times out: exactly what a refused query did when each went out
            // with `ldns_udp_send_query`, which returns 0 (taken as sent), not -1, when sendto
            // fails. The rest of the run goes in the next call.
            let done = max(sent, 1)
            if let debug = options.onDebug {
                for slot in outbox.slots[k..<k + done] {
                    let flight = flights[slot]
                    debug(QueryDebug.sent(queries[flight.query].question, to: servers[queryServer[flight.query]].address,
                                          tcp: false, id: flight.id, edns: flight.edns, attempt: flight.attempt, options: options,
                                          cd: flight.checkingDisabled != nil))
                }
            }
            k += done
        }
        outbox.removeAll()
    }

    /// The query template for this type and the options (`QueryWire.Template`): the last one
    /// is kept, since a check asks its questions type by type (the shared table is behind a
    /// lock, and looking it up was a tenth of the cost of sending a query).
    @exclusivity(unchecked) private var lastTemplate: (key: QueryWire.Template.Key, bytes: [UInt8])?

    private func template(_ type: String, edns: Bool, cd: Bool) -> [UInt8]? {
        let number = QueryWire.type(type)
        let key = QueryWire.Template.key(number, options: options, edns: edns, cd: cd)
        if let last = lastTemplate, last.key == key { return last.bytes }
        guard let bytes = QueryWire.Template.shared.bytes(number, options: options, edns: edns, cd: cd) else { return nil }
        lastTemplate = (key, bytes)
        return bytes
    }

    /// Encodes query `q`'s name once (`names`); false when ldns cannot encode it.
    private func encodeName(_ q: Int) -> Bool {
        if nameAt[q] >= 0 { return true }
        let start = names.count
        guard QueryWire.appendName(queries[q].question.name, to: &names) else { return false }
        nameAt[q] = Int32(start)
        nameLength[q] = UInt8(names.count - start)
        return true
    }

    /// Query `q`'s name in wire form, as sent.
    private func withName<R>(_ q: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        names.withUnsafeBytes { all in
            let start = Int(nameAt[q])
            return body(UnsafeRawBufferPointer(rebasing: all[start..<start + Int(nameLength[q])]))
        }
    }

    private func unbuildable(_ q: Int) {
        conclude(q, .failed("cannot build a query for \(queries[q].question)"))
    }

    /// The socket of the server's pool whose turn it is, opened (non-blocking) on first use.
    /// Each takes `queriesPerTurn` queries in a row: runs long enough for one `sendmmsg` each
    /// (`flush`), while the pool still spreads the queries, and their IDs, over its ports.
    private func udpSocket(for s: Int) -> Int32? {
        let turn = servers[s].nextSocket / Self.queriesPerTurn % Self.socketsPerServer
        servers[s].nextSocket += 1
        if turn >= servers[s].sockets.count {
            var storage = servers[s].storage
            // ldns_udp_connect only opens the socket (it returns 0 on failure); it stays unconnected.
            let fd = ldns_udp_connect(&storage, timeval(tv_sec: 0, tv_usec: 0))
            guard fd > 0 else { return servers[s].sockets.first }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            servers[s].sockets.append(fd)
            socketServer[fd] = s
        }
        return servers[s].sockets[min(turn, servers[s].sockets.count - 1)]
    }

    // MARK: receiving

    private func wait() {
        flush()
        var fds: [pollfd] = []
        for server in servers where server.inFlight > 0 {
            for fd in server.sockets { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        }
        for fd in flights.tcpSockets { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        guard !fds.isEmpty || nextWake.isFinite else { return }
        if let interrupt = options.interruptFD { fds.append(pollfd(fd: interrupt, events: Int16(POLLIN), revents: 0)) }
        let earliest = min(options.deadline, flights.earliestDeadline(), nextWake)
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
            if let slot = flights.tcp(fd: entry.fd) {
                receiveTCP(slot)
            } else {
                drainUDP(entry.fd)
            }
        }
        expire(now: SocketAddress.now())
    }

    private func expire(now: Double) {
        while let slot = flights.firstExpired(now: now) {
            let flight = flights.remove(slot)
            closed(flight)
            var ignored = flight.problem
            if ignored == nil, let seen = socketProblem[flight.fd], seen.time >= flight.started { ignored = seen.reason }
            let why = "no answer within \(Self.seconds(options.timeout))\(flight.tcp ? " over TCP" : "")"
            finishAttempt(flight.query, attempt: flight.attempt, tcp: flight.tcp, problem: why, ignored: ignored,
                          timedOut: true, checkingDisabled: flight.checkingDisabled)
        }
    }

    /// Reads every datagram waiting on a pool socket, a batch at a time (`Inbox`).
    private func drainUDP(_ fd: Int32) {
        guard let s = socketServer[fd] else { return }
        while true {
            let received = inbox.receive(fd)
            guard received > 0 else { return }
            for k in 0..<received { take(inbox.datagram(k), from: inbox.source(k), fd: fd, server: s) }
            // Fewer than a full batch: nothing more was waiting (poll says when more comes).
            if received < Inbox.capacity { return }
        }
    }

    /// One datagram from a pool socket of server `s`: believed only when it answers a query
    /// sent on that socket (`Reply.read`).
    private func take(_ bytes: UnsafeRawBufferPointer, from: sockaddr_storage, fd: Int32, server s: Int) {
        let slot = bytes.count >= 2 ? flights.udp(fd: fd, id: UInt16(bytes[0]) << 8 | UInt16(bytes[1])) : nil
        guard SocketAddress.same(from, servers[s].storage) else {
            let source = SocketAddress.server(from: from)
            let why = "ignored a reply from \(source?.description ?? "an unknown address"), which was not asked"
            note(why, slot: slot, fd: fd)
            if let debug = options.onDebug, let source {
                debug(QueryDebug.reply(bytes, from: source, tcp: false, question: nil, seconds: nil, verdict: why))
            }
            return
        }
        guard let slot else {
            let why = Reply.isMalformed(bytes).map { "ignored a malformed reply (\($0))" } ?? "ignored a reply with the wrong ID"
            note(why, slot: nil, fd: fd)
            options.onDebug?(QueryDebug.reply(bytes, from: servers[s].address, tcp: false, question: nil, seconds: nil, verdict: why))
            return
        }
        let flight = flights[slot]
        let question = queries[flight.query].question
        let verdict = withName(flight.query) {
            Reply.read(bytes, id: flight.id, question: question, overTCP: false, withEDNS: flight.edns,
                       chain: options.trustChain, askedWire: $0)
        }
        if let debug = options.onDebug {
            debug(QueryDebug.reply(bytes, from: servers[s].address, tcp: false, question: question,
                                   seconds: SocketAddress.now() - flight.started, verdict: QueryDebug.verdict(verdict)))
        }
        settle(slot, verdict)
    }

    private func note(_ reason: String, slot: Int?, fd: Int32) {
        if let slot { flights[slot].problem = reason } else { socketProblem[fd] = (SocketAddress.now(), reason) }
    }

    /// Reads what has arrived of a TCP reply: the 2-byte length (RFC 1035 §4.2.2), then the
    /// message, which ldns parses once it is complete. Only framing is done here.
    private func receiveTCP(_ slot: Int) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let fd = flights[slot].fd
        while true {
            let received = flights[slot].received
            let wanted = received.count < 2 ? 2 : 2 + (Int(received[0]) << 8 | Int(received[1]))
            if received.count >= 2 && received.count == wanted { break }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, wanted - received.count), 0) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
            guard n > 0 else {
                let flight = flights.remove(slot)
                closed(flight)
                finishAttempt(flight.query, attempt: flight.attempt, tcp: true,
                              problem: "the TCP connection closed without a complete answer", ignored: flight.problem,
                              checkingDisabled: flight.checkingDisabled)
                return
            }
            flights[slot].received.append(contentsOf: chunk[..<n])
        }
        let flight = flights[slot]
        let verdict = flight.received.withUnsafeBytes { all in
            let bytes = UnsafeRawBufferPointer(rebasing: all[2...])
            let verdict = withName(flight.query) {
                Reply.read(bytes, id: flight.id, question: queries[flight.query].question, overTCP: true,
                           withEDNS: flight.edns, chain: options.trustChain, askedWire: $0)
            }
            if let debug = options.onDebug {
                debug(QueryDebug.reply(bytes, from: servers[queryServer[flight.query]].address, tcp: true,
                                       question: queries[flight.query].question,
                                       seconds: SocketAddress.now() - flight.started, verdict: QueryDebug.verdict(verdict)))
            }
            return verdict
        }
        settle(slot, verdict)
    }

    private func settle(_ slot: Int, _ verdict: Reply.Verdict) {
        if case .ignore(let why) = verdict {
            flights[slot].problem = why
            guard flights[slot].tcp else { return }  // a TCP connection carries one answer: it was not the right one
        }
        let flight = flights.remove(slot)
        closed(flight)
        let s = queryServer[flight.query]
        switch verdict {
        case .ignore(let why):
            finishAttempt(flight.query, attempt: flight.attempt, tcp: true, problem: why, checkingDisabled: flight.checkingDisabled)
        case .truncated:
            heard(from: s)
            start(flight.query, attempt: flight.attempt, tcp: true, problem: flight.problem, checkingDisabled: flight.checkingDisabled)
        case .retryWithoutEDNS:
            heard(from: s)
            servers[s].edns = false
            withoutEDNS.insert(servers[s].address)
            start(flight.query, attempt: flight.attempt, tcp: flight.tcp, problem: flight.problem,
                  checkingDisabled: flight.checkingDisabled)
        case .serverFailure(let why, let errors):
            heard(from: s)
            // A resolver that validates answers SERVFAIL for bogus data (RFC 4035 §5.5): asked
            // once more with CD set, it gives the data when that is the reason.
            if let first = flight.checkingDisabled {
                conclude(flight.query, .failed("\(first.why); asked again with CD set (checking disabled), it answered SERVFAIL too"))
            } else if options.trustChain != nil, options.recursionDesired, flight.edns, options.dnssecOK {
                start(flight.query, attempt: 1, tcp: flight.tcp, problem: nil, checkingDisabled: Checked(why: why, errors: errors))
            } else {
                conclude(flight.query, .failed(why))
            }
        case .outcome(let outcome):
            heard(from: s)
            if let first = flight.checkingDisabled, case .answer(var answer) = outcome {
                answer.dnssec = DNSSECVerdict(status: .bogus, problem: first.errors.first.map { .resolverError(code: $0.code, text: $0.text) }
                    ?? .other("the resolver answers SERVFAIL, and gives the data when asked with CD set (checking disabled): its validation fails"))
                conclude(flight.query, .answer(answer))
            } else {
                conclude(flight.query, outcome)
            }
        }
    }

    /// The server answered: it is alive, and its window may grow again.
    private func heard(from s: Int) {
        servers[s].answered = true
        servers[s].window = min(Double(max(1, options.concurrency)), servers[s].window + 1 / servers[s].window)
    }

    // MARK: bookkeeping

    /// A flight has left the table: free its server's place, and close its TCP connection.
    private func closed(_ flight: Flight) {
        servers[queryServer[flight.query]].inFlight -= 1
        if flight.tcp { Glibc.close(flight.fd) }
    }

    private func closeAll() {
        for slot in flights.slots { if flights[slot].tcp { Glibc.close(flights[slot].fd) } }
        for server in servers { for fd in server.sockets { Glibc.close(fd) } }
        outbox.removeAll()  // a stopped run's queries not yet sent never go
        flights = FlightTable()
        socketServer = [:]
        socketProblem = [:]
    }

    /// An attempt failed: try again while tries are left, else record the failure.
    /// `ignored` says why replies that did arrive were not believed; it is kept across tries.
    /// A timeout from a server that has answered other queries halves its window and backs off
    /// (it is pacing us, or lost a packet); one from a server that never answered marks it dead.
    private func finishAttempt(_ q: Int, attempt: Int, tcp: Bool, problem: String, ignored: String? = nil,
                               timedOut: Bool = false, checkingDisabled: Checked? = nil) {
        let s = queryServer[q]
        let server = servers[s].address
        options.onDebug?(QueryDebug.failed(queries[q].question, at: server, tcp: tcp, problem: problem, attempt: attempt))
        let alive = servers[s].answered
        var tries = options.retries + 1
        var delay = 0.0
        if timedOut && alive {
            servers[s].window = max(1, servers[s].window / 2)
            tries += Self.extraTriesWhenPaced
            delay = min(options.timeout, 0.1 * Double(1 << min(attempt - 1, 10)))
        }
        if attempt < tries && servers[s].dead == nil {
            servers[s].retries.append(Waiting(query: q, attempt: attempt + 1, tcp: tcp, problem: ignored,
                                              notBefore: SocketAddress.now() + delay, checkingDisabled: checkingDisabled))
            return
        }
        if let first = checkingDisabled {
            // The CD query got nothing: the SERVFAIL is what is known.
            conclude(q, .failed("\(first.why); asked again with CD set (checking disabled): \(problem)"))
            return
        }
        let count = attempt == 1 ? "1 try" : "\(attempt) tries"
        let detail = ignored.map { "; \($0)" } ?? ""
        let pacing = timedOut && alive
            ? "; \(server) answered other queries, so it is probably limiting the rate of queries" : ""
        conclude(q, .failed("\(problem)\(detail) (\(count) to \(server))\(pacing)"))
        if timedOut && !alive {
            let why = "skipped: \(server) did not answer earlier queries within \(Self.seconds(options.timeout))"
            servers[s].dead = why
            deadServers[server] = why
        }
    }

    public static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
