/// SOA serial comparison with RFC 1982 arithmetic (32-bit, wrapping).
public enum SerialArithmetic {
    /// True when `a` is older than `b`; nil when the two are exactly 2^31 apart (undefined).
    public static func isOlder(_ a: UInt32, than b: UInt32) -> Bool? {
        if a == b { return false }
        let distance = b &- a
        if distance == 1 << 31 { return nil }
        return distance < 1 << 31
    }

    /// `soa-serial-mismatch` findings for one zone: each server behind the newest serial.
    public static func findings(zone: String, serials: [(server: String, serial: UInt32)]) -> [Finding] {
        guard Set(serials.map(\.serial)).count > 1,
              let newest = serials.max(by: { isOlder($0.serial, than: $1.serial) == true }) else { return [] }
        return serials.filter { isOlder($0.serial, than: newest.serial) != false }.map { behind in
            Finding(rule: "soa-serial-mismatch", severity: .warning, name: zone, type: "SOA",
                    message: "serves serial \(behind.serial), behind \(newest.serial) on \(newest.server) (RFC 1982 comparison)",
                    expected: String(newest.serial), observed: String(behind.serial), server: behind.server,
                    fix: "let \(behind.server) transfer the zone again (NOTIFY, IXFR/AXFR), or find why it stopped")
        }
    }
}
