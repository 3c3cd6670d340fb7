/// Live answers synthesized from a wildcard (RFC 4592). A server's answer does not say that it
/// came from `*.contoso.com.`; without knowing, a finding would say "remove
/// `sip.contoso.com. A 192.0.2.44`", a record that is written nowhere. So for every name with a
/// finding about data it holds, fedplan asks a random label beside it (`fedplan-probe-….<parent>`)
/// and the parent and two more ancestors: when the random name gets the same data, the data
/// comes from a wildcard, owned by the closest ancestor that exists (RFC 4592 §3.3.1): the
/// first that is neither NXDOMAIN nor answered with the same data. Answers from a signed zone
/// need no probe: their signatures name the wildcard (read with the answer).
///
/// No probe names anything above the zone the name is checked in: the ancestors stop at its
/// apex, and a name that is the apex gets no probe at all (a wildcard answers only for names
/// below its owner, and a zone's apex exists). A name whose zone is not known gets none either:
/// through a resolver, a probe above a zone goes to the TLD's or the root's servers.
public enum WildcardProbe {
    /// How many ancestors are asked to find the wildcard's owner.
    static let ancestorsAsked = 3

    /// Rules whose findings are about data a name holds (where a wildcard changes the fix).
    static let dataRules: Set<String> = [
        "srv-target-mismatch", "srv-port-mismatch", "srv-unexpected-target", "srv-priority-weight-mismatch",
        "srv-target-disabled", "address-missing", "address-unexpected", "address-private", "ttl-mismatch", "ttl-zero",
    ]

    /// The questions to ask for one server: per (name, type) with a data finding and records in
    /// the answer, the random sibling and the ancestors up to the name's zone apex. `label` is
    /// the random label to use; `apex` gives the apex of the zone a name is checked in (lower
    /// case, with its final dot), nil when that zone is not known.
    public static func questions(findings: [Finding], outcomes: [Question: QueryOutcome], label: String,
                                 apex: (String) -> String?) -> [Question] {
        var asked: Set<Question> = [], result: [Question] = []
        for (name, type) in dataNames(findings) {
            let f = (name: name, type: type)
            guard let top = apex(f.name.dnsLowercased), f.name.dnsLowercased != top,
                  case .answer(let a)? = outcomes[Question(f.name, type)], !data(a, f.name, type).isEmpty,
                  !signedByWildcard(a, f.name), let parent = parent(of: f.name) else { continue }
            for q in [Question("\(label).\(parent)", type)] + ancestors(of: f.name, upTo: top).map({ Question($0, type) })
            where asked.insert(q).inserted {
                result.append(q)
            }
        }
        return result
    }

    /// The outcomes with the records of every name whose data a wildcard gave marked with that
    /// wildcard's owner (`*.contoso.com.`).
    public static func mark(_ outcomes: [Question: QueryOutcome], findings: [Finding], label: String) -> [Question: QueryOutcome] {
        var marked = outcomes
        for (name, type) in dataNames(findings) {
            let f = (name: name, type: type)
            guard let parent = parent(of: f.name),
                  case .answer(var a)? = marked[Question(f.name, type)],
                  case .answer(let probe)? = outcomes[Question("\(label).\(parent)", type)] else { continue }
            let own = data(a, f.name, type)
            guard !own.isEmpty, own == data(probe, "\(label).\(parent)", type) else { continue }
            // The closest ancestor that exists: the first that is not NXDOMAIN and does not get
            // the wildcard's data itself (then it is synthesized too, so it does not exist).
            let encloser = ancestors(of: f.name).first { name in
                if case .answer(let x)? = outcomes[Question(name, type)] { return x.rcode != .nxDomain && data(x, name, type) != own }
                return false
            }
            let wildcard = "*.\(encloser ?? parent)"
            for k in a.records.indices where a.records[k].owner.dnsLowercased == f.name.dnsLowercased {
                a.records[k].wildcard = wildcard
            }
            marked[Question(f.name, type)] = .answer(a)
        }
        return marked
    }

    /// Each name and type with a finding about data, once: a server that sends a thousand extra
    /// records makes many findings at one name, and the answer is read once, not per finding
    /// (which made the check quadratic in the records answered).
    static func dataNames(_ findings: [Finding]) -> [(String, String)] {
        var seen: Set<Question> = [], result: [(String, String)] = []
        for f in findings where dataRules.contains(f.rule) {
            guard let type = f.type, seen.insert(Question(f.name, type)).inserted else { continue }
            result.append((f.name, type))
        }
        return result
    }

    /// A signed zone's answer already says its records come from a wildcard (the signatures'
    /// Labels field): nothing to probe.
    static func signedByWildcard(_ a: DNSAnswer, _ name: String) -> Bool {
        a.records.contains { $0.wildcard != nil && $0.owner.dnsLowercased == name.dnsLowercased }
    }

    /// The data a name holds for `type` (or its CNAME), comparable between names.
    static func data(_ a: DNSAnswer, _ name: String, _ type: String) -> [String] {
        let code = RRType(mnemonic: type)
        return a.records.filter { $0.owner.dnsLowercased == name.dnsLowercased && ($0.isOf(code, named: type) || $0.code == .cname) }
            .map { "\($0.type) \($0.rdata.joined(separator: " ").dnsLowercased)" }.sorted()
    }

    static func parent(of name: String) -> String? {
        guard let dot = name.firstIndex(of: "."), name.index(after: dot) < name.endIndex else { return nil }
        return String(name[name.index(after: dot)...])
    }

    /// The parent and the ancestors above it, `ancestorsAsked` in all, never above `apex` (the
    /// zone's apex, lower case) and never the root. Nil `apex`: as far as `ancestorsAsked` goes
    /// (`mark` only looks up what was asked).
    static func ancestors(of name: String, upTo apex: String? = nil) -> [String] {
        var result: [String] = [], current = name
        if let apex, !name.dnsLowercased.hasSuffix("." + apex) { return [] }
        while result.count < ancestorsAsked, let up = parent(of: current), up.contains(".") && up != "." {
            result.append(up)
            if let apex, up.dnsLowercased == apex { break }
            current = up
        }
        return result
    }
}
