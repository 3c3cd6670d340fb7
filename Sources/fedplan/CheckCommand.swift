import ArgumentParser
import FedplanCore
import FedplanDNS
import Foundation

extension ServerAddress: ExpressibleByArgument {
    public init?(argument: String) {
        guard let parsed = ServerAddress.parse(argument) else { return nil }
        self = parsed
    }
}

struct CheckCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit, github }

    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the plan against live DNS servers, record by record.",
        discussion: """
        Every planned RRset is asked of every resolver (the system resolvers of /etc/resolv.conf \
        by default), then the addresses of every SRV target the servers return. A query that \
        fails is query-failed and its record unverified (exit 3), never missing.

        Examples:
          fedplan dns check
          fedplan dns check --resolver 192.0.2.53 --resolver [2001:db8::53]:5353
          fedplan dns check --format github --strict
          fedplan dns check --format json | jq '.records[] | select(.status != "ok")'
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: ArgumentHelp("A server to ask: IP, IP:PORT or [IPv6]:PORT (repeatable).", valueName: "address"))
    var resolver: [ServerAddress] = []

    @Option(help: "Seconds to wait for each answer.")
    var timeout: Double = 2

    @Option(help: "Further tries after a timeout.")
    var retries: Int = 1

    @Flag(help: "Query over TCP only (default: UDP, and TCP when an answer is truncated).")
    var tcp = false

    @Option(help: "Queries in flight at once.")
    var concurrency: Int = 64

    @Option(help: "Output format: text, json, junit or github.")
    var format: Format = .text

    @OptionGroup var report: ReportOptions

    @Flag(help: "Print only errors and the summary.")
    var quiet = false

    @Flag(help: "Find each zone's NS set through the resolver and ask every address of every name server directly (port 53, no recursion); compare answers and SOA serials.")
    var authoritative = false

    @Flag(help: "Also check what each federation partner publishes (_sipfederationtls._tcp, the edge of allowed_server partners, _xmpp-server._tcp or its A/AAAA fallback).")
    var partners = false

    @Option(name: .customLong("zone-file"), help: "Not available yet: check zone files instead of live DNS.")
    var zoneFiles: [String] = []

    func validate() throws {
        if !zoneFiles.isEmpty {
            throw ValidationError("--zone-file is not available in this version yet")
        }
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be between 0 and 60 seconds") }
        guard (0...10).contains(retries) else { throw ValidationError("--retries must be between 0 and 10") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be between 1 and 1000") }
    }

    func run() throws {
        try withExitCode {
            let (deployment, plan) = try input.load(json: format == .json)
            let servers = try resolvers()
            var options = QueryOptions()
            options.timeout = timeout
            options.retries = retries
            options.tcpOnly = tcp
            options.concurrency = concurrency
            var result = authoritative
                ? AuthoritativeCheck.run(plan: plan, description: input.file, resolvers: servers, options: options)
                : LiveCheck.run(plan: plan, description: input.file, servers: servers, options: options)
            if partners {
                result = CheckReport.merge([result], extraFindings: PartnerCheck.run(deployment, resolvers: servers, options: options),
                                           description: input.file)
            }
            switch format {
            case .text:
                let text = CheckRenderer.text(result, color: Console.useColor(disabled: report.noColor, fd: STDOUT_FILENO),
                                              quiet: quiet)
                Console.out(text)
            case .json: Console.out(CheckRenderer.json(result))
            case .junit: Console.out(CheckRenderer.junit(result))
            case .github: Console.out(CheckRenderer.github(result))
            }
            return report.exitCode(result.findings)
        }
    }

    private func resolvers() throws -> [ServerAddress] {
        if !resolver.isEmpty { return resolver }
        let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
        let found = ServerAddress.fromResolvConf(text)
        if found.isEmpty {
            Console.error("fedplan dns check: no nameserver in /etc/resolv.conf; name one with --resolver")
            throw Exit(code: ExitStatus.badInput)
        }
        return found
    }
}
