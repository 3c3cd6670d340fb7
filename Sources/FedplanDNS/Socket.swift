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

    /// Whether a datagram's source is the server's address and port, compared in place.
    static func same(_ a: sockaddr_storage, _ b: sockaddr_storage) -> Bool {
        var a = a, b = b
        return withUnsafeBytes(of: &a) { x in
            withUnsafeBytes(of: &b) { y in
                let family = x.load(as: sockaddr.self).sa_family
                guard family == y.load(as: sockaddr.self).sa_family else { return false }
                switch Int32(family) {
                case AF_INET:
                    let p = x.load(as: sockaddr_in.self), q = y.load(as: sockaddr_in.self)
                    return p.sin_port == q.sin_port && p.sin_addr.s_addr == q.sin_addr.s_addr
                case AF_INET6:
                    let p = x.load(as: sockaddr_in6.self), q = y.load(as: sockaddr_in6.self)
                    return p.sin6_port == q.sin6_port
                        && withUnsafeBytes(of: p.sin6_addr) { u in withUnsafeBytes(of: q.sin6_addr) { v in u.elementsEqual(v) } }
                default:
                    return false
                }
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
