import CLDNS
import FedplanCore
import Glibc

/// How queries are sent (spec §3 `dns check` options).
public struct QueryOptions: Sendable {
    /// Seconds to wait for one answer.
    public var timeout: Double = 2
    /// Further tries after a timeout.
    public var retries: Int = 1
    /// TCP only; otherwise UDP, and TCP when an answer is truncated.
    public var tcpOnly = false
    /// Queries in flight at once.
    public var concurrency = 64
    /// Set RD (ask a resolver to recurse); off for authoritative servers.
    public var recursionDesired = true
    /// EDNS0 UDP payload size we offer (RFC 6891); 1232 avoids IP fragmentation.
    public var ednsBufferSize: UInt16 = 1232

    public init() {}
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

/// Sends many queries at once and waits for all of them: one thread, `poll()` over the sockets
/// ldns opens. Packets are built, sent, read and parsed by ldns. A reply is believed only when
/// its source, ID, QR bit and question match the query; anything else is set aside and the
/// query keeps waiting, so a forged or stray packet can delay an answer but never replace it.
public final class QueryEngine {
    public let options: QueryOptions

    public init(options: QueryOptions) {
        self.options = options
    }

    private final class Flight {
        let query: Query
        let attempt: Int
        let tcp: Bool
        let id: UInt16
        let fd: Int32
        let deadline: Double
        /// Why the replies seen so far were not believed, for the failure message.
        var problem: String?

        init(query: Query, attempt: Int, tcp: Bool, id: UInt16, fd: Int32, deadline: Double, problem: String?) {
            self.query = query
            self.attempt = attempt
            self.tcp = tcp
            self.id = id
            self.fd = fd
            self.deadline = deadline
            self.problem = problem
        }
    }

    private var flights: [Int32: Flight] = [:]
    private var results: [Query: QueryOutcome] = [:]
    /// Servers that let a query time out: later queries to them fail at once, so a dead server
    /// costs one timeout, not one per record.
    private var deadServers: [ServerAddress: String] = [:]

    /// Every query's outcome. Duplicates are asked once.
    public func run(_ queries: [Query]) -> [Query: QueryOutcome] {
        flights = [:]
        results = [:]
        deadServers = [:]
        var next = 0
        while next < queries.count || !flights.isEmpty {
            while flights.count < max(1, options.concurrency) && next < queries.count {
                let query = queries[next]
                next += 1
                if results[query] != nil || flights.values.contains(where: { $0.query == query }) { continue }
                if let why = deadServers[query.server] {
                    results[query] = .failed(why)
                    continue
                }
                start(query, attempt: 1, tcp: options.tcpOnly, problem: nil)
            }
            wait()
        }
        return results
    }

    // MARK: sending

    private func start(_ query: Query, attempt: Int, tcp: Bool, problem: String?) {
        let id = UInt16.random(in: 0...UInt16.max)
        guard let wire = Self.queryWire(query.question, id: id, options: options) else {
            results[query] = .failed("cannot build a query for \(query.question)")
            return
        }
        defer { ldns_buffer_free(wire) }
        var (storage, length) = SocketAddress.storage(for: query.server)
        let tv = timeval(tv_sec: Int(options.timeout), tv_usec: Int((options.timeout - options.timeout.rounded(.down)) * 1e6))
        let fd = tcp ? ldns_tcp_bgsend2(wire, &storage, length, tv) : ldns_udp_bgsend2(wire, &storage, length, tv)
        guard fd >= 0 else {
            let why = tcp ? "cannot connect over TCP" : "cannot send over UDP"
            finishAttempt(query, attempt: attempt, tcp: tcp, problem: "\(why) (\(String(cString: strerror(errno))))")
            return
        }
        flights[fd] = Flight(query: query, attempt: attempt, tcp: tcp, id: id, fd: fd,
                             deadline: SocketAddress.now() + options.timeout, problem: problem)
    }

    static func queryWire(_ question: Question, id: UInt16, options: QueryOptions) -> UnsafeMutablePointer<ldns_buffer>? {
        var packet: UnsafeMutablePointer<ldns_pkt>?
        let type = ldns_get_rr_type_by_name(question.type)
        let flags = UInt16(options.recursionDesired ? LDNS_RD : 0)
        guard ldns_pkt_query_new_frm_str(&packet, question.name, type, LDNS_RR_CLASS_IN, flags) == LDNS_STATUS_OK,
              let packet else { return nil }
        let owned = OwnedPacket(packet)
        ldns_pkt_set_id(owned.pointer, id)
        ldns_pkt_set_edns_udp_size(owned.pointer, options.ednsBufferSize)
        guard let buffer = ldns_buffer_new(512) else { return nil }
        guard ldns_pkt2buffer_wire(buffer, owned.pointer) == LDNS_STATUS_OK else {
            ldns_buffer_free(buffer)
            return nil
        }
        return buffer
    }

    // MARK: receiving

    private func wait() {
        guard !flights.isEmpty else { return }
        var fds = flights.keys.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let earliest = flights.values.map(\.deadline).min()!
        let milliseconds = Int32(max(0, min(1_000_000, (earliest - SocketAddress.now()) * 1000)).rounded(.up))
        _ = poll(&fds, nfds_t(fds.count), milliseconds)
        for entry in fds where entry.revents != 0 {
            if let flight = flights[entry.fd] { receive(flight) }
        }
        let now = SocketAddress.now()
        for flight in flights.values where flight.deadline <= now {
            close(flight)
            let why = "no answer within \(Self.seconds(options.timeout))\(flight.tcp ? " over TCP" : "")"
            finishAttempt(flight.query, attempt: flight.attempt, tcp: flight.tcp, problem: why,
                          ignored: flight.problem, timedOut: true)
        }
    }

    private func receive(_ flight: Flight) {
        var size = 0
        var bytes: UnsafeMutablePointer<UInt8>?
        if flight.tcp {
            let remaining = max(0.01, flight.deadline - SocketAddress.now())
            let tv = timeval(tv_sec: Int(remaining), tv_usec: Int((remaining - remaining.rounded(.down)) * 1e6))
            bytes = ldns_tcp_read_wire_timeout(flight.fd, &size, tv)
            guard bytes != nil else {
                close(flight)
                finishAttempt(flight.query, attempt: flight.attempt, tcp: true,
                              problem: "the TCP connection closed without a complete answer")
                return
            }
        } else {
            var from = sockaddr_storage()
            var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            bytes = ldns_udp_read_wire(flight.fd, &size, &from, &fromLength)
            guard bytes != nil else { return }
            if SocketAddress.server(from: from) != flight.query.server {
                free(bytes)
                let source = SocketAddress.server(from: from)?.description ?? "an unknown address"
                flight.problem = "ignored a reply from \(source), which was not asked"
                return
            }
        }
        defer { free(bytes) }
        switch Self.check(bytes!, size: size, flight: flight) {
        case .ignore(let why):
            flight.problem = why
            if flight.tcp {  // a TCP connection carries one answer: it was not the right one
                close(flight)
                finishAttempt(flight.query, attempt: flight.attempt, tcp: true, problem: why)
            }
        case .truncated:
            close(flight)
            start(flight.query, attempt: flight.attempt, tcp: true, problem: flight.problem)
        case .outcome(let outcome):
            close(flight)
            results[flight.query] = outcome
        }
    }

    private enum Verdict {
        case ignore(String)
        case truncated
        case outcome(QueryOutcome)
    }

    /// Parses a reply with ldns and decides whether to believe it.
    private static func check(_ bytes: UnsafeMutablePointer<UInt8>, size: Int, flight: Flight) -> Verdict {
        var parsed: UnsafeMutablePointer<ldns_pkt>?
        let status = ldns_wire2pkt(&parsed, bytes, size)
        guard status == LDNS_STATUS_OK, let parsed else {
            return .ignore("ignored a malformed reply (\(String(cString: ldns_get_errorstr_by_id(status))))")
        }
        let packet = OwnedPacket(parsed)
        guard ldns_pkt_qr(packet.pointer) != 0 else { return .ignore("ignored a packet that is not a reply") }
        guard ldns_pkt_id(packet.pointer) == flight.id else { return .ignore("ignored a reply with the wrong ID") }
        let question = packet.records(ldns_pkt_question)
        guard question.count == 1, question[0].owner.lowercased() == flight.query.question.name,
              question[0].type == flight.query.question.type else {
            return .ignore("ignored a reply to a different question")
        }
        if ldns_pkt_tc(packet.pointer) != 0 && !flight.tcp { return .truncated }
        let rcode = LDNSMemory.takeString(ldns_pkt_rcode2str(ldns_pkt_get_rcode(packet.pointer)))
        guard rcode == "NOERROR" || rcode == "NXDOMAIN" else {
            return .outcome(.failed("the server answered \(rcode)"))
        }
        if ldns_pkt_tc(packet.pointer) != 0 { return .outcome(.failed("the answer was truncated over TCP")) }
        return .outcome(.answer(DNSAnswer(rcode: rcode, authoritative: ldns_pkt_aa(packet.pointer) != 0,
                                          records: packet.records(ldns_pkt_answer))))
    }

    // MARK: bookkeeping

    private func close(_ flight: Flight) {
        Glibc.close(flight.fd)
        flights[flight.fd] = nil
    }

    /// An attempt failed: try again while tries are left, else record the failure.
    /// `ignored` says why replies that did arrive were not believed; it is kept across tries.
    private func finishAttempt(_ query: Query, attempt: Int, tcp: Bool, problem: String, ignored: String? = nil,
                               timedOut: Bool = false) {
        if attempt <= options.retries && deadServers[query.server] == nil {
            start(query, attempt: attempt + 1, tcp: tcp, problem: ignored)
            return
        }
        let tries = attempt == 1 ? "1 try" : "\(attempt) tries"
        let detail = ignored.map { "; \($0)" } ?? ""
        results[query] = .failed("\(problem)\(detail) (\(tries) to \(query.server))")
        if timedOut {
            deadServers[query.server] = "skipped: \(query.server) did not answer earlier queries within \(Self.seconds(options.timeout))"
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
