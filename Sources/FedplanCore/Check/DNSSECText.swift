/// DNSSEC times and problems in words, for findings (`dnssec-bogus`, `dnssec-signature-expiring`)
/// of zone files and of live answers alike.
public enum DNSSECTime {
    /// An RRSIG time field (seconds since 1970 modulo 2^32) as seconds since 1970, taken as the
    /// one nearest `now` (RFC 4034 §3.1.5: serial arithmetic, RFC 1982).
    public static func absolute(_ field: UInt32, near now: Int64) -> Int64 {
        now + Int64(Int32(bitPattern: field &- UInt32(truncatingIfNeeded: now)))
    }

    /// `2020-02-01T00:00:00Z`: ISO 8601, UTC (no Foundation: the core formats its own dates).
    public static func iso8601(_ seconds: Int64) -> String {
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
        return "\(y)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
    }

    /// `6 days`, `20 hours`, `45 minutes`: a span for messages, rounded down to its largest unit.
    public static func span(_ seconds: Int64) -> String {
        let (n, unit): (Int64, String) = seconds >= 86_400 ? (seconds / 86_400, "day") : seconds >= 3600 ? (seconds / 3600, "hour")
            : (max(0, seconds / 60), "minute")
        return "\(n) \(unit)\(n == 1 ? "" : "s")"
    }
}

extension DNSSECProblem {
    /// The reason as DNSViz and Zonemaster name it, with the dates (ISO 8601, UTC) read
    /// near `now` (seconds since 1970).
    public func reason(now: Int64) -> String {
        switch self {
        case .signatureExpired(let expiration):
            "signature expired on \(DNSSECTime.iso8601(DNSSECTime.absolute(expiration, near: now)))"
        case .signatureNotYetValid(let inception):
            "signature not yet valid (valid from \(DNSSECTime.iso8601(DNSSECTime.absolute(inception, near: now))))"
        case .noSignature: "no RRSIG over the RRset, in a signed zone"
        case .noMatchingKey(let tag): "no DNSKEY matches the RRSIG (key tag \(tag))"
        case .noKeyMatchingDS: "no DNSKEY of the zone matches the DS at its parent"
        case .signatureInvalid: "the signature does not verify"
        case .unsupportedAlgorithm(let algorithm): "unsupported algorithm \(algorithm)"
        case .resolverError(let code, let text): "the resolver says Extended DNS Error \(code)\(text.isEmpty ? "" : " (\(text))")"
        case .other(let text): text
        }
    }
}
