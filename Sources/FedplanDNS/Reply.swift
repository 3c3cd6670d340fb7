import CLDNS
import FedplanCore
import Glibc

/// Reading one reply from the network: ldns parses it, and it is believed only when it is a
/// reply (QR) to our query (ID and question). This is where untrusted bytes from a server first
/// become our values, so the fuzz target `answer` calls exactly this.
public enum Reply {
    public enum Verdict: Sendable {
        /// Not an answer to the query: keep waiting; the text says why, for the failure message.
        case ignore(String)
        /// Truncated over UDP: ask again over TCP.
        case truncated
        /// FORMERR (or NOTIMP) to a query with EDNS: ask again without it (RFC 6891 §7).
        case retryWithoutEDNS
        /// SERVFAIL, with the Extended DNS Errors that came with it: a resolver's may be a
        /// DNSSEC failure, which asking again with CD set tells (`QueryEngine`).
        case serverFailure(String, [ExtendedDNSError])
        case outcome(QueryOutcome)
    }

    /// TTLs above 2^31 - 1 are read as 0 (RFC 2181 §8).
    static let largestTTL: UInt32 = 0x7FFF_FFFF

    /// `chain`: DNSSEC validation is on (docs/dnssec.md): an authoritative answer that carries
    /// signatures, or denies, keeps its bytes for `TrustChain` to verify once the zone's keys
    /// are known; a resolver's is judged by its AD bit.
    public static func read(_ bytes: UnsafeRawBufferPointer, id: UInt16, question: Question, overTCP: Bool,
                            withEDNS: Bool = true, chain: TrustChain? = nil) -> Verdict {
        guard bytes.count > 0 else { return .ignore("ignored an empty reply") }
        var wire = SectionReader(bytes)
        guard bytes.count >= Int(LDNS_HEADER_SIZE) else { return wire.malformed(LDNS_STATUS_WIRE_INCOMPLETE_HEADER) }
        let header = wire.base
        guard fedplan_wire_qr(header) != 0 else { return .ignore("ignored a packet that is not a reply") }
        guard fedplan_wire_id(header) == id else { return .ignore("ignored a reply with the wrong ID") }
        // The question, compared in place: converting it to text was a tenth of the work.
        guard fedplan_wire_qdcount(header) == 1 else { return .ignore("ignored a reply to a different question") }
        let askedRR: OwnedRR
        switch wire.next(LDNS_SECTION_QUESTION) {
        case .success(let rr): askedRR = rr
        case .failure(let status): return wire.malformed(status)
        }
        let askedType = ldns_rr_get_type(askedRR.pointer)
        guard let askedName = ldns_rr_owner(askedRR.pointer), askedType == QueryWire.type(question.type),
              WireName.matches(UnsafeBufferPointer(start: ldns_rdf_data(askedName), count: ldns_rdf_size(askedName)),
                               question.name) else {
            return .ignore("ignored a reply to a different question")
        }
        if fedplan_wire_tc(header) != 0 && !overTCP { return .truncated }
        let code = ldns_pkt_rcode(UInt32(fedplan_wire_rcode(header)))
        if withEDNS, code == LDNS_RCODE_FORMERR || code == LDNS_RCODE_NOTIMPL { return .retryWithoutEDNS }
        guard code == LDNS_RCODE_NOERROR || code == LDNS_RCODE_NXDOMAIN else {
            let rcode = LDNSMemory.takeString(ldns_pkt_rcode2str(code))
            var rest = wire
            let errors = rest.rest(header, fromAnswer: true)
            let why = "the server answered \(Escape.text(rcode))" + (errors.isEmpty ? "" : " (\(ExtendedDNSError.list(errors)))")
            return code == LDNS_RCODE_SERVFAIL ? .serverFailure(why, errors) : .outcome(.failed(why))
        }
        let rcode: ResponseCode = code == LDNS_RCODE_NOERROR ? .noError : .nxDomain
        if fedplan_wire_tc(header) != 0 { return .outcome(.failed("the answer was truncated over TCP")) }
        let asked = RRType(rawValue: UInt16(truncatingIfNeeded: askedType.rawValue))
        var all: [DNSRecord] = []
        var chained = false
        // Said only once the whole section has parsed: a section that does not parse is
        // garbage, whatever class its first bytes claim.
        var foreignClass: ldns_rr_class?
        var signatures: [WildcardSignature] = []
        let authoritative = fedplan_wire_aa(header) != 0
        var signed = false
        for _ in 0..<fedplan_wire_ancount(header) {
            let rr: OwnedRR
            switch wire.next(LDNS_SECTION_ANSWER) {
            case .success(let read): rr = read
            case .failure(let status): return wire.malformed(status)
            }
            let cls = ldns_rr_get_class(rr.pointer)
            if cls != LDNS_RR_CLASS_IN {
                foreignClass = foreignClass ?? cls
                continue
            }
            let atQuestion = sameName(ldns_rr_owner(rr.pointer), askedName)
            // Signatures (a DO query to a signed zone) are not data to check; they can only
            // say that the records they sign come from a wildcard. (The DNSKEY set's are kept:
            // `TrustChain` verifies that set.)
            if ldns_rr_get_type(rr.pointer) == LDNS_RR_TYPE_RRSIG, question.type != "RRSIG", question.type != "DNSKEY" {
                signed = true
                if let s = WildcardSignature(rr.pointer, owner: atQuestion ? question.name : LDNSConvert.text(of: ldns_rr_owner(rr.pointer))) {
                    signatures.append(s)
                }
                continue
            }
            var record = LDNSConvert.record(rr.pointer, owner: atQuestion ? question.name : nil)
            if record.ttl > largestTTL { record.ttl = 0 }
            chained = chained || record.code == .cname
            all.append(record)
        }
        if let foreignClass {
            let name = LDNSMemory.takeString(ldns_rr_class2str(foreignClass))
            return .outcome(.failed("the server answered with records of class \(Escape.text(name)) to a question of class IN"))
        }
        WildcardSignature.mark(&all, with: signatures)
        let afterAnswers = wire
        // Without a CNAME, the records that belong are those owned by the name asked.
        let answers = chained ? inBailiwick(all, of: question) : all.filter { $0.owner == question.name }
        // RFC 6604: NXDOMAIN may carry the CNAME chain to the name that does not exist, never
        // records of the type asked for at the end of it.
        if rcode == .nxDomain, answers.contains(where: { $0.code == asked && $0.code != .cname }) {
            return .outcome(.failed("the server answered NXDOMAIN together with \(question.type) records: a contradictory answer"))
        }
        // A referral (RFC 1034 §4.3.1): no answer, not authoritative, and the NS set of a zone
        // at or above the name in the authority section. The server does not answer for the
        // name, so the record is unverified, never missing.
        if rcode == .noError, answers.isEmpty, !authoritative {
            var cut: [DNSRecord] = []
            for _ in 0..<fedplan_wire_nscount(header) {
                switch wire.next(LDNS_SECTION_AUTHORITY) {
                case .success(let rr):
                    let r = LDNSConvert.record(rr.pointer)
                    let owner = r.owner.lowercased()
                    if r.code == .ns && (question.name == owner || question.name.hasSuffix("." + owner) || owner == ".") {
                        cut.append(r)
                    }
                case .failure(let status): return wire.malformed(status)
                }
            }
            if let zone = cut.first?.owner.lowercased() {
                let nameServers = cut.filter { $0.owner.lowercased() == zone }
                return .outcome(.answer(DNSAnswer(rcode: rcode, authoritative: false, records: [],
                                                  referral: Referral(zoneCut: zone, nameServers: nameServers,
                                                                     glue: glue(&wire, header, for: nameServers)))))
            }
        }
        var rest = afterAnswers
        var answer = DNSAnswer(rcode: rcode, authoritative: authoritative, records: answers,
                               authenticated: fedplan_wire_ad(header) != 0)
        // Extended DNS Errors come from resolvers (RFC 8914 §3): read from every reply that is
        // not an authoritative answer (and from every error reply, above). Walking the rest of
        // an authoritative answer for them cost a parse of every authority and glue record.
        if !authoritative { answer.extendedErrors = rest.rest(header, fromAnswer: false) }
        if chain != nil {
            if authoritative {
                // Signatures to verify, or a denial (whose NSEC or NSEC3 records a signed zone
                // must send): kept until the zone's keys are known. An unsigned zone's answers
                // keep nothing, so validating it costs no work per record.
                let negative = !answers.contains { $0.code == asked || $0.code == .cname }
                if signed || negative { answer.signedReply = Array(bytes) }
            } else {
                // A resolver's answer: AD says it validated (RFC 4035 §3.2.3); without it, the zone
                // may be unsigned or the resolver may not validate, which the answer does not tell.
                answer.dnssec = DNSSECVerdict(status: answer.authenticated ? .secure : .indeterminate)
            }
        }
        return .outcome(.answer(answer))
    }

    /// The addresses of a referral's name servers in the additional section (glue), read only
    /// for a referral (`AuthoritativeCheck` asks the servers of the zone cut). A section that
    /// does not parse gives the glue read before it: the rest of the reply is whole.
    static func glue(_ wire: inout SectionReader, _ header: UnsafePointer<UInt8>, for nameServers: [DNSRecord]) -> [DNSRecord] {
        let names = Set(nameServers.compactMap(\.target))
        var glue: [DNSRecord] = []
        for _ in 0..<fedplan_wire_arcount(header) {
            guard case .success(let rr) = wire.next(LDNS_SECTION_ADDITIONAL) else { break }
            let type = ldns_rr_get_type(rr.pointer)
            guard type == LDNS_RR_TYPE_A || type == LDNS_RR_TYPE_AAAA, ldns_rr_get_class(rr.pointer) == LDNS_RR_CLASS_IN else { continue }
            let record = LDNSConvert.record(rr.pointer)
            if names.contains(record.owner.dnsLowercased) { glue.append(record) }
        }
        return glue
    }

    /// Equal names: the same bytes (a record owned by the question, its name written as a
    /// pointer to it), else as ldns compares them, ignoring case.
    static func sameName(_ a: UnsafeMutablePointer<ldns_rdf>?, _ b: UnsafeMutablePointer<ldns_rdf>) -> Bool {
        guard let a else { return false }
        let size = ldns_rdf_size(a)
        if size == ldns_rdf_size(b), memcmp(ldns_rdf_data(a), ldns_rdf_data(b), size) == 0 { return true }
        return ldns_dname_compare(a, b) == 0
    }

    /// Walks a reply's records in order with ldns (`ldns_wire2rr`, as `ldns_wire2pkt` does), so
    /// that only the sections a verdict needs are parsed: the additional section and, for most
    /// replies, the authority section are never converted (ldns allocates every field of every
    /// record it parses, and freeing them cost as much again).
    struct SectionReader {
        let base: UnsafePointer<UInt8>
        let count: Int
        var position = Int(LDNS_HEADER_SIZE)

        init(_ bytes: UnsafeRawBufferPointer) {
            base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            count = bytes.count
        }

        mutating func next(_ section: ldns_pkt_section) -> Result<OwnedRR, LDNSError> {
            var rr: UnsafeMutablePointer<ldns_rr>?
            let status = ldns_wire2rr(&rr, base, count, &position, section)
            guard status == LDNS_STATUS_OK, let rr else {
                if let rr { ldns_rr_free(rr) }
                return .failure(LDNSError(status: status == LDNS_STATUS_OK ? LDNS_STATUS_ERR : status))
            }
            return .success(OwnedRR(rr))
        }

        func malformed(_ status: ldns_status) -> Verdict { malformed(LDNSError(status: status)) }

        /// The Extended DNS Errors (RFC 8914) of the reply's OPT record, reading on from where
        /// the reader stands (the answer section when `fromAnswer`, else the authority section).
        /// A section that does not parse ends the walk: the answer read before it stands.
        mutating func rest(_ header: UnsafePointer<UInt8>, fromAnswer: Bool) -> [ExtendedDNSError] {
            // No additional section, no OPT record: nothing to walk to.
            guard fedplan_wire_arcount(header) > 0 else { return [] }
            var sections: [(ldns_pkt_section, UInt16)] = [(LDNS_SECTION_AUTHORITY, fedplan_wire_nscount(header)),
                                                          (LDNS_SECTION_ADDITIONAL, fedplan_wire_arcount(header))]
            if fromAnswer { sections.insert((LDNS_SECTION_ANSWER, fedplan_wire_ancount(header)), at: 0) }
            var errors: [ExtendedDNSError] = []
            for (section, count) in sections {
                for _ in 0..<count {
                    guard case .success(let rr) = next(section) else { return errors }
                    if section == LDNS_SECTION_ADDITIONAL, ldns_rr_get_type(rr.pointer) == LDNS_RR_TYPE_OPT {
                        errors += ExtendedErrors.read(opt: rr.pointer)
                    }
                }
            }
            return errors
        }

        func malformed(_ error: LDNSError) -> Verdict {
            .ignore("ignored a malformed reply (\(String(cString: ldns_get_errorstr_by_id(error.status))))")
        }
    }

    struct LDNSError: Error {
        let status: ldns_status
    }

    /// Why ldns cannot parse these bytes, or nil when it can (for replies no query waits for).
    static func isMalformed(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return "empty" }
        var parsed: UnsafeMutablePointer<ldns_pkt>?
        let status = ldns_wire2pkt(&parsed, base.assumingMemoryBound(to: UInt8.self), bytes.count)
        if let parsed { ldns_pkt_free(parsed) }
        return status == LDNS_STATUS_OK ? nil : String(cString: ldns_get_errorstr_by_id(status))
    }

    /// The answer records that belong to the question: owned by the name asked, or by a name
    /// its CNAME chain leads to (in any order in the section). Anything else, such as an
    /// address for an unrelated name appended by a hostile server, is not believed.
    static func inBailiwick(_ records: [DNSRecord], of question: Question) -> [DNSRecord] {
        var targets: [String: [String]] = [:]  // CNAME owner → targets: one pass, then a walk
        for r in records where r.code == .cname {
            if let target = r.target { targets[r.owner.lowercased(), default: []].append(target) }
        }
        var chain: Set<String> = [question.name]
        var next = [question.name]
        while let name = next.popLast() {
            for target in targets[name] ?? [] where chain.insert(target).inserted { next.append(target) }
        }
        // A DNAME owned by an ancestor of a name in the chain is what synthesized its CNAME
        // (RFC 6672 §2.3, §3): kept, so that findings can name it.
        return records.filter { r in
            let owner = r.owner.lowercased()
            if chain.contains(owner) { return true }
            guard r.code == .dname else { return false }
            return chain.contains { $0.hasSuffix("." + owner) && $0.count > owner.count + 1 }
        }
    }
}
