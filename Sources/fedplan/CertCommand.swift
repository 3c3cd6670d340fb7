import ArgumentParser
import FedplanCore
import FedplanDNS
import FedplanTLS
import Foundation

struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Plan the external Edge certificate, and check the certificates the Edges present.",
        subcommands: [CertPlanCommand.self, CertCheckCommand.self]
    )
}

extension ServerVersion: ExpressibleByArgument {}

struct CertPlanCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, openssl }

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The external Edge certificate the description needs: subject, every SAN with its reason, EKUs.",
        discussion: """
        The SANs: the Access Edge FQDN, the web conferencing FQDN, sip.<domain> for every SIP \
        domain, the XMPP proxy FQDN, and the XMPP names (Lync Server 2013: each XMPP domain; Skype \
        for Business Server 2015: xmpp.<domain> and *.<domain>). The client EKU is added only \
        for public IM with AOL.

        --format openssl writes an OpenSSL request configuration:
          fedplan cert plan --format openssl > edge.cnf
          openssl req -new -config edge.cnf -newkey rsa:2048 -nodes -keyout edge.key -out edge.csr

        Examples:
          fedplan cert plan
          fedplan cert plan --server-version sfb2015 --format markdown > certificate.md
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "The Edge's release, which decides the XMPP names: lync2013 or sfb2015 (default: the description's product:).")
    var serverVersion: ServerVersion?

    @Option(help: "Output format: table, json, markdown or openssl.")
    var format: Format = .table

    func run() throws {
        try withExitCode {
            let (deployment, _) = try input.load(json: format == .json)
            let plan = CertificatePlanner.plan(deployment, version: try input.certificateVersion(deployment, given: serverVersion, json: format == .json))
            switch format {
            case .table: Console.out(CertificateRenderer.table(plan))
            case .markdown: Console.out(CertificateRenderer.markdown(plan))
            case .json: Console.out(CertificateRenderer.json(plan, file: input.file))
            case .openssl: Console.out(CertificateRenderer.openSSLConfig(plan))
            }
            return 0
        }
    }
}

struct CertCheckCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, junit, github, sarif }

    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Connect to each federation endpoint and check the certificate it presents.",
        discussion: """
        The endpoints are the SRV targets of the plan: the Access Edge on 5061 (TLS) and the XMPP \
        proxy on 5269 (XMPP STARTTLS, then TLS). Their addresses are asked of the resolvers \
        (through ldns), and every address is checked: each Edge server of a pool presents its own \
        copy of the certificate. With --target / --xmpp-target, only those endpoints are checked.

        Findings: cert-name-missing (the SRV target, sip.<domain> or an XMPP name is not in the \
        SANs), cert-expired, cert-expiring (within 30 days), cert-eku-missing (no Server \
        Authentication), cert-chain-incomplete, cert-self-signed, and cert-check-failed when \
        nothing could be read (exit 3).

        Examples:
          fedplan cert check
          fedplan cert check --target 131.107.155.10 --xmpp-target 131.107.155.10
          fedplan cert check --target edge01.contoso.com:5061 --ca-file internal-ca.pem --format json
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: ArgumentHelp("Check SIP federation (TLS) here instead: HOST, HOST:PORT or [IPv6]:PORT; port 5061 by default (repeatable).",
                               valueName: "host"))
    var target: [String] = []

    @Option(name: .customLong("xmpp-target"),
            help: ArgumentHelp("Check XMPP federation (STARTTLS) here instead; port 5269 by default (repeatable).", valueName: "host"))
    var xmppTarget: [String] = []

    @Option(help: ArgumentHelp("A DNS server for the endpoints' addresses (repeatable); default: /etc/resolv.conf.",
                               valueName: "address"), transform: ResolverArgument.parse)
    var resolver: [ResolverArgument] = []

    @Option(help: ArgumentHelp("Trust the CA certificates in this PEM file instead of the system's.", valueName: "file"),
            completion: .file())
    var caFile: String?

    @Option(help: "Seconds for the whole exchange with one endpoint.")
    var timeout: Double = 5

    @Option(help: "Seconds the whole check may take; endpoints not reached by then are cert-check-failed.")
    var deadline: Double = 120

    @Option(help: "The Edge's release, which decides the XMPP names: lync2013 or sfb2015 (default: the description's product:).")
    var serverVersion: ServerVersion?

    @Option(help: "Output format: text, json, junit, github or sarif.")
    var format: Format = .text

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard timeout > 0, timeout <= 120 else { throw ValidationError("--timeout must be more than 0 and at most 120 seconds") }
        guard deadline > 0, deadline <= 86_400 else { throw ValidationError("--deadline must be more than 0 and at most 86400 seconds") }
        for t in target + xmppTarget where Self.hostAndPort(t, defaultPort: 1) == nil {
            throw ValidationError("'\(t)' is not HOST, HOST:PORT or [IPv6]:PORT")
        }
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ValidationError("--ca-file: cannot read \(caFile)")
        }
    }

    func run() throws {
        try withExitCode {
            let (deployment, _) = try input.load(json: format == .json)
            var planned = CertificateChecker.endpoints(deployment, version: try input.certificateVersion(deployment, given: serverVersion, json: format == .json))
            if !target.isEmpty || !xmppTarget.isEmpty {
                planned = Self.overridden(planned, sip: target, xmpp: xmppTarget)
            }
            let ends = QueryOptions.now() + deadline
            let endpoints = try resolve(planned, deadline: ends)
            var options = TLSProbe.Options()
            options.caFile = caFile
            let now = Int64(Date().timeIntervalSince1970)
            // One endpoint after another, each within what is left of the deadline: many
            // addresses that all stall cost --deadline at most, not --timeout times their number.
            let results = endpoints.map { endpoint, failure -> CertificateCheckResult in
                let left = ends - QueryOptions.now()
                options.timeout = min(timeout, left)
                let outcome = failure.map(TLSOutcome.failed)
                    ?? (left <= 0 ? .failed("not checked: the deadline of \(QueryEngine.seconds(deadline)) passed (--deadline)")
                                  : TLSProbe.probe(endpoint, options: options))
                return CertificateCheckResult(endpoint: endpoint, outcome: outcome,
                                              findings: CertificateChecker.check(endpoint, outcome, now: now))
            }
            switch format {
            case .text:
                Console.out(CertificateCheckRenderer.text(results, description: input.file,
                                                          color: Console.useColor(report.colorChoice, fd: STDOUT_FILENO)))
            case .json: Console.out(CertificateCheckRenderer.json(results, description: input.file))
            case .junit: Console.out(CertificateCheckRenderer.junit(results, description: input.file))
            case .github: Console.out(CertificateCheckRenderer.github(results, description: input.file))
            case .sarif: SARIFRenderer.findings(results.flatMap(\.findings), version: Fedplan.version, to: StandardOutput())
            }
            return report.exitCode(results.flatMap(\.findings))
        }
    }

    /// `host`, `host:port`, `[v6]:port` or a bare IPv6 address.
    static func hostAndPort(_ text: String, defaultPort: UInt16) -> (host: String, port: UInt16)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, defaultPort) }
            guard rest.hasPrefix(":"), let port = UInt16(rest.dropFirst()), port > 0 else { return nil }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count > 2 { return IPAddress(text) == nil ? nil : (text, defaultPort) }
        guard let host = parts.first, !host.isEmpty else { return nil }
        if parts.count == 1 { return (String(host), defaultPort) }
        guard let port = UInt16(parts[1]), port > 0 else { return nil }
        return (String(host), port)
    }

    /// The planned endpoints, connected to where the user said instead.
    static func overridden(_ planned: [CertificateEndpoint], sip: [String], xmpp: [String]) -> [CertificateEndpoint] {
        var out: [CertificateEndpoint] = []
        for (service, targets, port) in [(CertificateEndpoint.Service.sip, sip, UInt16(5061)), (.xmpp, xmpp, 5269)] {
            guard let base = planned.first(where: { $0.service == service }) else { continue }
            for t in targets {
                guard let (host, p) = hostAndPort(t, defaultPort: port) else { continue }
                var endpoint = base
                endpoint.connectTo = host
                endpoint.port = p
                out.append(endpoint)
            }
        }
        return out
    }

    /// Each endpoint at every address of its host (asked through ldns); an endpoint whose host
    /// has none comes back with the reason.
    func resolve(_ endpoints: [CertificateEndpoint], deadline: Double) throws -> [(CertificateEndpoint, String?)] {
        let names = Set(endpoints.map(\.connectTo).filter { IPAddress($0) == nil }.map { $0.hasSuffix(".") ? $0 : $0 + "." })
        var addresses: [String: [String]] = [:]
        var problems: [String: String] = [:]
        if !names.isEmpty {
            let servers = try resolvers()
            var options = QueryOptions()
            options.timeout = min(timeout, 5)
            options.deadline = deadline
            let questions = names.sorted().flatMap { n in ["A", "AAAA"].map { Question(n, $0) } }
            let answers = QueryEngine(options: options).run(questions.map { Query($0, to: servers[0]) })
            for q in questions {
                switch answers[Query(q, to: servers[0])] {
                case .answer(let a)?:
                    addresses[q.name, default: []] += a.records.filter { $0.type == q.type }.compactMap(\.rdata.first)
                case .failed(let why)?: problems[q.name] = why
                default: break
                }
            }
        }
        return endpoints.flatMap { e -> [(CertificateEndpoint, String?)] in
            if IPAddress(e.connectTo) != nil { return [(e, nil)] }
            let name = e.connectTo.hasSuffix(".") ? e.connectTo : e.connectTo + "."
            // Distinct, and at most CheckLimits.addressesPerHost of them: one TCP answer holds
            // thousands of addresses, and each costs a TLS handshake or a timeout.
            var found: [String] = []
            for ip in addresses[name] ?? [] where !found.contains(ip) && found.count < CheckLimits.addressesPerHost { found.append(ip) }
            guard !found.isEmpty else {
                return [(e, "\(e.connectTo) has no A or AAAA record" + (problems[name].map { " (\($0))" } ?? ""))]
            }
            return found.map { ip in
                var copy = e
                copy.connectTo = ip
                return (copy, nil)
            }
        }
    }

    private func resolvers() throws -> [ServerAddress] {
        try resolversOrSystem(resolver.flatMap(\.servers), command: "cert check")
    }
}
