import Foundation

/// One endpoint's certificate check: what it presented and what is wrong with it.
public struct CertificateCheckResult: Sendable {
    public var endpoint: CertificateEndpoint
    public var outcome: TLSOutcome
    public var findings: [Finding]
    /// XMPP endpoints: the TLSA records published for the proxy and how they compare.
    public var dane: DANEReport?

    public init(endpoint: CertificateEndpoint, outcome: TLSOutcome, findings: [Finding], dane: DANEReport? = nil) {
        self.endpoint = endpoint
        self.outcome = outcome
        self.findings = findings
        self.dane = dane
    }

    public var status: String {
        if findings.contains(where: { ExitStatus.unverifiedRules.contains($0.rule) }) { return "unverified" }
        return findings.map(\.severity).min().map(\.rawValue) ?? "ok"
    }
}

/// `cert check` output: text for people, JSON for scripts, GitHub annotations for CI.
public enum CertificateCheckRenderer {
    public static func text(_ results: [CertificateCheckResult], description: String, color: Bool = false) -> String {
        var out = "Certificate check of \(Escape.text(description)): \(results.count) endpoint\(results.count == 1 ? "" : "s")\n"
        for r in results.sorted(by: { rank($0) < rank($1) }) {
            out += "\n\(Escape.text(r.endpoint.display))\n"
            if case .presented(let chain, _) = r.outcome, let leaf = chain.first {
                out += "  subject: \(Escape.text(leaf.subject))   issuer: \(Escape.text(leaf.issuer))\n"
                out += "  names:   \(Escape.text((leaf.dnsNames ?? []).joined(separator: ", ")))\n"
                out += "  valid:   \(CertificateChecker.date(leaf.notBefore)) to \(CertificateChecker.date(leaf.notAfter))\n"
            }
            if let dane = r.dane { out += "  DANE:    \(Escape.text(dane.summary))\n" }
            for f in r.findings {
                out += CheckRenderer.block(f, color: color, multiServer: false, description: f.location?.file ?? description)
            }
            if r.findings.isEmpty { out += "  ok\n" }
        }
        let s = summary(results)
        out += "\n\(s.endpoints) endpoint\(s.endpoints == 1 ? "" : "s"): \(s.ok) ok, \(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.unverified) unverified\n"
        return out
    }

    static func rank(_ r: CertificateCheckResult) -> Int {
        ["error": 0, "unverified": 1, "warning": 2, "notice": 3, "ok": 4][r.status] ?? 5
    }

    public struct Summary: Codable, Equatable {
        public var endpoints: Int
        public var ok: Int
        public var errors: Int
        public var warnings: Int
        public var unverified: Int
    }

    public static func summary(_ results: [CertificateCheckResult]) -> Summary {
        let findings = results.flatMap(\.findings)
        return Summary(endpoints: results.count, ok: results.filter { $0.status == "ok" }.count,
                       errors: findings.filter { $0.severity == .error && !ExitStatus.unverifiedRules.contains($0.rule) }.count,
                       warnings: findings.filter { $0.severity == .warning }.count,
                       unverified: results.filter { $0.status == "unverified" }.count)
    }

    public struct CertificateJSON: Codable, Equatable {
        public var subject: String
        public var issuer: String
        public var dns_names: [String]
        public var not_before: String
        public var not_after: String
        public var server_auth: Bool
        public var self_signed: Bool
    }

    public struct EndpointJSON: Codable, Equatable {
        public var service: String
        public var host: String
        public var address: String
        public var port: UInt16
        public var status: String
        public var expected_names: [String]
        public var chain: [CertificateJSON]
        public var trust: String?
        /// XMPP endpoints only.
        public var dane: DANEJSON?
    }

    public struct DANEJSON: Codable, Equatable {
        /// `_5269._tcp.<proxy>.`
        public var name: String
        /// `match`, `mismatch`, `unusable`, `none`, `lookup-failed`, `not-checked`.
        public var status: String
        /// The TLSA and SRV answers were DNSSEC-secure (AD); nil when not asked.
        public var secure: Bool?
        /// The SRV names whose answer was not secure.
        public var insecure_srv: [String]
        /// The published records (`3 1 1 …`), at most 16.
        public var records: [String]
        public var records_not_shown: Int
        /// The DANE-EE SPKI SHA-256 record of the served certificate.
        public var served: String?
        /// Why not checked, why the lookup failed, or ldns's verdict on a mismatch.
        public var reason: String?

        init(_ d: DANEReport) {
            name = Escape.text(d.lookup.name)
            status = d.status
            insecure_srv = d.lookup.insecureSRV.prefix(ObservedList.shown).map(Escape.text)
            served = d.served?.presentation
            records = []
            records_not_shown = 0
            switch d.lookup.outcome {
            case .notChecked(let why): reason = Escape.text(why)
            case .failed(let why): reason = Escape.text(why); secure = false
            case .none: secure = d.lookup.usedByPartners
            case .records(let list, let total):
                secure = d.lookup.usedByPartners
                records = list.prefix(ObservedList.shown).map(\.presentation)
                records_not_shown = total - records.count
                if case .noMatch(let why)? = d.match { reason = Escape.text(why) }
            }
        }
    }

    public struct Document: Codable, Equatable {
        public var schema: Int = 1
        public var description: String
        public var summary: Summary
        public var endpoints: [EndpointJSON]
        public var findings: [JSONDocuments.FindingJSON]
    }

    public static func json(_ results: [CertificateCheckResult], description: String) -> String {
        JSONDocuments.encode(Document(
            description: Escape.text(description), summary: summary(results),
            endpoints: results.map { r in
                var chain: [CertificateJSON] = []
                var trust: String?
                if case .presented(let certificates, let verdict) = r.outcome {
                    chain = certificates.map {
                        CertificateJSON(subject: Escape.text($0.subject), issuer: Escape.text($0.issuer),
                                        dns_names: ($0.dnsNames ?? []).map(Escape.text),
                                        not_before: CertificateChecker.date($0.notBefore),
                                        not_after: CertificateChecker.date($0.notAfter),
                                        server_auth: $0.serverAuth, self_signed: $0.selfSigned)
                    }
                    trust = switch verdict {
                    case .trusted: "trusted"
                    case .selfSigned: "self-signed"
                    case .incomplete: "incomplete"
                    }
                }
                return EndpointJSON(service: r.endpoint.service.rawValue, host: r.endpoint.host,
                                    address: Escape.text(r.endpoint.connectTo), port: r.endpoint.port, status: r.status,
                                    expected_names: r.endpoint.expectedNames.map(\.name), chain: chain, trust: trust,
                                    dane: r.dane.map(DANEJSON.init))
            },
            findings: results.flatMap(\.findings).map(JSONDocuments.FindingJSON.init)))
    }

    /// One test case per endpoint; errors fail it, an endpoint that could not be read is a JUnit error.
    /// Warnings, as in `dns check` (`CheckJUnit`): with `strict` they fail the test case, as they
    /// fail the check (exit 1), unless acknowledged; otherwise they are lines of its `<system-out>`.
    public static func junit(_ results: [CertificateCheckResult], description: String, strict: Bool = false) -> String {
        func failing(_ f: Finding) -> Bool { f.severity == .error || (strict && f.severity == .warning && f.acknowledged == nil) }
        let failures = results.filter { $0.status != "unverified" && $0.findings.contains(where: failing) }.count
        let errors = results.filter { $0.status == "unverified" }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"fedplan cert check\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        out += "  <testsuite name=\"\(CheckRenderer.xml(description))\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"\(errors)\">\n"
        for r in results {
            out += "    <testcase classname=\"\(CheckRenderer.xml(r.endpoint.service.rawValue))\" name=\"\(CheckRenderer.xml(r.endpoint.display))\""
            let bad = r.findings.filter { $0.severity == .error } + r.findings.filter { $0.severity == .warning && failing($0) }
            let passing = r.findings.filter { $0.severity == .warning && !failing($0) }
            let systemOut = passing.isEmpty ? "" : "      <system-out>"
                + passing.map { f in
                    CheckRenderer.xml("warning: [\(f.rule)] \(f.message)" + (f.fix.map { " — fix: \($0)" } ?? "")
                                      + (f.acknowledged.map { " (acknowledged in the description: \($0))" } ?? ""))
                }
                .joined(separator: "\n") + "</system-out>\n"
            guard let first = bad.first else {
                out += systemOut.isEmpty ? "/>\n" : ">\n" + systemOut + "    </testcase>\n"
                continue
            }
            let tag = r.status == "unverified" ? "error" : "failure"
            let prefix = first.severity == .warning ? "warning (--strict): " : ""
            out += ">\n      <\(tag) type=\"\(CheckRenderer.xml(first.rule))\" message=\"\(prefix)\(CheckRenderer.xml(first.message))\">"
            out += bad.map { CheckRenderer.xml("[\($0.rule)] \($0.message)" + ($0.fix.map { " — fix: \($0)" } ?? "")) }.joined(separator: "\n")
            out += "</\(tag)>\n" + systemOut + "    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }

    public static func github(_ results: [CertificateCheckResult], description: String, strict: Bool = false) -> String {
        let report = CheckReport(description: description, servers: [], records: [], findings: results.flatMap(\.findings),
                                 stopped: nil)
        return CheckRenderer.github(report, strict: strict)
    }
}
