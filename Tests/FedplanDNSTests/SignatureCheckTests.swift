import CLDNS
import FedplanCore
@testable import FedplanDNS
import Glibc
import Testing

/// One RRSIG verifier (`SignatureCheck`) for live answers (`TrustChain`, ldns records of a reply)
/// and zone files (`ZoneSignatureVerifier`, the records' wire forms): the same records give the
/// same verdict either way, bounds included. The records are the rule examples' contoso.com.,
/// signed from 2026-01-01 to 2037-01-01 with key tag 64205.
@Suite struct SignatureCheckTests: RecordText {
    static let key = "contoso.com. 3600 IN DNSKEY 257 3 13 ibvO4hJ+qVmzX8aEhxyfz88w5I9AAPp91fz76eVaXyjSGZtLYNUxC1aEXdog5GsouMdb1s52Qi5p8tOdBveTVA=="
    static let srv = "_sipfederationtls._tcp.contoso.com. 3600 IN SRV 0 0 5061 sip.contoso.com."
    static let rrsig = "_sipfederationtls._tcp.contoso.com. 3600 IN RRSIG SRV 13 4 3600 20370101000000 20260101000000 64205 contoso.com. ALmR/xgQ0732N8u+g/uiF0mO3nzGI2Q0d8hdrk7m8VVF5aAQDHW3bKBSnFzEkX9eF9wu7POYWShmB7WaiJUZ2A=="
    /// 2036-01-01, 2037-01-01 (the expiration), 2037-06-01.
    static let inside: Int64 = 2_082_758_400, expiration: Int64 = 2_114_380_800, after: Int64 = 2_127_513_600

    /// The SRV RRset's verdict from `signatures` at `time`: live, and from a zone file.
    func verdicts(_ signatures: [String], at time: Int64) throws -> (live: DNSSECVerdict, zone: DNSSECVerdict) {
        let set = try rr(Self.srv), key = try rr(Self.key)
        let sigs = try signatures.map(rr)
        let chain = TrustChain(anchors: TrustAnchors(byZone: [:], file: ""), clock: SignatureClock(now: UInt32(time)))
        let rrset = RRList(), keys = RRList()
        rrset.push(borrowed: set.pointer)
        keys.push(borrowed: key.pointer)
        let live = withExtendedLifetime((set, key, sigs)) { chain.verify(rrset, signatures: sigs.map(\.pointer), with: keys) }
        let zone = ZoneSignatureVerifier().verdict(rrset: [try wire(set)], signatures: try sigs.map(wire), keys: [try wire(key)],
                                                   at: time)
        return (live, zone)
    }

    @Test func aGoodSignatureIsSecureUntilItsExpirationBothWays() throws {
        let v = try verdicts([Self.rrsig], at: Self.inside)
        #expect(v.live == DNSSECVerdict(status: .secure, validUntil: UInt32(Self.expiration)))
        #expect(v.zone == v.live)
    }

    @Test func anExpiredSignatureIsBogusWithItsDateBothWays() throws {
        let v = try verdicts([Self.rrsig], at: Self.after)
        #expect(v.live == DNSSECVerdict(status: .bogus, problem: .signatureExpired(expiration: UInt32(Self.expiration))))
        #expect(v.zone == v.live)
        let none = try verdicts([], at: Self.inside)
        #expect(none.live == DNSSECVerdict(status: .bogus, problem: .noSignature) && none.zone == none.live)
    }

    /// At most 8 RRSIGs are tried over an RRset, live too (a reply is as untrusted as a zone
    /// file; live answers had no bound before): a good one after 8 of unknown key tags is not.
    @Test func onlyTheFirstEightSignaturesAreTriedBothWays() throws {
        func bad(_ n: Int) -> [String] { (1...n).map { Self.rrsig.replacingOccurrences(of: " 64205 ", with: " \($0) ") } }
        let seven = try verdicts(bad(7) + [Self.rrsig], at: Self.inside)
        #expect(seven.live.status == .secure && seven.zone == seven.live, "\(seven)")
        let eight = try verdicts(bad(SignatureCheck.signaturesPerRRset) + [Self.rrsig], at: Self.inside)
        // The reason says that only the first 8 of the 9 were tried.
        #expect(eight.live == DNSSECVerdict(status: .bogus, problem: .signatureLimitReached(tried: 8, total: 9, .noMatchingKey(keyTag: 1))),
                "\(eight.live)")
        #expect(eight.zone == eight.live)
    }

    /// Several problems: the most telling is said (an expired date before an unknown key), in
    /// whatever order the RRSIGs come.
    @Test func theMostTellingProblemIsSaidBothWays() throws {
        let unknownKey = Self.rrsig.replacingOccurrences(of: " 64205 ", with: " 1 ")
        let v = try verdicts([unknownKey, Self.rrsig], at: Self.after)
        #expect(v.live == DNSSECVerdict(status: .bogus, problem: .signatureExpired(expiration: UInt32(Self.expiration))), "\(v.live)")
        #expect(v.zone == v.live)
    }
}
