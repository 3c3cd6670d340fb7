import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address, kept as its bytes and printed in canonical form (RFC 5952 for IPv6).
public struct IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    /// IPv4 or IPv6 (`-4` / `-6`: the servers of one version only).
    public enum Version: String, Sendable {
        case v4 = "IPv4", v6 = "IPv6"

        public func allows(_ address: IPAddress) -> Bool { address.isIPv4 == (self == .v4) }
    }
    /// The record type that publishes this address.
    public var recordType: RecordType { isIPv4 ? .a : .aaaa }

    public init?(_ text: String) {
        if text.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, text, &storage) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &storage) { Array($0) }
        } else {
            // inet_pton accepts only the dotted-quad form: no octal, no shortened forms.
            var storage = in_addr()
            guard inet_pton(AF_INET, text, &storage) == 1 else { return nil }
            bytes = withUnsafeBytes(of: &storage) { Array($0) }
        }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        bytes.withUnsafeBytes { raw in
            _ = inet_ntop(isIPv4 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.bytes.count != rhs.bytes.count { return lhs.bytes.count < rhs.bytes.count }
        return lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    /// Why this address cannot be reached from the Internet, or nil for a public address.
    public var nonPublicKind: String? {
        IPAddress.nonPublicRanges.first { $0.contains(self) }?.kind
    }

    /// `10.0.0.5 is a private (RFC 1918) address that federation partners cannot reach`, with
    /// `an` before a vowel sound (`an IPv4-mapped …`, `an unspecified …`, but `a unique local …`);
    /// nil for a public address.
    public var unreachableSentence: String? {
        guard let kind = nonPublicKind else { return nil }
        let vowel = (kind.first.map { "aeiouAEIOU".contains($0) } ?? false) && !kind.hasPrefix("uni")
        return "\(self) is \(vowel ? "an" : "a") \(kind) address that federation partners cannot reach"
    }

    struct Range {
        let prefix: IPAddress
        let length: Int
        let kind: String

        init(_ prefix: String, _ length: Int, _ kind: String) {
            self.prefix = IPAddress(prefix)!
            self.length = length
            self.kind = kind
        }

        func contains(_ address: IPAddress) -> Bool {
            guard address.bytes.count == prefix.bytes.count else { return false }
            var remaining = length
            for (a, p) in zip(address.bytes, prefix.bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != p & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// Ranges no federation partner can reach (RFC 6890 special-purpose registries).
    static let nonPublicRanges: [Range] = [
        Range("0.0.0.0", 8, "\"this network\" (0.0.0.0/8)"),
        Range("10.0.0.0", 8, "private (RFC 1918)"),
        Range("100.64.0.0", 10, "carrier-grade NAT (RFC 6598)"),
        Range("127.0.0.0", 8, "loopback"),
        Range("169.254.0.0", 16, "link-local"),
        Range("172.16.0.0", 12, "private (RFC 1918)"),
        Range("192.168.0.0", 16, "private (RFC 1918)"),
        Range("224.0.0.0", 4, "multicast"),
        Range("240.0.0.0", 4, "reserved (240.0.0.0/4)"),
        Range("::", 128, "unspecified"),
        Range("::1", 128, "loopback"),
        Range("::ffff:0:0", 96, "IPv4-mapped (not routable as IPv6)"),
        Range("fc00::", 7, "unique local (ULA, RFC 4193)"),
        Range("fe80::", 10, "link-local"),
        Range("fec0::", 10, "site-local (deprecated)"),
        Range("ff00::", 8, "multicast"),
    ]
}
