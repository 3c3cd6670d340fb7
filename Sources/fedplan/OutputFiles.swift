import FedplanCore
import Foundation
import Glibc

/// Writes a set of files all or nothing, and never replaces what it must not:
/// - a path that exists in any form (a dangling symlink, a device, a FIFO, an unreadable file)
///   counts as existing (`lstat`); only regular files are ever replaced, even with `--force`;
/// - without `force`, an existing file is left alone when its content would change, and a new
///   file is created only if nobody created it meanwhile (`link` of the finished temporary file
///   fails when the name exists: two exports racing for one new file cannot both win);
/// - a replaced file keeps its mode and, where permitted, its owner;
/// - every file is first written in full next to its target (a temporary file, synced), then
///   all are moved into place with signals held back; if one move fails, those already made
///   are undone (the old files are kept as hard links until the end), so a failed or
///   interrupted run leaves every file as it was.
enum OutputFiles {
    struct Failure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    enum Outcome: Equatable { case wrote, unchanged }

    /// What is at a path before writing.
    private enum Existing {
        case none
        case regular(mode: mode_t, uid: uid_t, gid: gid_t, content: [UInt8]?)
    }

    private struct Staged {
        let path: String
        let temporary: String
        let backup: String
        let replaces: Bool
    }

    /// Writes `files` (path → text). Returns what happened to each, in order.
    static func write(_ files: [(path: String, text: String)], force: Bool) throws(Failure) -> [Outcome] {
        var outcomes: [Outcome] = []
        var work: [(path: String, bytes: [UInt8], existing: Existing)] = []
        for (path, text) in files {
            let bytes = Array(text.utf8)
            let existing = try inspect(path)
            if case .regular(_, _, _, let content?) = existing, content == bytes {
                outcomes.append(.unchanged)
                continue
            }
            if case .regular = existing, !force {
                throw Failure(message: "\(shown(path)) exists and would change; nothing was written (use --force to replace it)")
            }
            outcomes.append(.wrote)
            work.append((path, bytes, existing))
        }
        let staged = work.map { item in
            let url = URL(fileURLWithPath: item.path)
            let stem = "\(url.deletingLastPathComponent().path)/.\(url.lastPathComponent).fedplan-\(getpid())"
            var replaces = false
            if case .regular = item.existing { replaces = true }
            return Staged(path: item.path, temporary: stem + ".tmp", backup: stem + ".old", replaces: replaces)
        }
        // Named before they exist: Ctrl-C while staging removes them and leaves every target alone.
        Interrupt.writing(staged.map(\.temporary))
        defer { Interrupt.writing([]) }
        do {
            for (item, stage) in zip(work, staged) { try writeTemporary(item.bytes, stage, item.existing) }
        } catch {
            for stage in staged { unlink(stage.temporary) }
            throw error
        }
        pauseForTests()
        try commit(staged)
        return outcomes
    }

    private static func inspect(_ path: String) throws(Failure) -> Existing {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .none }
            throw Failure(message: "cannot look at \(shown(path)): \(errorText()); nothing was written")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let kind = switch info.st_mode & S_IFMT {
            case S_IFLNK: "a symbolic link"
            case S_IFDIR: "a folder"
            case S_IFIFO: "a FIFO"
            case S_IFCHR, S_IFBLK: "a device"
            default: "not a regular file"
            }
            throw Failure(message: "\(shown(path)) exists and is \(kind); fedplan only ever replaces regular files, even with --force; nothing was written (remove it, or choose another name)")
        }
        // Unreadable: it exists, and its content is unknown (so it would change).
        var content: [UInt8]?
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { data = []; break }
                if n == 0 { content = data; break }
                data += buffer[..<n]
            }
        }
        return .regular(mode: info.st_mode & 0o7777, uid: info.st_uid, gid: info.st_gid, content: content)
    }

    private static func writeTemporary(_ bytes: [UInt8], _ stage: Staged, _ existing: Existing) throws(Failure) {
        unlink(stage.temporary)  // debris of an earlier run with the same process ID
        let fd = open(stage.temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)  // the umask applies
        guard fd >= 0 else {
            throw Failure(message: "cannot create a file next to \(shown(stage.path)): \(errorText()); nothing was written")
        }
        var reason: String?
        if case .regular(let mode, let uid, let gid, _) = existing {
            // As root the owner is kept too; otherwise only the owner may write, and it is us.
            if fchown(fd, uid, gid) != 0, geteuid() == 0 { reason = errorText() }
            if reason == nil, fchmod(fd, mode) != 0 { reason = errorText() }
        }
        var offset = 0
        while reason == nil, offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { reason = errorText() } else { offset += n }
        }
        if reason == nil, fsync(fd) != 0 { reason = errorText() }
        if close(fd) != 0, reason == nil { reason = errorText() }
        if let reason {
            throw Failure(message: "cannot write \(shown(stage.path)): \(reason); nothing was written")
        }
    }

    /// Moves every staged file into place, or none: signals wait until this is done.
    private static func commit(_ staged: [Staged]) throws(Failure) {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGINT)
        sigaddset(&blocked, SIGTERM)
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        var done: [Staged] = []
        for stage in staged {
            if let reason = place(stage) {
                for made in done.reversed() { undo(made) }
                for stage in staged { unlink(stage.temporary) }
                throw Failure(message: "cannot write \(shown(stage.path)): \(reason); every file was left as it was")
            }
            done.append(stage)
        }
        for stage in done where stage.replaces { unlink(stage.backup) }
        syncFolders(staged.map(\.path))
    }

    /// Puts one staged file in place; the reason when it could not.
    private static func place(_ stage: Staged) -> String? {
        if stage.replaces {
            unlink(stage.backup)
            guard link(stage.path, stage.backup) == 0 else { return "cannot keep the old file while replacing it: \(errorText())" }
            guard rename(stage.temporary, stage.path) == 0 else {
                let reason = errorText()
                unlink(stage.backup)
                return reason
            }
            return nil
        }
        // Created only if the name is still free: link fails when it exists.
        guard link(stage.temporary, stage.path) == 0 else {
            return errno == EEXIST ? "it was created by another program meanwhile (use --force to replace it)" : errorText()
        }
        unlink(stage.temporary)
        return nil
    }

    private static func undo(_ stage: Staged) {
        if stage.replaces {
            rename(stage.backup, stage.path)
        } else {
            unlink(stage.path)
        }
    }

    /// The renames are durable once the folders are on disk too.
    private static func syncFolders(_ paths: [String]) {
        for folder in Set(paths.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }) {
            let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 { fsync(fd); close(fd) }
        }
    }

    /// `FEDPLAN_TEST_PAUSE_BEFORE_RENAME=SECONDS` holds a write between the complete temporary
    /// files and the renames, so a test can deliver Ctrl-C at the one moment that matters.
    private static func pauseForTests() {
        guard let text = getenv("FEDPLAN_TEST_PAUSE_BEFORE_RENAME"), let seconds = Double(String(cString: text)),
              seconds > 0 else { return }
        Console.error("fedplan: pausing \(seconds) s before the rename (FEDPLAN_TEST_PAUSE_BEFORE_RENAME)")
        usleep(UInt32(min(seconds, 60) * 1_000_000))
    }

    private static func shown(_ path: String) -> String { Escape.text(path) }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}
