/// RRSIG times as seconds since 1970 and as ISO 8601 dates (the rule examples' check time).
public enum DNSSECTime {
    /// An RRSIG time field (seconds since 1970 modulo 2^32) as seconds since 1970, taken as the
    /// one nearest `now` (RFC 4034 §3.1.5: serial arithmetic, RFC 1982).
    public static func absolute(_ field: UInt32, near now: Int64) -> Int64 {
        now + Int64(Int32(bitPattern: field &- UInt32(truncatingIfNeeded: now)))
    }

    /// `2020-02-01T00:00:00Z`: ISO 8601, UTC (no Foundation: the core formats its own dates).
    public static func iso8601(_ seconds: Int64) -> String { civil(seconds, between: "T", end: "Z") }

    /// `2020-02-01 00:00:00 UTC`: the dates of the DNSSEC findings.
    public static func utc(_ seconds: Int64) -> String { civil(seconds, between: " ", end: " UTC") }

    /// The one conversion of seconds since 1970 to a civil date and time, UTC.
    private static func civil(_ seconds: Int64, between: String, end: String) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        // Howard Hinnant's days → civil date.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(y)-\(two(month))-\(two(day))\(between)\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))\(end)"
    }

    /// `--signature-horizon` as given, for "within …": whole days from 2 days on, else hours
    /// (`12 hours`, `36 hours`), minutes or seconds, whichever says it exactly. (In days, a 12h
    /// horizon was "within 0 days".)
    public static func horizon(_ seconds: Int64) -> String {
        func n(_ count: Int64, _ unit: String) -> String { "\(count) \(unit)\(count == 1 ? "" : "s")" }
        if seconds >= 2 * 86_400 && seconds % 86_400 == 0 { return n(seconds / 86_400, "day") }
        if seconds >= 3600 && seconds % 3600 == 0 { return n(seconds / 3600, "hour") }
        if seconds >= 60 && seconds % 60 == 0 { return n(seconds / 60, "minute") }
        return n(seconds, "second")
    }

    /// `6 days`, `20 hours`, `45 minutes`: a span for messages, rounded down to its largest unit.
    public static func span(_ seconds: Int64) -> String {
        let (n, unit): (Int64, String) = seconds >= 86_400 ? (seconds / 86_400, "day") : seconds >= 3600 ? (seconds / 3600, "hour")
            : (max(0, seconds / 60), "minute")
        return "\(n) \(unit)\(n == 1 ? "" : "s")"
    }
}
