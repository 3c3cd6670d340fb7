import Foundation

/// Writes files so that a failure never leaves a half-written or truncated file: the text goes
/// to a temporary file in the same folder, is flushed to disk, then renamed over the target.
enum AtomicFile {
    struct Failure: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temp = "\(folder)/.\(url.lastPathComponent).fedplan-\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw Failure(path: path, reason: "cannot create a file in \(folder): \(errorText())") }
        var ok = true
        var reason = ""
        var bytes = Array(text.utf8)[...]
        while ok && !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = false; reason = errorText() } else { bytes = bytes.dropFirst(n) }
        }
        if ok && fsync(fd) != 0 { ok = false; reason = errorText() }
        if close(fd) != 0 && ok { ok = false; reason = errorText() }
        if ok && rename(temp, path) != 0 { ok = false; reason = errorText() }
        if !ok {
            unlink(temp)
            throw Failure(path: path, reason: "write failed: \(reason); the existing file, if any, is unchanged")
        }
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
