import ArgumentParser
import FedplanCore
import FedplanDNS
import Foundation

/// `--resolver`: an address (`192.0.2.53`, `192.0.2.53:5353`, `[2001:db8::53]:5353`) or a host
/// name with an optional port (`localhost`, `ns1.contoso.com:5353`), as dig takes `@server`. A
/// name is resolved once, by the system (`/etc/hosts` too), and every address it has is asked.
struct ResolverArgument: ExpressibleByArgument {
    let servers: [ServerAddress]

    /// Why an argument is refused; argument-parser prints it after "The value … is invalid".
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    init?(argument: String) {
        guard let parsed = try? Self(parsing: argument) else { return nil }
        self = parsed
    }

    /// The `transform:` of `--resolver`, so that a refusal says why.
    static func parse(_ argument: String) throws -> ResolverArgument { try Self(parsing: argument) }

    init(parsing argument: String) throws(Refusal) {
        if let parsed = ServerAddress.parse(argument) {
            servers = [parsed]
            return
        }
        var host = Substring(argument), port: UInt16 = 53
        // `[IPv6]` with something after it other than a port.
        if argument.hasPrefix("["), argument.firstIndex(of: "]").flatMap({ IPAddress(String(argument[argument.index(after: argument.startIndex)..<$0])) }) == nil {
            throw Refusal(description: "an IPv6 address in brackets is written [2001:db8::53] or [2001:db8::53]:5353")
        }
        if let colon = argument.lastIndex(of: ":") {
            let text = argument[argument.index(after: colon)...]
            host = argument[..<colon]
            if host.contains(":") && !host.hasPrefix("[") {
                throw Refusal(description: "write an IPv6 address with a port in brackets, as [2001:db8::53]:5353")
            }
            guard let p = UInt16(text), p > 0 else {
                throw Refusal(description: "the port must be a number from 1 to 65535, found '\(Escape.text(String(text)))'")
            }
            port = p
        }
        // A host name, not anything getaddrinfo would take (no IPv6 without brackets, no spaces).
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw Refusal(description: "expected an IP address, IP:PORT, [IPv6]:PORT, or a host name with an optional :PORT")
        }
        // All digits and dots is a mistyped IPv4 address (300.1.1.1), never a host name: it is
        // refused here rather than looked up through the system's resolver.
        if host.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || (0x30...0x39).contains($0) }) {
            throw Refusal(description: "'\(host)' is not a valid IPv4 address (four numbers from 0 to 255)")
        }
        let found = Self.addresses(of: String(host)).map { ServerAddress(address: $0, port: port) }
        guard !found.isEmpty else {
            throw Refusal(description: "the host name \(host) has no address (is it spelt right?)")
        }
        servers = found
    }

    static func addresses(of host: String) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0 else { return [] }
        defer { freeaddrinfo(list) }
        var result: [IPAddress] = []
        var entry = list
        while let e = entry {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(e.pointee.ai_addr, e.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0,
               let ip = IPAddress(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)),
               !result.contains(ip) {
                result.append(ip)
            }
            entry = e.pointee.ai_next
        }
        return result
    }
}

struct CheckCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit, github, sarif }

    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the plan against live DNS servers or zone files, record by record.",
        discussion: """
        Every planned RRset is asked of every resolver (the system resolvers of /etc/resolv.conf \
        by default), then the addresses of every SRV target the servers return. A query that \
        fails is query-failed and its record unverified (exit 3), never missing.

        With --zone-file the same checks run on zone files instead (no network), plus the \
        mistakes only files make; every finding names its file and line. A file's origin is its \
        own $ORIGIN, else the --origin written after it, else its name (contoso.com.zone, \
        db.contoso.com); a relative name with none of these is refused. Its zone is its SOA \
        owner, else that origin. Planned records outside every zone \
        given are not covered, not missing. Files are read by Knot's zone scanner and answered \
        as a server loading them would (delegations, DNAME, wildcards). Syntax errors: all of \
        them, exit 2, and a document in every format (JSON problems, JUnit failures, GitHub \
        annotations, SARIF results).

        Examples:
          fedplan dns check
          fedplan dns check --resolver 192.0.2.53 --resolver [2001:db8::53]:5353
          fedplan dns check -q --zone contoso.com || echo "contoso.com needs attention"
          fedplan dns check -6 --debug --resolver localhost
          fedplan dns check --format github --strict
          fedplan dns check --zone-file zones/contoso.com.zone --zone-file zones/fabrikam.com.zone
          fedplan dns check --zone-file contoso.txt --origin contoso.com --zone-file fabrikam.txt --origin fabrikam.com
          fedplan dns check --format json | jq '.records[] | select(.status != "ok")'
          fedplan dns check --zone-file zones/contoso.com.zone --format sarif > fedplan.sarif
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: ArgumentHelp("A server to ask: IP, IP:PORT, [IPv6]:PORT, or a host name with an optional :PORT, resolved once, every address asked (repeatable).", valueName: "server"),
            transform: ResolverArgument.parse)
    var resolver: [ResolverArgument] = []

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 2

    @Option(help: "Further tries after a timeout.")
    var retries: Int = 1

    @Flag(help: "Query over TCP only (default: UDP, and TCP when an answer is truncated).")
    var tcp = false

    @Option(help: "Queries in flight at once (in all; each server's window starts here, halves when the server goes silent after answering, and grows back).")
    var concurrency: Int = 64

    @Option(help: ArgumentHelp("Send at most this many queries per second (default: no cap).", valueName: "n"))
    var qps: Double?

    @Option(help: "Seconds the whole check may take; queries still waiting then are query-failed.")
    var deadline: Double = 120

    @Option(help: "Output format: text, json, junit, github or sarif (SARIF 2.1.0, for code scanning).")
    var format: Format = .text

    @OptionGroup var report: ReportOptions

    @Flag(name: .shortAndLong, help: "Print nothing when all is well; otherwise only what fails the check (errors and failed queries, warnings too with --strict), without the summary. The exit code tells in every case. (Text format; the other formats are whole documents.)")
    var quiet = false

    @Flag(help: "Print each query and each answer on standard error, one line each, as kdig shows them: server, name, type, status, flags, record counts, time.")
    var debug = false

    @Option(help: ArgumentHelp("Check only the records of this zone of the plan, as `dns export --zone` (repeatable).",
                               valueName: "zone"))
    var zone: [String] = []

    @Flag(name: .customShort("4"), help: "Ask IPv4 servers only: the resolvers' (and with --authoritative the name servers') IPv4 addresses.")
    var ipv4 = false

    @Flag(name: .customShort("6"), help: "Ask IPv6 servers only: the resolvers' (and with --authoritative the name servers') IPv6 addresses.")
    var ipv6 = false

    @Flag(help: "Print on standard error how long each phase took (load and plan, queries, checking and report; with --zone-file: load and plan, collector set-up, reading the files, check, report).")
    var timings = false

    @Flag(help: "Find each zone's NS set through the resolver and ask every address of every name server directly (port 53, no recursion); compare answers and SOA serials. Zone cuts are followed to the servers the referral names; a listed server that refuses its zone is a lame delegation.")
    var authoritative = false

    @Flag(help: "Also check what each federation partner publishes (_sipfederationtls._tcp, the edge of allowed_server partners, _xmpp-server._tcp or its A/AAAA fallback).")
    var partners = false

    @Option(name: .customLong("zone-file"), help: ArgumentHelp("Check this zone file instead of live DNS (repeatable).",
                                                               valueName: "file"), completion: .file())
    var zoneFiles: [String] = []

    @Option(help: ArgumentHelp("The origin of the --zone-file before it, for a file that sets no $ORIGIN and whose name is not its zone's (repeatable: one after each file that needs one).",
                               valueName: "zone"))
    var origin: [String] = []

    @Option(help: ArgumentHelp("Warn (dnssec-signature-expiring) when the RRSIGs that verify over a planned RRset all expire within this time (the latest expiration counts): days (7d), hours (12h) or seconds (3600). Live checks and zone files.",
                               valueName: "time"))
    var signatureHorizon = "7d"

    @Option(name: .customLong("trust-anchor"),
            help: ArgumentHelp("DNSSEC trust anchors: DS or DNSKEY records in zone-file text (default: /usr/share/dns/root.key, Debian's dns-root-data). Repeatable: the files' records are merged. Authoritative answers are validated from the anchor at their zone; see docs/dnssec.md.",
                               valueName: "file"), completion: .file())
    var trustAnchor: [String] = []

    @Flag(name: .customLong("no-dnssec"),
          help: "Do not judge DNSSEC: no DNSKEY questions, no signature checks, no second question with CD set after a resolver's SERVFAIL.")
    var noDNSSEC = false

    /// Syntax problems shown at most; the count covers all of them.
    static let problemsShown = 100

    func validate() throws {
        if ipv4 && ipv6 { throw ValidationError("-4 and -6 exclude each other: give one, or neither to ask servers of both") }
        if !trustAnchor.isEmpty && noDNSSEC { throw ValidationError("--trust-anchor and --no-dnssec exclude each other: validation needs the anchors") }
        if !zoneFiles.isEmpty, authoritative || partners || !resolver.isEmpty || debug || ipv4 || ipv6 {
            throw ValidationError("--zone-file checks files; it cannot be combined with --resolver, --authoritative, --partners, --debug, -4 or -6, which are about servers")
        }
        if !origin.isEmpty, zoneFiles.isEmpty { throw ValidationError("--origin applies to --zone-file only") }
        // Standard input can be read once: as the description or as one zone file.
        if zoneFiles.filter({ $0 == "-" }).count + (zoneFiles.contains("-") && input.file == "-" ? 1 : 0) > 1 {
            throw ValidationError("standard input (-) can be read only once: give it as one --zone-file, or as the description, not both")
        }
        for origin in origin {
            if case .failure = DomainName.parse(origin, allowUnderscore: true) {
                throw ValidationError("--origin: '\(origin)' is not a domain name")
            }
        }
        do {
            _ = try zoneFileInputs()
        } catch {
            throw ValidationError(error.message)
        }
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be more than 0 and at most 60 seconds") }
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be between 0 and 10") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
        if let qps, !(qps >= 1 && qps <= 1_000_000) { throw ValidationError("--qps must be between 1 and 1000000") }
        guard deadline > 0, deadline <= 86_400 else { throw ValidationError("--deadline must be more than 0 and at most 86400 seconds") }
        if case .failure(let refusal) = SignatureHorizon.parse(signatureHorizon) {
            throw ValidationError("--signature-horizon: \(refusal.description)")
        }
    }

    func run() throws {
        let started = QueryOptions.now()
        try withExitCode {
            let (deployment, whole) = try input.load(json: format == .json)
            let plan = try selectedZones(whole)
            let loaded = QueryOptions.now()
            if !zoneFiles.isEmpty {
                return try checkZoneFiles(plan, deployment, timed: timings ? ZoneTimings(started: started, loaded: loaded) : nil)
            }
            let servers = try resolvers()
            var options = QueryOptions()
            options.timeout = timeout
            options.retries = retries
            options.tcpOnly = tcp
            options.concurrency = concurrency
            options.qps = qps ?? 0
            options.deadline = QueryOptions.now() + deadline
            options.interruptFD = Interrupt.fd
            options.processEndsAfter = true
            options.ipVersion = ipVersion
            if debug { options.onDebug = { Console.error($0) } }
            if !noDNSSEC { options.trustChain = TrustChain(anchors: try anchors(), clock: signatureClock) }
            let progress = ProgressLine.make(quiet: quiet)
            let asked = AskedTally()
            if progress != nil || timings {
                options.onProgress = { p in
                    progress?.update(p)
                    asked.last = p
                }
            }
            var result = Interrupt.whileChecking {
                // One engine for the whole check: the progress line counts every query once.
                let engine = QueryEngine(options: options)
                var result = authoritative
                    ? AuthoritativeCheck.run(plan: plan, description: input.file, resolvers: servers, options: options,
                                             engine: engine)
                    : LiveCheck.run(plan: plan, description: input.file, servers: servers, options: options, engine: engine)
                if partners {
                    result = CheckReport.merge([result], extraFindings: PartnerCheck.run(deployment, resolvers: servers,
                                                                                         options: options, engine: engine),
                                               description: input.file)
                }
                return result
            }
            progress?.clear()
            if Interrupt.received != 0 {
                result.stopped = "interrupted"
            } else if QueryOptions.now() >= options.deadline {
                result.stopped = "the deadline of \(QueryEngine.seconds(deadline)) passed (--deadline)"
            }
            let code = show(result, deployment)
            for leftover in [result, plan, deployment] as [Any] { Leftovers.keep(leftover) }
            if timings { Console.error(asked.timings(load: loaded - started, total: QueryOptions.now() - started)) }
            Interrupt.endIfInterrupted()
            return code
        }
    }

    private func show(_ checked: CheckReport, _ deployment: Deployment) -> Int32 {
        let result = checked.acknowledging(deployment.acknowledgements)
        switch format {
        case .text:
            let text = CheckRenderer.text(result, color: Console.useColor(report.colorChoice, fd: STDOUT_FILENO),
                                          quiet: quiet, strict: report.strict, width: Console.width(fd: STDOUT_FILENO))
            Console.out(text)
        // Streamed: a hoster's report never exists whole in memory (`OutputSink`).
        case .json: CheckRenderer.json(result, to: StandardOutput())
        case .junit: CheckRenderer.junit(result, strict: report.strict, to: StandardOutput())
        case .github:
            Console.out(CheckRenderer.github(result, strict: report.strict))
            JobSummary.append(CheckRenderer.githubSummary(result))
        case .sarif: SARIFRenderer.findings(result.findings, version: Fedplan.version, stopped: result.stopped,
                                                 omitted: result.omitted, to: StandardOutput())
        }
        return report.exitCode(result.findings)
    }

    /// `--zone-file`: stream the files through ldns, then check what they hold.
    /// `timed`: with `--timings`, the phases so far; each phase here is added and the line printed.
    private func checkZoneFiles(_ plan: Plan, _ deployment: Deployment, timed: ZoneTimings?) throws -> Int32 {
        var timed = timed
        let collector = ZoneCollector(plan: plan)
        timed?.end(ZoneTimings.setUp)
        let (problems, files) = ZoneFileReader.read(try zoneFileInputs(), into: collector)
        timed?.end(ZoneTimings.reading)
        timed?.recordsPerPass = collector.recordsPerPass
        // Printed before a refusal too: a slow read of a broken file is worth knowing about.
        defer { if let timed { Console.error(timed.line) } }
        guard problems.isEmpty else { throw inputProblems(problems) }
        // Signatures are checked as at now, with the zone's own DNSKEYs (docs/zone-files.md).
        let signatures = noDNSSEC ? nil : SignatureCheckOptions(verifier: ZoneSignatureVerifier(), clock: signatureClock)
        let result = ZoneFileCheck.report(plan: plan, description: input.file, files: files, collector: collector,
                                          signatures: signatures, releasingCollector: true)
        timed?.end(ZoneTimings.check)
        if result.records.allSatisfy({ $0.status == .notCovered }) {
            let zones = collector.zones.keys.sorted().joined(separator: ", ")
            throw inputProblems([Diagnostic(
                "none of the \(result.records.count) planned records lies in the zones of the files given (\(zones))",
                at: SourceLocation(file: zoneFiles[0]),
                suggestion: "give the zone files of the plan's zones (`fedplan dns plan` lists them), or name the zone with --origin")])
        }
        let code = show(result, deployment)
        timed?.end(ZoneTimings.report)
        // The report is needed until it is shown, and freeing its records one by one costs time
        // for nothing just before the process ends (Leftovers.swift); so is the description.
        // Not the collector: it is freed after its last use, before the report is shown, and
        // the report's output reuses that memory (kept, it added up to a mebibyte to the peak).
        Leftovers.keep(result)
        Leftovers.keep(deployment)
        return code
    }

    /// Zone files that cannot be read: every problem, on stderr (and as annotations for
    /// `--format github`, so that a pull request shows them on their lines); exit 2.
    private func inputProblems(_ all: [Diagnostic]) -> Exit {
        // Like a compiler: a file that is not a zone file at all must not flood the log.
        let problems = all.prefix(Self.problemsShown)
        // CI reads stdout: every format gets a document that says why nothing was checked.
        switch format {
        case .text: break
        case .github: Console.out(problems.map { CheckRenderer.githubError($0) }.joined())
        case .json: CheckRenderer.refusalJSON(all, shownLimit: Self.problemsShown, description: input.file, files: zoneFiles,
                                              to: StandardOutput())
        case .junit: CheckRenderer.refusalJUnit(Array(problems), to: StandardOutput())
        case .sarif: SARIFRenderer.problems(Array(problems), version: Fedplan.version, to: StandardOutput())
        }
        Console.error(problems.map(\.description).joined(separator: "\n"))
        if all.count > problems.count { Console.error("… and \(all.count - problems.count) more, not shown") }
        let n = all.count
        Console.error("\(n) problem\(n == 1 ? "" : "s") in the zone files; nothing was checked")
        return Exit(code: ExitStatus.badInput)
    }

    /// Each `--zone-file` with the `--origin` written after it.
    private func zoneFileInputs() throws(ZoneFileArguments.Problem) -> [ZoneFileReader.Input] {
        // The arguments after `dns check`: the program's name and the two command names go.
        try ZoneFileArguments.pair(arguments: Array(CommandLine.arguments.dropFirst()), files: zoneFiles, origins: origin)
    }

    /// `--zone`: the plan cut to those zones, the selection `dns export --zone` makes.
    private func selectedZones(_ plan: Plan) throws -> Plan {
        switch plan.selecting(zones: zone) {
        case .success(let selected): return selected
        case .failure(let unknown):
            Console.error("fedplan dns check: --zone \(Escape.text(unknown.given)): \(unknown.message)")
            throw Exit(code: ExitStatus.badInput)
        }
    }

    private var ipVersion: IPAddress.Version? { ipv4 ? .v4 : ipv6 ? .v6 : nil }

    /// Now, and `--signature-horizon` (validated in `validate`).
    private var signatureClock: SignatureClock {
        let horizon = (try? SignatureHorizon.parse(signatureHorizon).get()) ?? SignatureHorizon.defaultSeconds
        return SignatureClock(horizon: UInt32(horizon))
    }

    /// `--trust-anchor`, else the root key when it is installed, else none (then nothing is
    /// `secure`: docs/dnssec.md).
    private func anchors() throws -> TrustAnchors {
        let paths = !trustAnchor.isEmpty ? trustAnchor
            : FileManager.default.fileExists(atPath: TrustAnchors.rootKeyFile) ? [TrustAnchors.rootKeyFile] : []
        guard !paths.isEmpty else {
            return .none("no trust anchor (\(TrustAnchors.rootKeyFile) is not installed)")
        }
        do {
            let anchors = try TrustAnchors.load(paths)
            for zone in anchors.unusableZones {
                Console.error("note: the trust anchor for \(Escape.text(zone)) has no DS or DNSKEY of a digest type and algorithm ldns supports: \(Escape.text(zone)) is treated as unsigned (insecure), as RFC 4035 §5.2 says")
            }
            return anchors
        } catch {
            Console.error(error.description)
            Console.error("fedplan dns check: the trust anchors cannot be read; nothing was checked")
            throw Exit(code: ExitStatus.badInput)
        }
    }

    /// The `--resolver`s (or the system's), only those of one IP version with -4 or -6.
    private func resolvers() throws -> [ServerAddress] {
        let all = try resolversOrSystem(resolver.flatMap(\.servers), command: "dns check")
        guard let ipVersion else { return all }
        let kept = all.filter { ipVersion.allows($0.address) }
        guard kept.isEmpty else { return kept }
        let source = resolver.isEmpty ? "/etc/resolv.conf names" : "--resolver gives"
        Console.error("fedplan dns check: -\(ipVersion == .v4 ? "4" : "6") asks \(ipVersion.rawValue) servers only, and \(source) none (\(all.map(\.description).joined(separator: ", "))); name one with --resolver, or leave out -\(ipVersion == .v4 ? "4" : "6")")
        throw Exit(code: ExitStatus.badInput)
    }
}
