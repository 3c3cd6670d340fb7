import FedplanCore
import Foundation
import Testing

/// Servers that time out, fail, lie or send garbage (Tests/Fixtures/servers/faultserver.py,
/// real answers from NSD). A failed query is `query-failed` and exit 3, never `record-missing`.
@Suite(.serialized) struct FaultTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let mode: String
        /// nil: the check must pass (exit 0); else the text every query-failed message carries.
        let failure: String?
        var testDescription: String { mode }
    }

    static let cases: [Case] = [
        Case(mode: "timeout", failure: "no answer within"),
        Case(mode: "servfail", failure: "the server answered SERVFAIL"),
        Case(mode: "refused", failure: "the server answered REFUSED"),
        Case(mode: "garbage", failure: "ignored a malformed reply"),
        Case(mode: "wrong-id", failure: "ignored a reply with the wrong ID"),
        Case(mode: "wrong-question", failure: "ignored a reply to a different question"),
        Case(mode: "wrong-source", failure: "which was not asked"),
        Case(mode: "tcp-stall", failure: "TCP"),
        Case(mode: "truncate", failure: nil),
        Case(mode: "spoof-then-real", failure: nil),
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
        // Only the modes about timeouts use a short one; where the server does answer, a busy
        // machine (other suites run in parallel) must not turn its answer into a timeout.
        let timing = ["timeout", "tcp-stall"].contains(c.mode) ? ["--timeout", "0.5"] : ["--timeout", "3", "--retries", "0"]
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
}
