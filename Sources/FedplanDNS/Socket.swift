import FedplanCore
import Glibc

/// `sockaddr_storage` for a server, and the check that a reply came from it. Public for the
/// TLS probes of `cert check`, which connect to addresses the same way.
public enum SocketAddress {
    public static func storage(for server: ServerAddress) -> (sockaddr_storage, socklen_t) {
        var storage = sockaddr_storage()
        let bytes = server.address.bytes
        if server.address.isIPv4 {
            withUnsafeMutableBytes(of: &storage) { raw in
                raw.withMemoryRebound(to: sockaddr_in.self) { sin in
                    sin[0].sin_family = sa_family_t(AF_INET)
                    sin[0].sin_port = server.port.bigEndian
                    withUnsafeMutableBytes(of: &sin[0].sin_addr) { $0.copyBytes(from: bytes) }
                }
            }
            return (storage, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        withUnsafeMutableBytes(of: &storage) { raw in
            raw.withMemoryRebound(to: sockaddr_in6.self) { sin6 in
                sin6[0].sin6_family = sa_family_t(AF_INET6)
                sin6[0].sin6_port = server.port.bigEndian
                withUnsafeMutableBytes(of: &sin6[0].sin6_addr) { $0.copyBytes(from: bytes) }
            }
        }
        return (storage, socklen_t(MemoryLayout<sockaddr_in6>.size))
    }

    /// The address and port a datagram came from.
    static func server(from storage: sockaddr_storage) -> ServerAddress? {
        var storage = storage
        return withUnsafeBytes(of: &storage) { raw -> ServerAddress? in
            switch Int32(raw.load(as: sockaddr.self).sa_family) {
            case AF_INET:
                let sin = raw.load(as: sockaddr_in.self)
                let ip = withUnsafeBytes(of: sin.sin_addr) { IPAddress(bytes: Array($0)) }
                return ip.map { ServerAddress(address: $0, port: UInt16(bigEndian: sin.sin_port)) }
            case AF_INET6:
                let sin6 = raw.load(as: sockaddr_in6.self)
                let ip = withUnsafeBytes(of: sin6.sin6_addr) { IPAddress(bytes: Array($0)) }
                return ip.map { ServerAddress(address: $0, port: UInt16(bigEndian: sin6.sin6_port)) }
            default:
                return nil
            }
        }
    }

    /// Seconds on a clock that never jumps.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
