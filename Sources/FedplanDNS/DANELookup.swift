import FedplanCore

/// The DNS side of DANE for XMPP (RFC 7673 §3): the TLSA records at `_5269._tcp.<target>` of
/// each SRV target, and whether the resolver vouched (AD) for them and for the
/// `_xmpp-server._tcp` SRV answers that lead there. Asked once per name, all in flight together.
public enum DANELookup {
    /// The TLSA owner for an SRV target and port: `_5269._tcp.xmpp.contoso.com.`.
    public static func tlsaName(target: String, port: UInt16) -> String {
        let host = target.hasSuffix(".") ? target : target + "."
        return "_\(port)._tcp.\(host)".dnsLowercased
    }

    /// `targets`: SRV target names; `srvNames`: the `_xmpp-server._tcp.<domain>.` names whose
    /// answers must be secure too. Keyed by target, as given.
    public static func run(targets: [String], port: UInt16, srvNames: [String], server: ServerAddress,
                           options: QueryOptions) -> [String: TLSALookup] {
        let tlsa = Dictionary(targets.map { ($0, Question(tlsaName(target: $0, port: port), "TLSA")) }, uniquingKeysWith: { a, _ in a })
        let srv = Set(srvNames.map { Question($0.hasSuffix(".") ? $0 : $0 + ".", "SRV") }).sorted { $0.name < $1.name }
        let questions = Array(Set(tlsa.values)).sorted { $0.name < $1.name } + srv
        let answers = QueryEngine(options: options).run(questions.map { Query($0, to: server) })
        // An SRV answer that is not secure, or that did not come: partners cannot use DANE through it.
        let insecureSRV = srv.filter { q in
            guard case .answer(let a)? = answers[Query(q, to: server)], a.referral == nil else { return true }
            return !a.authenticated
        }.map(\.name)
        var out: [String: TLSALookup] = [:]
        for (target, q) in tlsa {
            let name = q.name
            switch answers[Query(q, to: server)] {
            case .answer(let a)? where a.referral != nil:
                out[target] = TLSALookup(name: name, outcome: .failed("the server referred the question to \(a.referral!.zoneCut) instead of answering it; ask a resolver (--resolver)"))
            case .answer(let a)?:
                let records = a.records.filter { $0.code == .tlsa }
                // ldns lays every TLSA record it parses out as four fields; one that is not is left
                // out of the comparison (and counted in the total).
                let typed = records.prefix(ObservedList.shown).compactMap(TLSAData.init)
                out[target] = TLSALookup(name: name, outcome: records.isEmpty ? .none : .records(Array(typed), total: records.count),
                                         secure: a.authenticated, insecureSRV: insecureSRV)
            case .failed(let why)?:
                out[target] = TLSALookup(name: name, outcome: .failed(why))
            case .notCovered?, nil:
                out[target] = TLSALookup(name: name, outcome: .failed("no answer"))
            }
        }
        return out
    }
}
