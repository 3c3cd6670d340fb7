/// What DNS says about DANE for one XMPP SRV target: the TLSA records at
/// `_5269._tcp.<target>` and whether the answers DANE depends on are secure. Read by FedplanDNS.
public struct TLSALookup: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// TLSA records, the first `ObservedList.shown` of them; `total` counts them all.
        case records([TLSAData], total: Int)
        /// No TLSA record (NXDOMAIN or no data): the target does not use DANE.
        case none
        /// The question got no answer: the resolver's or the network's reason.
        case failed(String)
        /// Not asked: why.
        case notChecked(String)
    }

    /// `_5269._tcp.xmpp.contoso.com.`
    public var name: String
    public var outcome: Outcome
    /// The resolver set AD on the TLSA answer (RFC 4035 §3.2.3).
    public var secure: Bool
    /// The `_xmpp-server._tcp` SRV names whose answer was not secure (no AD): partners do not use
    /// DANE for them (RFC 7673 §3).
    public var insecureSRV: [String]

    public init(name: String, outcome: Outcome, secure: Bool = false, insecureSRV: [String] = []) {
        self.name = name
        self.outcome = outcome
        self.secure = secure
        self.insecureSRV = insecureSRV
    }

    /// DANE is used only when the TLSA answer and every SRV answer that leads to it are secure.
    public var usedByPartners: Bool { secure && insecureSRV.isEmpty }
}

/// What ldns's `ldns_dane_verify` said about the served chain and the published records.
public enum DANEMatch: Sendable, Equatable {
    case match
    /// No usable record matches; ldns's reason.
    case noMatch(String)
}

/// DANE for one XMPP endpoint: what was published, and whether it matches what was served.
public struct DANEReport: Sendable, Equatable {
    public var lookup: TLSALookup
    /// nil when there was nothing to compare (no records, no certificate, not checked).
    public var match: DANEMatch?
    /// `3 1 1 …` of the served leaf: what to publish for it.
    public var served: TLSAData?

    public init(lookup: TLSALookup, match: DANEMatch?, served: TLSAData?) {
        self.lookup = lookup
        self.match = match
        self.served = served
    }

    /// `match`, `mismatch`, `unusable` (only records no client can use), `none`,
    /// `lookup-failed`, `not-checked`: the JSON `dane.status`.
    public var status: String {
        switch lookup.outcome {
        case .notChecked: return "not-checked"
        case .failed: return "lookup-failed"
        case .none: return "none"
        case .records(let records, _):
            if !records.contains(where: \.usable) { return "unusable" }
            switch match {
            case .match?: return "match"
            case .noMatch?: return "mismatch"
            case nil: return "not-checked"
            }
        }
    }

    /// One line for the text report.
    public var summary: String {
        let secure = lookup.usedByPartners ? "DNSSEC-secure" : "not DNSSEC-secure, so partners ignore them"
        switch lookup.outcome {
        case .notChecked(let why): return "not checked: \(why)"
        case .failed(let why): return "\(lookup.name) TLSA: no answer (\(why))"
        case .none: return "no TLSA record at \(lookup.name) (DANE is optional; `fedplan cert plan --tlsa CERT` proposes one)"
        case .records(_, let total):
            let count = "\(total) TLSA record\(total == 1 ? "" : "s") at \(lookup.name)"
            switch status {
            case "unusable": return "\(count), none of them usable (unknown usage, selector or matching type)"
            case "match": return "\(count): the certificate matches (\(secure))"
            case "mismatch": return "\(count): none matches the certificate (\(secure))"
            default: return "\(count): not compared (no certificate was read)"
            }
        }
    }
}

/// The DANE rules of `cert check`: `dane-tlsa-mismatch`, `dane-tlsa-insecure`, and
/// `query-failed` for a TLSA question without an answer.
public enum DANEChecker {
    public static func check(_ endpoint: CertificateEndpoint, _ report: DANEReport) -> [Finding] {
        let lookup = report.lookup
        let server = "\(endpoint.connectTo):\(endpoint.port)"
        func finding(_ rule: String, _ severity: Severity, _ message: String, expected: String? = nil, observed: String? = nil,
                     total: Int? = nil, fix: String) -> Finding {
            Finding(rule: rule, severity: severity, name: lookup.name, type: "TLSA", message: "\(endpoint.display): \(message)",
                    expected: expected, observed: observed, server: server, location: endpoint.origin, fix: fix, observedTotal: total)
        }
        switch lookup.outcome {
        case .notChecked, .none: return []
        case .failed(let why):
            return [finding("query-failed", .error, "could not look up the TLSA records at \(lookup.name): \(why)",
                            fix: "check the resolver; a validating resolver answers SERVFAIL when the TLSA answer is bogus, and partners that use DANE then refuse to connect")]
        case .records(let records, let total):
            var findings: [Finding] = []
            // At most `ObservedList.shown` records were taken from the answer; the rest are counted.
            let shown = records.prefix(ObservedList.shown).map(\.presentation)
            let published = (text: shown.joined(separator: ", ") + (total > shown.count ? ", and \(total - shown.count) more" : ""),
                             total: total > shown.count ? Optional(total) : nil)
            let compared = total > records.count ? " (the first \(records.count) of \(total) compared)" : ""
            // Records that no client can use (an unknown usage, selector or matching type) do
            // nothing: what the admin meant to publish is not there.
            if report.status == "unusable" {
                findings.append(finding(
                    "dane-tlsa-unusable", .warning,
                    "none of the TLSA records at \(lookup.name) can be used (RFC 6698 §2.1: usage 0–3, selector 0–1, matching type 0–2)\(compared); clients ignore them, so DANE is not in effect",
                    expected: report.served.map { "\(lookup.name) IN TLSA \($0.presentation)" }, observed: published.text, total: published.total,
                    fix: "publish a DANE-EE record (`fedplan cert plan --tlsa CERT --format zone`) and remove the unusable ones"))
            }
            if case .noMatch(let why)? = report.match {
                let consequence = lookup.usedByPartners
                    ? "partners that use DANE refuse the connection"
                    : "once the answers are DNSSEC-secure, partners that use DANE refuse the connection"
                let publish = report.served.map { "\(lookup.name) IN TLSA \($0.presentation)" }
                findings.append(finding(
                    "dane-tlsa-mismatch", .error,
                    "no TLSA record at \(lookup.name) matches the certificate served (\(why))\(compared); \(consequence)",
                    expected: publish, observed: published.text, total: published.total,
                    fix: publish.map { "publish `\($0)` (`fedplan cert plan --tlsa CERT`) beside the old records, and remove those only once no server presents the old certificate (RFC 7671 §8.1)" }
                        ?? "publish a TLSA record for the certificate the server presents (`fedplan cert plan --tlsa CERT`)"))
            }
            if !lookup.usedByPartners {
                var insecure: [String] = []
                if !lookup.secure { insecure.append("the TLSA answer") }
                if !lookup.insecureSRV.isEmpty {
                    let names = ObservedList.cut(lookup.insecureSRV)
                    insecure.append("the SRV answer\(lookup.insecureSRV.count == 1 ? "" : "s") for \(names.text)")
                }
                findings.append(finding(
                    "dane-tlsa-insecure", .warning,
                    "TLSA records are published at \(lookup.name), but \(insecure.joined(separator: " and ")) \(insecure.count == 1 && lookup.insecureSRV.count <= 1 ? "is" : "are") not DNSSEC-secure (the resolver did not set AD); partners use DANE only over secure SRV and TLSA answers (RFC 7673 §3), so they ignore these records",
                    expected: "secure (AD) answers", observed: published.text, total: published.total,
                    fix: "sign the zones of the SRV and TLSA records and publish their DS records at the parents; check through a validating resolver (--resolver)"))
            }
            return findings
        }
    }
}
