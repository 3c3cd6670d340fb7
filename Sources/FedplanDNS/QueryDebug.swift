import CLDNS
import FedplanCore

/// `dns check --debug`: one line for each query sent and each reply, timeout or failure, in
/// kdig's words (`127.0.0.1@53(UDP)`, `status: NOERROR`, `flags: qr aa rd`, `ANSWER: 1`,
/// `in 0.3 ms`). Names come from the plan and from answers (SRV targets): every name and
/// reason is escaped, and a reply is described from its header alone, whatever it holds.
/// Built only when `QueryOptions.onDebug` is set.
enum QueryDebug {
    /// `127.0.0.1@53(UDP)`, `::1@5353(TCP)`, as kdig writes a server.
    static func server(_ s: ServerAddress, tcp: Bool) -> String {
        "\(s.address)@\(s.port)(\(tcp ? "TCP" : "UDP"))"
    }

    static func question(_ q: Question) -> String { "\(Escape.text(q.name)) IN \(Escape.text(q.type))" }

    static func tryNumber(_ attempt: Int) -> String { attempt > 1 ? " (try \(attempt))" : "" }

    /// `;; query 127.0.0.1@53(UDP) id 4242: sip.contoso.com. IN A; flags: rd; EDNS: do, udp 1232`
    static func sent(_ q: Question, to s: ServerAddress, tcp: Bool, id: UInt16, edns: Bool, attempt: Int,
                     options: QueryOptions, cd: Bool = false) -> String {
        let flags = [options.recursionDesired ? "rd" : nil, cd ? "cd" : nil].compactMap { $0 }
        var line = ";; query \(server(s, tcp: tcp)) id \(id): \(question(q)); flags: \(flags.isEmpty ? "none" : flags.joined(separator: " "))"
        line += edns ? "; EDNS: \(options.dnssecOK ? "do, " : "")udp \(options.ednsBufferSize)" : "; no EDNS"
        return line + tryNumber(attempt)
    }

    /// `;; reply 127.0.0.1@53(UDP) id 4242 in 0.3 ms: sip.contoso.com. IN A; status: NOERROR;
    /// flags: qr aa rd; ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1; 64 B`, then what became of it
    /// when it was not simply believed.
    static func reply(_ bytes: UnsafeRawBufferPointer, from s: ServerAddress, tcp: Bool, question q: Question?,
                      seconds: Double?, verdict: String?) -> String {
        var line = ";; reply \(server(s, tcp: tcp))"
        if bytes.count >= Int(LDNS_HEADER_SIZE), let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            line += " id \(fedplan_wire_id(base))"
            if let seconds { line += " in \(milliseconds(seconds)) ms" }
            if let q { line += ": \(question(q))" }
            line += "; " + header(base)
        } else {
            if let seconds { line += " in \(milliseconds(seconds)) ms" }
            if let q { line += ": \(question(q))" }
            line += "; no DNS header"
        }
        line += "; \(bytes.count) B"
        if let verdict { line += "; \(Escape.text(verdict))" }
        return line
    }

    /// `;; no answer 127.0.0.1@53(UDP): sip.contoso.com. IN A: no answer within 2 s (try 1)`
    static func failed(_ q: Question, at s: ServerAddress, tcp: Bool, problem: String, attempt: Int) -> String {
        ";; no answer \(server(s, tcp: tcp)): \(question(q)): \(Escape.text(problem))\(tryNumber(attempt))"
    }

    /// A query never sent: its server is dead, or the check stopped.
    static func skipped(_ q: Question, at s: ServerAddress, why: String) -> String {
        ";; skipped \(s.address)@\(s.port): \(question(q)): \(Escape.text(why))"
    }

    /// `status: NOERROR; flags: qr aa rd; ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1`
    static func header(_ wire: UnsafePointer<UInt8>) -> String {
        let status = LDNSMemory.takeString(ldns_pkt_rcode2str(ldns_pkt_rcode(UInt32(fedplan_wire_rcode(wire)))))
        let flags = [("qr", fedplan_wire_qr(wire)), ("aa", fedplan_wire_aa(wire)), ("tc", fedplan_wire_tc(wire)),
                     ("rd", fedplan_wire_rd(wire)), ("ra", fedplan_wire_ra(wire)), ("ad", fedplan_wire_ad(wire)),
                     ("cd", fedplan_wire_cd(wire))].filter { $0.1 != 0 }.map(\.0)
        return "status: \(Escape.text(status)); flags: \(flags.isEmpty ? "none" : flags.joined(separator: " ")); ANSWER: \(fedplan_wire_ancount(wire)), "
            + "AUTHORITY: \(fedplan_wire_nscount(wire)), ADDITIONAL: \(fedplan_wire_arcount(wire))"
    }

    /// What the engine does with a reply, when it is anything but an answer taken as it is.
    static func verdict(_ v: Reply.Verdict) -> String? {
        switch v {
        case .ignore(let why): return why
        case .truncated: return "truncated: asked again over TCP"
        case .retryWithoutEDNS: return "the server does not take EDNS: asked again without it"
        case .serverFailure(let why, _): return why
        case .outcome(.failed(let why)): return why
        case .outcome(.answer(let a)): return a.referral.map { "a referral to \($0.zoneCut)" }
        case .outcome(.notCovered): return nil
        }
    }

    /// `0.3`: milliseconds with one decimal, as kdig prints them.
    static func milliseconds(_ seconds: Double) -> String {
        let tenths = Int((max(0, seconds) * 10_000).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
