import FedplanCore
import Testing

/// RRSIG times in messages: ISO 8601 in UTC, read with serial arithmetic near the check time.
@Suite struct DNSSECTimeTests {
    @Test func datesAreISO8601UTC() {
        #expect(DNSSECTime.iso8601(0) == "1970-01-01T00:00:00Z")
        #expect(DNSSECTime.iso8601(1_580_515_200) == "2020-02-01T00:00:00Z")
        #expect(DNSSECTime.iso8601(951_825_600) == "2000-02-29T12:00:00Z")  // a leap day
        #expect(DNSSECTime.iso8601(2_082_758_399) == "2035-12-31T23:59:59Z")
        #expect(DNSSECTime.iso8601(4_102_444_800) == "2100-01-01T00:00:00Z")
    }

    /// The findings' dates come from the same conversion (`DNSSECTime`, not Foundation's
    /// DateFormatter): `2020-02-01 00:00:00 UTC`.
    @Test func findingDatesAreUTC() {
        #expect(DNSSECTime.utc(1_580_515_200) == "2020-02-01 00:00:00 UTC")
        #expect(DNSSECTime.utc(951_825_600 + 3723) == "2000-02-29 13:02:03 UTC")
        let clock = SignatureClock(now: 1_796_342_400)
        #expect(clock.date(1_796_342_400 + 86_399) == "2026-12-04 23:59:59 UTC")
        // Serial arithmetic: a field just past 2^32 is read near now (2106), not in 1970.
        let late = SignatureClock(now: UInt32.max - 100)
        #expect(late.date(1000) == DNSSECTime.utc(4_294_967_296 + 1000))
    }

    /// "within …" says the horizon as given: a 12h horizon is 12 hours, not "0 days".
    @Test func horizonsAreSaidAsGiven() {
        #expect(DNSSECTime.horizon(7 * 86_400) == "7 days")
        #expect(DNSSECTime.horizon(2 * 86_400) == "2 days")
        #expect(DNSSECTime.horizon(86_400) == "24 hours")
        #expect(DNSSECTime.horizon(43_200) == "12 hours")
        #expect(DNSSECTime.horizon(36 * 3600) == "36 hours")
        #expect(DNSSECTime.horizon(3600) == "1 hour")
        #expect(DNSSECTime.horizon(5400) == "90 minutes")
        #expect(DNSSECTime.horizon(90) == "90 seconds")
        #expect(DNSSECTime.horizon(0) == "0 seconds")
        #expect(SignatureClock(horizon: 43_200).horizonText == "12 hours")
        #expect(SignatureClock().horizonText == "7 days")
    }

    /// RFC 4034 §3.1.5: the 32-bit field wraps in 2106; the value nearest the check time counts.
    @Test func fieldsAreReadNearTheCheckTime() {
        let now: Int64 = 1_767_225_600  // 2026-01-01
        #expect(DNSSECTime.absolute(1_580_515_200, near: now) == 1_580_515_200)
        #expect(DNSSECTime.absolute(UInt32(truncatingIfNeeded: now + 86_400), near: now) == now + 86_400)
        let after2106: Int64 = 4_294_967_296 + 1000  // just past the wrap
        #expect(DNSSECTime.absolute(1000, near: after2106 - 5000) == after2106)
    }

    @Test func horizonsAreDaysHoursOrSeconds() throws {
        #expect(try SignatureHorizon.parse("7d").get() == 604_800)
        #expect(try SignatureHorizon.parse("12h").get() == 43_200)
        #expect(try SignatureHorizon.parse("3600").get() == 3600)
        #expect(try SignatureHorizon.parse("90s").get() == 90)
        #expect(try SignatureHorizon.parse("0").get() == 0)
        for bad in ["", "d", "1.5d", "-1d", "7w", "1e3"] {
            guard case .failure(let refusal) = SignatureHorizon.parse(bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(refusal.description.hasPrefix("expected days (7d), hours (12h) or seconds (3600)"), "\(bad)")
        }
        guard case .failure(let refusal) = SignatureHorizon.parse("3651d") else {
            Issue.record("3651d was accepted")
            return
        }
        #expect(refusal.description.hasPrefix("at most 3650 days"))
    }
}
