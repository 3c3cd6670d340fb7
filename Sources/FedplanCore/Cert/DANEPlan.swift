/// The fields of one TLSA record (RFC 6698 §2.1), as values.
public struct TLSAData: Sendable, Hashable {
    public var usage: UInt8
    public var selector: UInt8
    public var matchingType: UInt8
    /// The certificate association data.
    public var data: [UInt8]

    public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.data = data
    }

    /// A record's TLSA fields; nil for any other record, or TLSA data that does not have the form.
    public init?(_ record: DNSRecord) {
        guard case .tlsa(let u, let s, let m, let data) = record.fields else { return nil }
        self.init(usage: u, selector: s, matchingType: m, data: data)
    }

    /// `3 1 1 9f86d0…`: the rdata as a master file writes it.
    public var presentation: String { "\(usage) \(selector) \(matchingType) \(Hex.text(data))" }

    /// Whether a client can use it (RFC 6698 §2.1, RFC 7218): usage 0–3, selector 0–1, matching
    /// type 0–2, and some data. Others are ignored, as ldns and OpenSSL ignore them.
    public var usable: Bool { usage <= 3 && selector <= 1 && matchingType <= 2 && !data.isEmpty }

    /// The mnemonics of RFC 7218: `DANE-EE SPKI SHA2-256`.
    public var mnemonic: String {
        let usages = ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"], selectors = ["Cert", "SPKI"], types = ["Full", "SHA2-256", "SHA2-512"]
        func name(_ list: [String], _ value: UInt8) -> String { Int(value) < list.count ? list[Int(value)] : String(value) }
        return "\(name(usages, usage)) \(name(selectors, selector)) \(name(types, matchingType))"
    }
}

/// One TLSA record `cert plan --tlsa` proposes: DANE-EE, SPKI, SHA-256 (RFC 7671 §5.1) at
/// `_5269._tcp.<SRV target>` (RFC 7673 §3), with why and where it comes from.
public struct PlannedTLSA: Sendable, Equatable {
    /// `_5269._tcp.xmpp.contoso.com.`
    public var name: DomainName
    public var ttl: UInt32
    /// The zone the SRV target's own records are planned in: where the TLSA goes too.
    public var zone: DomainName
    public var data: TLSAData
    /// The XMPP SRV target and port the record is for.
    public var target: DomainName
    public var port: UInt16
    public var reason: String
    public var source: String
    public var origin: SourceLocation

    /// `_5269._tcp.xmpp.contoso.com. 3600 IN TLSA 3 1 1 …`
    public var presentation: String { "\(name) \(ttl) IN TLSA \(data.presentation)" }
}

/// DANE for XMPP federation (RFC 7673): the TLSA records that let partners which validate
/// DNSSEC authenticate the XMPP proxy's certificate from DNS.
public enum DANEPlanner {
    public static let source = "RFC 7673 §3 (TLSA at the SRV target and port); RFC 7671 §5.1 (DANE-EE SPKI SHA-256, 3 1 1)"

    /// The TLSA record for every XMPP SRV target of the plan, carrying `data` (the SPKI digest
    /// of `keyFile`). A description without XMPP federation is refused: nothing would use it.
    public static func plan(_ deployment: Deployment, _ plan: Plan, data: TLSAData, keyFile: String,
                            description: String) throws(DiagnosticList) -> [PlannedTLSA] {
        guard let xmpp = deployment.federation.xmpp else {
            throw DiagnosticList([Diagnostic(
                "--tlsa: the description has no XMPP federation (federation.xmpp), so there is no XMPP SRV target to publish a TLSA record for",
                at: SourceLocation(file: description),
                suggestion: "describe federation.xmpp (domains, proxy), or leave out --tlsa")])
        }
        guard deployment.effectiveProduct.hasXMPPFederation else {
            throw DiagnosticList([Diagnostic(
                "--tlsa: \(deployment.effectiveProduct.title) has no XMPP federation, so no partner connects to an XMPP proxy",
                at: deployment.product?.location ?? xmpp.location,
                suggestion: "leave out --tlsa, or correct product:")])
        }
        var out: [PlannedTLSA] = []
        for record in plan.records {
            guard case .srv(let srv) = record.data, isXMPP(record.why) else { continue }
            let name = srv.target.prepending(["_\(srv.port)", "_tcp"])
            guard !out.contains(where: { $0.name == name }) else { continue }
            // The TLSA lives beside the target's own addresses; a target the plan has no
            // record for stays in the zone of the SRV record that names it.
            let host = plan.records.first { $0.name == srv.target && $0.type != .srv }
            out.append(PlannedTLSA(
                name: name, ttl: host?.ttl ?? record.ttl, zone: host?.zone ?? record.zone, data: data, target: srv.target,
                port: srv.port,
                reason: "DANE for XMPP federation: partners that validate DNSSEC authenticate the certificate \(srv.target.bare) "
                    + "presents on \(srv.port) with this record (DANE-EE, the SHA-256 of its public key, from \(keyFile))",
                source: source, origin: record.origin))
        }
        return out
    }

    static func isXMPP(_ why: RecordReason) -> Bool {
        switch why {
        case .xmppFederation: true
        case .hybrid(let inner): isXMPP(inner)
        default: false
        }
    }
}
