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
        // Named before it exists: Ctrl-C from here on removes it and leaves `path` alone.
        Interrupt.writing(temp)
        defer { Interrupt.writing(nil) }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
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
        pauseForTests()
        if ok && rename(temp, path) != 0 { ok = false; reason = errorText() }
        if !ok {
            unlink(temp)
            throw Failure(path: path, reason: "write failed: \(reason); the existing file, if any, is unchanged")
        }
        // The rename itself is durable once the folder is on disk too.
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderFD >= 0 { fsync(folderFD); close(folderFD) }
    }

    /// `FEDPLAN_TEST_PAUSE_BEFORE_RENAME=SECONDS` holds a write between the complete temporary
    /// file and the rename, so a test can deliver Ctrl-C at the one moment that matters.
    private static func pauseForTests() {
        guard let text = getenv("FEDPLAN_TEST_PAUSE_BEFORE_RENAME"), let seconds = Double(String(cString: text)),
              seconds > 0 else { return }
        Console.error("fedplan: pausing \(seconds) s before the rename (FEDPLAN_TEST_PAUSE_BEFORE_RENAME)")
        usleep(UInt32(min(seconds, 60) * 1e6))
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
