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
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, openssl, zone }

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

        DANE for XMPP federation (RFC 7673): --tlsa CERT_OR_KEY (a certificate, PEM or DER, a public \
        key or a private key; repeated for the old and the new certificate of a rollover) adds the TLSA record to publish at _5269._tcp.<XMPP proxy> for every XMPP \
        SRV target: TLSA 3 1 1, the SHA-256 of the key (RFC 7671 §5.1), made by ldns. It is used \
        only in a DNSSEC-signed zone. --format zone writes just those records, for the zone file. \
        Publish the new record before switching certificates (RFC 7671 §8.1).

        Examples:
          fedplan cert plan
          fedplan cert plan --server-version sfb2015 --format markdown > certificate.md
          fedplan cert plan --tlsa edge.pem --format zone >> contoso.com.zone
          fedplan cert plan --tlsa old.pem --tlsa new.pem --format zone
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "The Edge's release, which decides the XMPP names: lync2013 or sfb2015 (default: the description's product:).")
    var serverVersion: ServerVersion?

    @Option(help: "Output format: table, json, markdown, openssl, or zone (the TLSA records of --tlsa).")
    var format: Format = .table

    @Option(help: ArgumentHelp("Propose the DANE TLSA record (3 1 1) for the XMPP proxy from this certificate (PEM or DER), public key or private key; repeat it during a rollover for the records of the old and the new certificate.",
                               valueName: "cert-or-key"),
            completion: .file(extensions: ["pem", "crt", "cer", "der", "key", "pub"]))
    var tlsa: [String] = []

    func validate() throws {
        if format == .zone && tlsa.isEmpty {
            throw ValidationError("--format zone writes the TLSA records: give --tlsa CERT_OR_KEY")
        }
        if format == .openssl && !tlsa.isEmpty {
            throw ValidationError("--format openssl writes the certificate request only; the TLSA record of --tlsa is in table, markdown, json and zone")
        }
    }

    func run() throws {
        try withExitCode {
            let json = format == .json
            let (deployment, dnsPlan) = try input.load(json: json)
            let plan = CertificatePlanner.plan(deployment, version: try input.certificateVersion(deployment, given: serverVersion, json: json))
            // One record per file and target, in the order given: during a rollover both the old
            // and the new certificate's records are published (RFC 7671 §8.1).
            let records: [PlannedTLSA]? = tlsa.isEmpty ? nil : try tlsa.flatMap { try tlsaRecords(deployment, dnsPlan, file: $0) }
            switch format {
            case .table: Console.out(CertificateRenderer.table(plan, tlsa: records ?? []))
            case .markdown: Console.out(CertificateRenderer.markdown(plan, tlsa: records ?? []))
            case .json: Console.out(CertificateRenderer.json(plan, file: input.file, tlsa: records))
            case .openssl: Console.out(CertificateRenderer.openSSLConfig(plan))
            case .zone: Console.out(CertificateRenderer.zone(records ?? []))
            }
            return 0
        }
    }

    /// The TLSA records for `file`; a file that is not a certificate or key, or a description
    /// without XMPP federation, is an input problem (exit 2) that names the file.
    func tlsaRecords(_ deployment: Deployment, _ dnsPlan: Plan, file: String) throws -> [PlannedTLSA] {
        let data: TLSAData
        switch DescriptionOptions.read(file) {
        case .failure(let problem): throw refuse(Diagnostic("--tlsa: \(problem.message)", at: problem.location, suggestion: problem.suggestion))
        case .success(let bytes):
            switch DANE.tlsa(pem: Array(bytes)) {
            case .success(let (d, _)): data = d
            case .failure(let problem): throw refuse(Diagnostic("--tlsa: \(problem.reason)", at: SourceLocation(file: file)))
            }
        }
        do {
            return try DANEPlanner.plan(deployment, dnsPlan, data: data, keyFile: file, description: input.file)
        } catch {
            throw refuse(error.diagnostics)
        }
    }

    private func refuse(_ diagnostic: Diagnostic) -> Exit { refuse([diagnostic]) }

    private func refuse(_ diagnostics: [Diagnostic]) -> Exit {
        Console.error(diagnostics.map(\.description).joined(separator: "\n"))
        return Exit(code: ExitStatus.badInput)
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

        DANE (RFC 7673): for the XMPP proxy, the TLSA records at _5269._tcp.<proxy> are asked \
        of the resolver and compared with the certificate served after STARTTLS (ldns's \
        ldns_dane_verify): dane-tlsa-mismatch when none matches, dane-tlsa-insecure when the TLSA \
        or _xmpp-server._tcp SRV answers are not DNSSEC-secure (the resolver's AD bit: ask a \
        validating resolver). No TLSA record is not a finding. With --xmpp-target and no \
        --resolver, no DNS is asked and DANE is not checked.

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
            let dane = try lookUpTLSA(planned, deployment, deadline: ends)
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
                var findings = CertificateChecker.check(endpoint, outcome, now: now)
                var report: DANEReport?
                if endpoint.service == .xmpp, let lookup = dane[endpoint.host] {
                    report = Self.compare(lookup, outcome, caFile: caFile)
                    findings += DANEChecker.check(endpoint, report!)
                }
                return CertificateCheckResult(endpoint: endpoint, outcome: outcome, findings: findings, dane: report)
            }
            switch format {
            case .text:
                Console.out(CertificateCheckRenderer.text(results, description: input.file,
                                                          color: Console.useColor(report.colorChoice, fd: STDOUT_FILENO)))
            case .json: Console.out(CertificateCheckRenderer.json(results, description: input.file))
            case .junit: Console.out(CertificateCheckRenderer.junit(results, description: input.file, strict: report.strict))
            case .github: Console.out(CertificateCheckRenderer.github(results, description: input.file, strict: report.strict))
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

    /// The TLSA records of every XMPP endpoint's host (the SRV target), with the AD bit of
    /// their answer and of the XMPP domains' SRV answers. Asked only when DNS is asked anyway:
    /// with --xmpp-target and no --resolver nothing is (each report says so).
    func lookUpTLSA(_ endpoints: [CertificateEndpoint], _ deployment: Deployment, deadline: Double) throws -> [String: TLSALookup] {
        let hosts = Array(Set(endpoints.filter { $0.service == .xmpp }.map(\.host))).sorted()
        guard !hosts.isEmpty else { return [:] }
        guard xmppTarget.isEmpty || !resolver.isEmpty else {
            let why = "--xmpp-target without --resolver asks no DNS; give --resolver to compare the TLSA records"
            return Dictionary(uniqueKeysWithValues: hosts.map {
                ($0, TLSALookup(name: DANELookup.tlsaName(target: $0, port: Self.xmppPort), outcome: .notChecked(why)))
            })
        }
        var options = QueryOptions()
        options.timeout = min(timeout, 5)
        options.deadline = deadline
        let srvNames = (deployment.federation.xmpp?.domains ?? []).map { $0.prepending("_xmpp-server._tcp").description }
        return DANELookup.run(targets: hosts, port: Self.xmppPort, srvNames: srvNames, server: try resolvers()[0], options: options)
    }

    /// The planned SRV port of XMPP server-to-server federation: the TLSA name's port (RFC 7673
    /// §3), whatever port --xmpp-target connects to.
    static let xmppPort: UInt16 = 5269

    /// The published records against the presented chain, by ldns.
    static func compare(_ lookup: TLSALookup, _ outcome: TLSOutcome, caFile: String?) -> DANEReport {
        guard case .presented(let chain, _) = outcome, let leaf = chain.first else {
            return DANEReport(lookup: lookup, match: nil, served: nil)
        }
        var match: DANEMatch?
        if case .records(let records, _) = lookup.outcome {
            match = DANE.verify(records, chain: chain.map(\.der), caFile: caFile)
        }
        return DANEReport(lookup: lookup, match: match, served: DANE.tlsa(der: leaf.der))
    }

    private func resolvers() throws -> [ServerAddress] {
        try resolversOrSystem(resolver.flatMap(\.servers), command: "cert check")
    }
}
