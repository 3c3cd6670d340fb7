import FedplanCore
import Foundation
import Testing

/// Servers that time out, fail, lie or send garbage (Tests/Fixtures/servers/faultserver.py,
/// real answers from NSD). A failed query is `query-failed` and exit 3, never `record-missing`.
/// Each mode has its own NSD and fault server on ports of its own (`freePort`), so the modes
/// run side by side (scripts/test.sh bounds how many at once); only the tests that count
/// queries or pace them (`FaultTests`) run one at a time.
@Suite struct FaultModeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let mode: String
        /// nil: the check must pass (exit 0); else the text every query-failed message carries.
        let failure: String?
        var testDescription: String { mode }
    }

    static let cases: [Case] = [
        Case(mode: "timeout", failure: "no answer within"),
        Case(mode: "servfail", failure: "the server answered SERVFAIL"),
        // The resolver's reason (RFC 8914), its text escaped; asked again with CD set, it fails
        // the same way, so it is no DNSSEC failure.
        Case(mode: "servfail-ede", failure: "the server answered SERVFAIL (Extended DNS Error 22 (No Reachable Authority): \"no server of the zone answers \\027[31mred\"); asked again with CD set (checking disabled), it answered SERVFAIL too"),
        Case(mode: "refused", failure: "the server answered REFUSED"),
        Case(mode: "garbage", failure: "ignored a malformed reply"),
        Case(mode: "wrong-id", failure: "ignored a reply with the wrong ID"),
        Case(mode: "wrong-question", failure: "ignored a reply to a different question"),
        Case(mode: "wrong-source", failure: "which was not asked"),
        Case(mode: "tcp-stall", failure: "TCP"),
        // Without its own non-blocking framing the engine would wait for each byte anew: hours.
        Case(mode: "tcp-trickle", failure: "no answer within 0.5 s over TCP"),
        Case(mode: "truncate-always", failure: "the answer was truncated over TCP"),
        Case(mode: "oversize", failure: "ignored a malformed reply"),
        Case(mode: "truncate", failure: nil),
        Case(mode: "spoof-then-real", failure: nil),
        // Answers that cannot be believed: unverified, never ok and never missing.
        Case(mode: "ch-class", failure: "records of class CH to a question of class IN"),
        Case(mode: "nxdomain-with-answers", failure: "NXDOMAIN together with"),
        // An unrelated `evil.invalid. A 127.0.0.99` in the answer is not an address of the target.
        Case(mode: "out-of-bailiwick", failure: nil),
        // FORMERR to EDNS: asked again without it (RFC 6891 §7), then the real answer.
        Case(mode: "formerr-edns", failure: nil),
    ]

    @Test(arguments: cases)
    func misbehavingServer(_ c: Case) throws {
        let s = scenarios[0]
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: c.mode, upstream: nsd)
        defer { fault.stop() }
        // The modes about timeouts use a short one. The modes whose replies are all ignored end
        // at the timeout too, so theirs is what a reply from loopback needs on a busy machine
        // (the server answers in milliseconds; the reason shown is the ignored reply). Where
        // the server does answer, 3 s: a busy machine must not turn its answer into a timeout.
        let ignored = ["garbage", "wrong-id", "wrong-question", "wrong-source", "oversize"]
        let timing = ["timeout", "tcp-stall", "tcp-trickle"].contains(c.mode) ? ["--timeout", "0.5", "--retries", "0"]
            : ignored.contains(c.mode) ? ["--timeout", "1.5", "--retries", "0"] : ["--timeout", "3", "--retries", "0"]
        let (code, doc, output) = try checkJSON(["\(s.name).yaml", "--resolver", fault.address] + timing, in: folder)
        let report = try #require(doc, "\(c.mode): \(output)")
        guard let failure = c.failure else {
            #expect(code == 0, "\(c.mode): \(output); fault server log: \(fault.log); NSD log: \(nsd.log)")
            #expect(report.findings.isEmpty && report.summary.ok == report.summary.records)
            return
        }
        #expect(code == 3, "\(c.mode): exit \(code)")
        #expect(report.summary.unverified == report.summary.records)
        #expect(report.summary.errors == 0)
        #expect(!report.findings.contains { $0.rule != "query-failed" }, "\(c.mode): \(report.findings.map(\.rule))")
        #expect(report.records.allSatisfy { $0.status == .unverified })
        #expect(report.findings.allSatisfy { $0.message.contains(failure) },
                "\(c.mode): \(report.findings.map(\.message)); fault server log: \(fault.log); NSD log: \(nsd.log)")
    }

}

/// Faults whose tests count or pace queries: one at a time.
@Suite(.serialized) struct FaultTests {
    /// A try that fails at once (truncated over UDP, the TCP connection refused) is made again
    /// as often as `--retries` says, then the query fails. Its next try used to be lost when it
    /// was queued while the retries started: the query then waited for ever and the engine
    /// spun, deaf to Ctrl-C and to --deadline (the check never ended).
    @Test func triesThatFailAtOnceAreAllMade() throws {
        let s = scenarios[0]
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "tcp-refused", upstream: nsd)
        defer { fault.stop() }
        let (code, doc, output) = try checkJSON(["\(s.name).yaml", "--resolver", fault.address, "--timeout", "3",
                                                 "--retries", "3"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 3, "\(output)")
        #expect(!report.findings.isEmpty)
        #expect(report.findings.allSatisfy { $0.rule == "query-failed" && $0.message.contains("cannot connect over TCP")
                                             && $0.message.contains("4 tries") }, "\(report.findings.map(\.message))")
    }

    /// TTLs above 2^31 - 1 are read as 0 (RFC 2181 §8): the notice says 0, not 4294967295.
    @Test func hugeTTLReadsAsZero() throws {
        let s = scenarios[0]
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "huge-ttl", upstream: nsd)
        defer { fault.stop() }
        let (code, doc, output) = try checkJSON(["\(s.name).yaml", "--resolver", fault.address, "--timeout", "3"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 0, "\(output)")
        // Read as 0, the record cannot be cached: the warning ttl-zero (exit 0 without --strict).
        let ttl = report.findings.filter { $0.rule == "ttl-zero" }
        #expect(!ttl.isEmpty && ttl.allSatisfy { $0.observed == "0" && $0.severity == "warning" }, "\(report.findings.map(\.message))")
        #expect(!output.contains("4294967295"))
    }

    /// A server that answers 20 queries a second and drops the rest (as response-rate limiting
    /// does): its window shrinks and dropped queries are tried again after a back-off, so every
    /// record is verified. It was declared dead after its first dropped query.
    @Test func rateLimitingServerIsPacedNotDead() throws {
        let nsd = try NSDServer(zones: [scenarios[0].domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "ratelimit", upstream: nsd, delay: 20)
        defer { fault.stop() }
        let folder = try Self.manyDomains(60)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(fedplanBinary, ["dns", "check", "many.yaml", "--resolver", fault.address, "--timeout", "0.5",
                                             "--format", "json"], in: folder)
        let doc = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
        #expect(doc.summary.records == 62)
        #expect(doc.summary.unverified == 0, "\(doc.findings.filter { $0.rule == "query-failed" }.prefix(3).map(\.message))")
        // 61 names are not in the zone: their records are missing, which is the verdict wanted.
        #expect(doc.findings.filter { $0.rule == "record-missing" }.count == 60)
    }

    /// Real Unbound limiting each client to 50 queries a second (`ip-ratelimit`, which drops
    /// the rest): every record is verified, none is left unverified.
    @Test func unboundWithIPRateLimitVerifiesEveryRecord() throws {
        let domain = scenarios[0].domain
        let nsd = try NSDServer(zones: [domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: [domain], to: nsd, options: ["ip-ratelimit: 50"])
        defer { unbound.stop() }
        let folder = try Self.manyDomains(150)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(fedplanBinary, ["dns", "check", "many.yaml", "--resolver", unbound.address, "--format", "json"],
                             in: folder)
        let doc = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
        #expect(doc.summary.records == 152)
        #expect(doc.summary.unverified == 0, "\(doc.findings.filter { $0.rule == "query-failed" }.prefix(3).map(\.message))")
        #expect(doc.findings.filter { $0.rule == "record-missing" }.count == 150)
        #expect(result.code == 1)
    }

    /// The exact scenario's description with `count` more SIP domains under it (their SRV
    /// records are missing), as `many.yaml` in a new folder.
    static func manyDomains(_ count: Int) throws -> URL {
        let folder = try temporaryFolder()
        let domain = scenarios[0].domain
        let domains = ([domain] + (1...count).map { "t\($0).\(domain)" }).joined(separator: ", ")
        let text = scenarios[0].description.replacingOccurrences(of: "sip_domains: [\(domain)]", with: "sip_domains: [\(domains)]")
        #expect(text.contains("t\(count)."))
        try text.write(to: folder.appendingPathComponent("many.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    /// `--qps` caps the rate: 42 queries at 20 per second take at least 2 s.
    @Test func qpsCapsTheRate() throws {
        let nsd = try NSDServer(zones: [scenarios[0].domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let folder = try Self.manyDomains(40)
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = Date()
        let result = try run(fedplanBinary, ["dns", "check", "many.yaml", "--resolver", nsd.address, "--qps", "20",
                                             "--format", "json", "--quiet"], in: folder)
        let elapsed = Date().timeIntervalSince(started)
        let doc = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
        #expect(doc.summary.records == 42, "\(result.stderr)")
        #expect(doc.summary.unverified == 0)
        // A lower bound only: the cap may never be exceeded; how fast it goes otherwise is not tested.
        #expect(elapsed >= 41.0 / 20 - 0.1, "took \(elapsed) s for 42 queries at --qps 20")
    }

    /// A dead server costs one timeout, not one per record: after a query times out, the
    /// queries still waiting for that server fail at once instead of being sent.
    @Test func deadServerIsAskedOnlyUntilItHasTimedOut() throws {
        let nsd = try NSDServer(zones: [scenarios[0].domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "timeout", upstream: nsd)
        let result = try fedplan("dns", "check", example("hosting"), "--resolver", fault.address, "--timeout", "0.3",
                                 "--retries", "1", "--concurrency", "4", "--format", "json")
        let received = fault.stopAndCountQueries()
        #expect(result.code == 3)
        let doc = try JSONDecoder().decode(CheckRenderer.Document.self, from: Data(result.stdout.utf8))
        #expect(doc.summary.records == 604 && doc.summary.unverified == 604)
        // 4 queries in flight, each tried twice: at most 8 of the 602 questions reach the server.
        #expect(received > 0 && received <= 8, "the dead server received \(received) queries")
        #expect(doc.findings.contains { $0.message.contains("did not answer earlier queries") })
    }

    /// A server found dead in one round is not waited for again in the next: the planned SRV
    /// and A time out together (two tries each), and the AAAA of the SRV's planned target,
    /// asked in the second round, fails at once. It used to be sent, twice, and waited for: a
    /// second timeout that doubled the check's time.
    @Test func deadServerIsNotAskedAgainInALaterRound() throws {
        let nsd = try NSDServer(zones: [scenarios[0].domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "timeout", upstream: nsd)
        let result = try fedplan("dns", "check", example("single-edge"), "--resolver", fault.address, "--timeout", "0.3",
                                 "--retries", "1", "--debug")
        let received = fault.stopAndCountQueries()
        #expect(result.code == 3)
        // _sipfederationtls._tcp.contoso.com. SRV and sip.contoso.com. A, two tries each.
        #expect(received == 4, "the dead server received \(received) queries: \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix(";; query") && $0.contains("IN AAAA") }, "\(result.stderr)")
        #expect(lines.contains { $0.hasPrefix(";; skipped") && $0.contains("sip.contoso.com. IN AAAA") && $0.contains("did not answer earlier queries") },
                "\(result.stderr)")
    }
}

/// Bounds on a whole check: `--deadline`, and Ctrl-C, which stops at once and still reports.
@Suite(.serialized) struct StoppingTests {
    /// A server that answers SRV questions and never the others: with a 30 s timeout only the
    /// deadline can end the check, and what was answered is still checked.
    @Test func deadlineEndsTheCheckAndKeepsWhatWasAnswered() throws {
        try withSRVOnlyServer { folder, fault in try deadline(folder, fault) }
    }

    /// The exact zone behind a server that answers only SRV questions.
    func withSRVOnlyServer(_ body: (URL, FaultServer) throws -> Void) throws {
        let folder = try LiveCheckTests.descriptions()
        defer { try? FileManager.default.removeItem(at: folder) }
        let nsd = try NSDServer(zones: [scenarios[0].domain: scenarios[0].zoneText])
        defer { nsd.stop() }
        let fault = try FaultServer(mode: "srv-only", upstream: nsd)
        defer { fault.stop() }
        try body(folder, fault)
    }

    func deadline(_ folder: URL, _ fault: FaultServer) throws {
        let (code, doc, output) = try checkJSON(["\(scenarios[0].name).yaml", "--resolver", fault.address,
                                                 "--timeout", "30", "--retries", "0", "--deadline", "1.5"], in: folder)
        let report = try #require(doc, "\(output)")
        #expect(code == 3, "\(output)")
        #expect(report.stopped?.contains("--deadline") == true)
        #expect(report.records.contains { $0.type == "SRV" && $0.status == .ok }, "the SRV answers were checked")
        let addresses = report.records.filter { $0.type == "A" }
        #expect(!addresses.isEmpty && addresses.allSatisfy { $0.status == .unverified })
        #expect(report.findings.allSatisfy { $0.rule == "query-failed" && $0.message.contains("deadline") })
    }

    /// Ctrl-C during a live check: the report of what was answered, then death by SIGINT.
    @Test func interruptPrintsWhatWasVerified() throws {
        try withSRVOnlyServer { folder, fault in try interrupt(folder, fault) }
    }

    func interrupt(_ folder: URL, _ fault: FaultServer) throws {
        let check = try SignalledRun(["dns", "check", "\(scenarios[0].name).yaml", "--resolver", fault.address,
                                      "--timeout", "30", "--retries", "0"], in: folder)
        // Both first-round questions (SRV, A) have reached the server; the SRV one is answered.
        try check.waitUntil { (try? String(contentsOf: fault.folder.appendingPathComponent("\(fault.port).count"), encoding: .utf8))
            .flatMap { Int($0) }.map { $0 >= 2 } ?? false }
        usleep(200_000)
        let result = try check.interrupt()
        #expect(result.signalled, "ended by SIGINT, as the shell expects: \(result.stderr)")
        #expect(result.stdout.contains("stopped early (interrupted)"), "\(result.stdout)")
        #expect(result.stdout.contains("interrupted before an answer came"))
        #expect(result.stdout.contains("ok: 1 of 2 records"), "the answered SRV records were checked: \(result.stdout)")
    }
}

/// `fedplan` started with clean signal handling (the test runner's children inherit blocked
/// signals), interrupted with SIGINT, then awaited.
final class SignalledRun {
    let process = Process()
    let out = Pipe(), err = Pipe()
    private var stderrSoFar = Data()

    init(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: try which("python3"))
        process.arguments = ["-c", TestServer.cleanSignals, fedplanBinary] + arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = err
        try process.run()
    }

    /// Polls `condition` every 50 ms for at most 20 s.
    func waitUntil(_ condition: () throws -> Bool) throws {
        for _ in 0..<400 {
            if try condition() { return }
            usleep(50_000)
        }
        process.terminate()
        Issue.record("the condition was never met")
    }

    /// Waits for `text` on stderr.
    func waitForStderr(_ text: String) throws {
        let handle = err.fileHandleForReading
        try waitUntil {
            stderrSoFar += handle.availableData
            return String(decoding: stderrSoFar, as: UTF8.self).contains(text)
        }
    }

    /// Sends SIGINT; the process must end by itself within 20 s, else it is killed.
    func interrupt() throws -> (signalled: Bool, stdout: String, stderr: String) {
        kill(process.processIdentifier, SIGINT)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = stderrSoFar + err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT
        return (signalled, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// CNAME chains that cannot be followed prove nothing: query-failed (exit 3), never missing.
@Suite(.serialized) struct CNAMEChainTests {
    static let zone = """
        _sipfederationtls._tcp IN CNAME c1
        c1 IN CNAME c2
        c2 IN CNAME c3
        c3 IN CNAME c4
        c4 IN CNAME c5
        c5 IN CNAME c6
        c6 IN CNAME c7
        c7 IN CNAME c8
        c8 IN CNAME c9
        c9 IN CNAME c10
        c10 IN SRV 0 0 5061 sip.D.
        sip IN CNAME loop1
        loop1 IN CNAME loop2
        loop2 IN CNAME loop1
        """

    @Test func loopsAndLongChainsAreUnverifiedNotMissing() throws {
        let s = Scenario(name: "chains", zone: Self.zone, expected: [])
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try s.description.write(to: folder.appendingPathComponent("chains.yaml"), atomically: true, encoding: .utf8)
        let nsd = try NSDServer(zones: [s.domain: s.zoneText])
        defer { nsd.stop() }
        let unbound = try UnboundServer(stubZones: [s.domain], to: nsd)
        defer { unbound.stop() }
        for server in [nsd.address, unbound.address] {
            let (code, doc, output) = try checkJSON(["chains.yaml", "--resolver", server, "--timeout", "3"], in: folder)
            let report = try #require(doc, "\(server): \(output)")
            #expect(code == 3, "\(server): \(output)")
            #expect(report.findings.allSatisfy { $0.rule == "query-failed" }, "\(server): \(report.findings.map(\.rule))")
            #expect(report.records.allSatisfy { $0.status == .unverified }, "\(server)")
            if server == nsd.address {  // Unbound gives up itself (SERVFAIL); NSD hands over the chain
                let messages = report.findings.map(\.message).joined(separator: "\n")
                #expect(messages.contains("the CNAME chain loops (sip.chains.test. → loop1.chains.test. → loop2.chains.test. → loop1.chains.test.)"), "\(messages)")
                #expect(messages.contains("longer than 8 links"), "\(messages)")
            }
        }
    }
}
