import Foundation
import Testing

/// A server process the tests start on loopback and always stop.
class TestServer {
    let folder: URL
    let process = Process()

    init() throws {
        folder = try temporaryFolder()
    }

    /// Under the Swift test runner, children inherit a signal mask that blocks SIGTERM, so a
    /// server that does not reset it (NSD) could never be stopped. Start servers through a
    /// one-line exec wrapper that clears the mask and restores SIGPIPE.
    static let cleanSignals = "import os,signal,sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
        + "signal.signal(signal.SIGPIPE, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"

    func launch(_ program: String, _ arguments: [String], output: FileHandle? = FileHandle.nullDevice) throws {
        let path = program.hasPrefix("/") ? program : try which(program)
        process.executableURL = URL(fileURLWithPath: try which("python3"))
        process.arguments = ["-c", Self.cleanSignals, path] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("stderr.log").path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr.log"))
        try process.run()
    }

    /// Polls with SOA queries (kdig) until `zone` is served, for at most about 10 s.
    func waitUntilServing(_ zone: String, at address: String) throws {
        let (host, port) = address.hasPrefix("[")
            ? (String(address.dropFirst().prefix { $0 != "]" }), String(address.split(separator: ":").last!))
            : (String(address.split(separator: ":")[0]), String(address.split(separator: ":")[1]))
        for _ in 0..<100 {
            let answer = try run("kdig", ["@\(host)", "-p", port, "+time=1", "+retry=0", zone, "SOA"])
            if answer.stdout.contains("status: NOERROR") { return }
            usleep(100_000)
        }
        stop()
        throw ServerDidNotStart(name: process.executableURL?.lastPathComponent ?? "server", log: log)
    }

    var log: String {
        ["server.log", "stderr.log"].compactMap { try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }

    struct ServerDidNotStart: Error, CustomStringConvertible {
        let name: String
        let log: String
        var description: String { "\(name) did not start:\n\(log)" }
    }
}

/// NSD, authoritative, serving the given zones (name → master-file text) on 127.0.0.1 (and
/// ::1 when asked). Rate limiting is off so that benchmarks and large tests are not slowed.
final class NSDServer: TestServer {
    let port: UInt16
    /// The first IPv4 address it listens on.
    let host: String
    var address: String { "\(host):\(port)" }

    init(zones: [String: String], ipv6: Bool = false, listen: [String]? = nil, port fixedPort: UInt16? = nil) throws {
        port = fixedPort ?? freePort()
        host = listen?.first ?? "127.0.0.1"
        try super.init()
        let dir = folder.path
        var config = "server:\n"
        for ip in listen ?? (["127.0.0.1"] + (ipv6 ? ["::1"] : [])) { config += "    ip-address: \(ip)@\(port)\n" }
        config += """
                username: ""
                chroot: ""
                zonesdir: "\(dir)"
                database: ""
                pidfile: "\(dir)/nsd.pid"
                logfile: "\(dir)/server.log"
                xfrdfile: "\(dir)/xfrd.state"
                zonelistfile: "\(dir)/zone.list"
                xfrdir: "\(dir)"
                rrl-ratelimit: 0
                verbosity: 1
            remote-control:
                control-enable: no

            """
        for (zone, text) in zones {
            try text.write(to: folder.appendingPathComponent("\(zone).zone"), atomically: true, encoding: .utf8)
            config += "zone:\n    name: \(zone)\n    zonefile: \(zone).zone\n"
        }
        try config.write(to: folder.appendingPathComponent("nsd.conf"), atomically: true, encoding: .utf8)
        try launch("nsd", ["-d", "-c", folder.appendingPathComponent("nsd.conf").path])
        try waitUntilServing(zones.keys.sorted()[0], at: "\((listen ?? ["127.0.0.1"])[0]):\(port)")
    }
}

/// Unbound as a recursive resolver whose stub zones point at an NSD.
final class UnboundServer: TestServer {
    let port: UInt16
    var address: String { "127.0.0.1:\(port)" }

    /// `options`: more `server:` lines, such as `ip-ratelimit: 50`. `ipv6`: it listens on
    /// [::1] too (same port).
    init(stubZones: [String], to nsd: NSDServer, options: [String] = [], ipv6: Bool = false) throws {
        port = freePort()
        try super.init()
        let dir = folder.path
        var config = """
            server:
                interface: 127.0.0.1@\(port)
            \(ipv6 ? "    interface: ::1@\(port)\n" : "")                port: \(port)
                username: ""
                chroot: ""
                directory: "\(dir)"
                pidfile: "\(dir)/unbound.pid"
                logfile: "\(dir)/server.log"
                use-syslog: no
                verbosity: 1
                do-ip6: \(ipv6 ? "yes" : "no")
                do-not-query-localhost: no
                module-config: "iterator"
                qname-minimisation: no
                num-threads: 1
                # Unbound answers test. itself (RFC 6761 locally served zones); let the stubs do it.
                local-zone: "test." nodefault
            \(options.map { "    \($0)\n" }.joined())remote-control:
                control-enable: no

            """
        // Loopback only: the root is a stub zone too (to the same NSD, which refuses it), so a
        // name outside the stubs fails here instead of going to the Internet's root servers.
        let zones = stubZones.contains(".") ? stubZones : stubZones + ["."]
        for zone in zones { config += "stub-zone:\n    name: \"\(zone)\"\n    stub-addr: \(nsd.host)@\(nsd.port)\n" }
        try config.write(to: folder.appendingPathComponent("unbound.conf"), atomically: true, encoding: .utf8)
        try launch("unbound", ["-d", "-c", folder.appendingPathComponent("unbound.conf").path])
        try waitUntilServing(stubZones[0], at: address)
    }
}

/// Tests/Fixtures/servers/faultserver.py: a server that misbehaves in one chosen way,
/// with real answers taken from an NSD.
final class FaultServer: TestServer {
    let port: UInt16
    var address: String { "127.0.0.1:\(port)" }
    /// Kept for the server's lifetime: were its read end closed, the script's first print
    /// would die with EPIPE and no server would be there at all.
    private let pipe = Pipe()

    init(mode: String, upstream: NSDServer, delay: Double = 0.05) throws {
        port = freePort()
        try super.init()
        let script = packageRoot.appendingPathComponent("Tests/Fixtures/servers/faultserver.py").path
        try launch("python3", [script, mode, String(port), String(upstream.port), String(delay)], output: pipe.fileHandleForWriting)
        // Only the script writes to the pipe: were the test's own copy of the write end open, a
        // script that died before its "ready" would leave the read below waiting for ever.
        try? pipe.fileHandleForWriting.close()
        // The script prints "ready" once both sockets are bound.
        let line = pipe.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).contains("ready") else {
            stop()
            throw ServerDidNotStart(name: "faultserver.py", log: "")
        }
    }

    /// UDP queries the server received, written when it is stopped.
    func stopAndCountQueries() -> Int {
        process.terminate()
        process.waitUntilExit()
        let count = (try? String(contentsOf: folder.appendingPathComponent("\(port).count"), encoding: .utf8)) ?? ""
        stop()
        return Int(count) ?? -1
    }
}

/// `text` (the zone `origin`) signed by ldns-signzone with a fresh ECDSA P-256 key from
/// ldns-keygen, NSEC or NSEC3 (`nsec3`), as an admin signs a zone with ldnsutils. `inception`
/// and `expiration` (YYYYMMDDhhmmss, UTC) set the RRSIGs' dates (ldns-signzone -i, -e).
func signedZone(_ text: String, origin: String, nsec3: Bool = false, inception: String? = nil,
                expiration: String? = nil) throws -> String {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try text.write(to: folder.appendingPathComponent("zone"), atomically: true, encoding: .utf8)
    let key = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", origin], in: folder)
    guard key.code == 0 else { throw ToolFailed(tool: "ldns-keygen", stderr: key.stderr) }
    let name = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let dates = (inception.map { ["-i", $0] } ?? []) + (expiration.map { ["-e", $0] } ?? [])
    let sign = try run("ldns-signzone", (nsec3 ? ["-n"] : []) + dates + ["-o", origin, "zone", name], in: folder)
    guard sign.code == 0 else { throw ToolFailed(tool: "ldns-signzone", stderr: sign.stderr) }
    return try String(contentsOf: folder.appendingPathComponent("zone.signed"), encoding: .utf8)
}

struct ToolFailed: Error, CustomStringConvertible {
    let tool: String, stderr: String
    var description: String { "\(tool) failed: \(stderr)" }
}
