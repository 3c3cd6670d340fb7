import FedplanCore
import FedplanDNS
import Glibc

/// A non-blocking TCP connection whose every wait ends at a deadline.
final class Connection {
    let fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    struct Problem: Error {
        let reason: String
    }

    static func open(_ address: IPAddress, port: UInt16, deadline: Double) -> Result<Connection, Problem> {
        var (storage, length) = SocketAddress.storage(for: ServerAddress(address: address, port: port))
        let fd = socket(address.isIPv4 ? AF_INET : AF_INET6, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Problem(reason: "cannot open a socket (\(String(cString: strerror(errno))))")) }
        let connection = Connection(fd: fd)
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let started = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        if started != 0 && errno != EINPROGRESS {
            let why = String(cString: strerror(errno))
            connection.close()
            return .failure(Problem(reason: "cannot connect (\(why))"))
        }
        guard connection.wait(Int16(POLLOUT), deadline: deadline) else {
            connection.close()
            return .failure(Problem(reason: "no TCP connection within the timeout"))
        }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
        guard error == 0 else {
            connection.close()
            return .failure(Problem(reason: "cannot connect (\(String(cString: strerror(error))))"))
        }
        return .success(connection)
    }

    /// Waits until the socket is ready for `events`; false at the deadline.
    func wait(_ events: Int16, deadline: Double) -> Bool {
        while true {
            let left = deadline - SocketAddress.now()
            guard left > 0 else { return false }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&entry, 1, Int32((left * 1000).rounded(.up)))
            if n > 0 { return true }
            if n < 0 && errno != EINTR { return false }
        }
    }

    /// Sends everything by the deadline.
    func send(_ text: String, deadline: Double) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 { bytes = bytes.dropFirst(n); continue }
            guard n < 0, errno == EAGAIN || errno == EINTR, wait(Int16(POLLOUT), deadline: deadline) else { return false }
        }
        return true
    }

    /// Reads until `done` says the text so far is complete, at most `limit` bytes, by the deadline.
    func receive(until done: (String) -> Bool, limit: Int, deadline: Double) -> String? {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while received.count < limit {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, limit - received.count), 0) }
            if n > 0 {
                received += chunk[..<n]
                if done(String(decoding: received, as: UTF8.self)) { return String(decoding: received, as: UTF8.self) }
                continue
            }
            if n == 0 { return nil }
            guard errno == EAGAIN || errno == EINTR, wait(Int16(POLLIN), deadline: deadline) else { return nil }
        }
        return nil
    }

    func close() { Glibc.close(fd) }
}
