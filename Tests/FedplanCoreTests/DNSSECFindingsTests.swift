@testable import FedplanCore
import Testing

/// The core's part of DNSSEC on live checks: RRSIG times (RFC 4034 §3.1.5, serial arithmetic),
/// the reasons as findings say them, and the worst status over servers.
@Suite struct DNSSECFindingsTests {
    /// 2026-12-04 00:00:00 UTC.
    static let now: UInt32 = 1_796_342_400

    @Test func signaturesExpireSoonWithinTheHorizonOnly() {
        let clock = SignatureClock(now: Self.now)
        #expect(clock.horizon == 7 * 86_400)
        #expect(clock.expiresSoon(Self.now + 3 * 86_400))
        #expect(clock.expiresSoon(Self.now + 7 * 86_400))
        #expect(!clock.expiresSoon(Self.now + 7 * 86_400 + 1))
        #expect(!clock.expiresSoon(Self.now - 1), "already expired is bogus, not expiring")
        // Serial arithmetic: a time just past 2^32 wraps, and is still near now.
        let late = SignatureClock(now: UInt32.max - 100)
        #expect(late.expiresSoon(1000))
    }

    @Test func reasonsCarryTheirDates() {
        let clock = SignatureClock(now: Self.now)
        #expect(clock.date(Self.now - 10 * 86_400) == "2026-11-24 00:00:00 UTC")
        #expect(DNSSECProblem.signatureExpired(expiration: Self.now - 10 * 86_400).sentence(clock)
            == "the RRSIG expired on 2026-11-24 00:00:00 UTC (signature expired)")
        #expect(DNSSECProblem.signatureNotYetValid(inception: Self.now + 86_400).sentence(clock)
            == "the RRSIG is not valid before 2026-12-05 00:00:00 UTC (signature not yet valid)")
        #expect(DNSSECProblem.resolverError(code: 7, text: "bad\u{1B}").sentence(clock)
            == "the resolver says Extended DNS Error 7 (Signature Expired): \"bad\\027\"")
        #expect(ExtendedDNSError(code: 4000, text: "").description == "Extended DNS Error 4000")
    }

    @Test func theWorstStatusWins() {
        #expect(DNSSECStatus.worst(.secure, .bogus) == .bogus)
        #expect(DNSSECStatus.worst(.insecure, .indeterminate) == .indeterminate)
        #expect(DNSSECStatus.worst(nil, .secure) == .secure)
        #expect(DNSSECStatus.worst(.insecure, .secure) == .insecure)
    }
}
