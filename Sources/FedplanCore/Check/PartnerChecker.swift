/// `dns check --partners`: what each federation partner must publish for federation with it to
/// work (Microsoft's "Planning for SIP, XMPP federation, and public instant messaging in Lync Server 2013"; RFC 6120 §3.2). Pure: the answers come in as values.
public enum PartnerChecker {
    /// One thing a partner must publish.
    public struct Need: Sendable {
        /// `pinnedSRV`: the `_sipfederationtls._tcp` record of a partner federated through a
        /// pinned edge (`allowed_server`), asked only to tell whether it moved to Microsoft 365.
        public enum Kind: Sendable { case sipSRV, edgeHost, xmppSRV, pinnedSRV }
        public var kind: Kind
        /// The name asked: the SRV owner, or the edge host.
        public var name: String
        /// The partner domain (for XMPP fallback, the name whose A/AAAA may stand in for the SRV).
        public var domain: String
        public var location: SourceLocation
    }

    public static func needs(_ deployment: Deployment) -> [Need] {
        var needs: [Need] = []
        for p in deployment.federation.sip.partners {
            if p.kind == .allowedServer, let edge = p.edge {
                needs.append(Need(kind: .edgeHost, name: edge.value.description, domain: p.domain.value.description,
                                  location: p.location))
                needs.append(Need(kind: .pinnedSRV, name: p.domain.value.prepending(["_sipfederationtls", "_tcp"]).description,
                                  domain: p.domain.value.description, location: p.location))
            } else {
                needs.append(Need(kind: .sipSRV, name: p.domain.value.prepending(["_sipfederationtls", "_tcp"]).description,
                                  domain: p.domain.value.description, location: p.location))
            }
        }
        for p in deployment.federation.xmpp?.partners ?? [] {
            for d in [p.domain] + p.additionalDomains {
                needs.append(Need(kind: .xmppSRV, name: d.value.prepending(["_xmpp-server", "_tcp"]).description,
                                  domain: d.value.description, location: d.location))
            }
        }
        return needs
    }

    /// Every question the needs take, asked in one round (the XMPP fallback addresses too).
    public static func questions(_ needs: [Need]) -> [Question] {
        var seen: Set<Question> = []
        return needs.flatMap { need -> [Question] in
            switch need.kind {
            case .sipSRV, .pinnedSRV: [Question(need.name, "SRV")]
            case .edgeHost: [Question(need.name, "A"), Question(need.name, "AAAA")]
            case .xmppSRV: [Question(need.name, "SRV"), Question(need.domain, "A"), Question(need.domain, "AAAA")]
            }
        }.filter { seen.insert($0).inserted }
    }

    /// Microsoft 365's SIP federation host: a partner whose SRV record points here federates
    /// through Microsoft 365 (Teams or Skype for Business Online), not an Edge of its own.
    public static let microsoft365Target = "sipfed.online.lync.com."

    /// The SRV targets a partner's answer names, whose addresses are asked next: distinct, not
    /// `.`, at most `CheckLimits.targetsPerName` per name.
    static func targets(_ need: Need, _ outcomes: [Question: QueryOutcome]) -> [String] {
        guard need.kind == .sipSRV || need.kind == .xmppSRV, case .answer(let a)? = outcomes[Question(need.name, "SRV")] else { return [] }
        return RecordChecker.followedTargets(Observed(answer: a, name: need.name.lowercased()).srvTargets)
    }

    /// The second round: A and AAAA of every partner SRV target, not asked already.
    public static func targetQuestions(_ needs: [Need], outcomes: [Question: QueryOutcome]) -> [Question] {
        var seen = Set(outcomes.keys)
        return needs.flatMap { need in targets(need, outcomes).flatMap { [Question($0, "A"), Question($0, "AAAA")] } }
            .filter { seen.insert($0).inserted }
    }

    public static func check(_ needs: [Need], server: String, outcomes: [Question: QueryOutcome]) -> [Finding] {
        needs.flatMap { need in findings(need, server: server, outcomes: outcomes) }
    }

    /// What one partner's answers say: a missing record, an SRV target without addresses, and
    /// (a notice) a partner whose federation Microsoft 365 hosts.
    static func findings(_ need: Need, server: String, outcomes: [Question: QueryOutcome]) -> [Finding] {
        if need.kind == .pinnedSRV { return pinnedEdgeMoved(need, server: server, outcomes: outcomes) }
        var findings: [Finding] = []
        if let missing = missingRecord(need, server: server, outcomes: outcomes) { return [missing] }
        for target in targets(need, outcomes) {
            if target == microsoft365Target && need.kind == .sipSRV {
                findings.append(Finding(
                    rule: "partner-microsoft-365", severity: .notice, name: need.name, type: "SRV",
                    message: "\(need.domain) federates through Microsoft 365 (its SRV record points at \(target)): its Teams or Skype for Business Online tenant must allow external access with your domain",
                    observed: target, server: server, location: need.location,
                    fix: "nothing in DNS; ask \(need.domain) to allow your domain in its tenant's external access settings"))
            }
            var absent: String?, answered = 0
            for type in ["A", "AAAA"] {
                guard case .answer(let a)? = outcomes[Question(target, type)], a.referral == nil else { continue }
                answered += 1
                let seen = Observed(answer: a, name: target)
                if seen.records(type).isEmpty { absent = absent ?? seen.absence(type).short } else { absent = nil; break }
            }
            // A failed lookup proves nothing: only two answers without addresses are a finding.
            if answered == 2, let absent {
                findings.append(Finding(
                    rule: "srv-target-no-address", severity: .error, name: need.name, type: "SRV",
                    message: "the partner's SRV target \(target) has no A or AAAA record (\(absent)): federation with \(need.domain) cannot connect",
                    observed: absent, server: server, location: need.location,
                    fix: "ask \(need.domain) to publish A/AAAA records for \(target), or to point its SRV record at a host that has them"))
            }
        }
        return findings
    }

    /// A partner pinned to its edge (direct federation) whose domain now federates through
    /// Microsoft 365: the pinned edge no longer serves it ("Update DNS entries to enable your
    /// organization to be all Teams Only": partners on direct federation must change their
    /// configuration). Its SRV record missing or pointing elsewhere says nothing: a pinned
    /// partner needs none.
    static func pinnedEdgeMoved(_ need: Need, server: String, outcomes: [Question: QueryOutcome]) -> [Finding] {
        guard case .answer(let a)? = outcomes[Question(need.name, "SRV")],
              Observed(answer: a, name: need.name.lowercased()).srvTargets.contains(microsoft365Target) else { return [] }
        return [Finding(
            rule: "partner-moved-to-microsoft-365", severity: .warning, name: need.name, type: "SRV",
            message: "\(need.domain) now federates through Microsoft 365 (its SRV record points at \(microsoft365Target)), but the description pins it to its own edge (kind: allowed_server): that edge no longer serves it",
            observed: microsoft365Target, server: server, location: need.location,
            fix: "make \(need.domain) an allowed_domain partner (no edge), and allow sipfed.online.lync.com as a hosting provider on your Edge")]
    }

    static func missingRecord(_ need: Need, server: String, outcomes: [Question: QueryOutcome]) -> Finding? {
        do {
            func missing(_ type: String, _ message: String, fix: String) -> Finding {
                Finding(rule: "partner-srv-missing", severity: .error, name: need.name, type: type, message: message,
                        server: server, location: need.location, fix: fix)
            }
            func failed(_ type: String, _ why: String) -> Finding {
                Finding(rule: "query-failed", severity: .error, name: need.name, type: type,
                        message: "could not verify the partner: \(why)", observed: "query failed", server: server,
                        location: need.location, fix: "make sure \(server) resolves names outside your own zones")
            }
            func addresses(_ name: String) -> (found: Bool, failure: String?) {
                var found = false
                for type in ["A", "AAAA"] {
                    switch outcomes[Question(name, type)] {
                    case .answer(let a)?: found = found || !Observed(answer: a, name: name.lowercased()).records(type).isEmpty
                    case .failed(let why)?: return (false, why)
                    case .notCovered?, nil: return (false, "the question was not asked")
                    }
                }
                return (found, nil)
            }
            switch need.kind {
            case .pinnedSRV:
                return nil  // a pinned partner needs no SRV record (pinnedEdgeMoved reads it)
            case .edgeHost:
                let result = addresses(need.name)
                if let why = result.failure { return failed("A", why) }
                return result.found ? nil : missing("A", "the partner's edge \(need.name) has no A or AAAA record: direct federation with \(need.domain) cannot connect",
                                                    fix: "check the edge FQDN with the partner; it may have moved (direct federation breaks when the partner changes its edge)")
            case .sipSRV, .xmppSRV:
                let service = need.kind == .sipSRV ? "SIP federation" : "XMPP server-to-server"
                switch outcomes[Question(need.name, "SRV")] {
                case .failed(let why)?: return failed("SRV", why)
                case .notCovered?, nil: return failed("SRV", "the question was not asked")
                case .answer(let a)?:
                    let srvs = Observed(answer: a, name: need.name.lowercased()).records(.srv).compactMap(ObservedSRV.init)
                    if srvs.count == 1, srvs[0].target == "." {
                        return missing("SRV", "\(need.domain) says it offers no \(service) (SRV target `.`)",
                                       fix: "ask \(need.domain) whether federation is still meant to work, or remove the partner")
                    }
                    if !srvs.isEmpty { return nil }
                    if need.kind == .xmppSRV {
                        // RFC 6120 §3.2.2: without SRV records, the domain's own addresses, port 5269.
                        let fallback = addresses(need.domain)
                        if fallback.found { return nil }
                        if let why = fallback.failure { return failed("A", why) }
                    }
                    let absent = Observed(answer: a, name: need.name).absence("SRV").long
                    let fallbackNote = need.kind == .xmppSRV ? ", and \(need.domain) has no A/AAAA fallback" : ""
                    return missing("SRV", "\(need.domain) publishes no \(need.name.split(separator: ".").prefix(2).joined(separator: ".")) record: \(absent)\(fallbackNote)",
                                   fix: need.kind == .sipSRV
                                       ? "ask \(need.domain) to publish it, or configure the partner as allowed_server with its edge FQDN"
                                       : "ask \(need.domain) to publish _xmpp-server._tcp (port 5269)")
                }
            }
        }
    }
}
