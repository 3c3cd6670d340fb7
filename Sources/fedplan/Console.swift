import ArgumentParser
import FedplanCore
import Foundation

/// Where output goes. A reader that went away (EPIPE: `fedplan dns plan | head -1`) ends the
/// output quietly; any other failure to write standard output (a full disk, `> /dev/full`) is
/// an error, exit 2, so a script never takes a cut-off document for a whole one.
enum Console {
    static func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO)
    }

    /// Bytes of a streamed document (`StandardOutput`), with the same handling of errors.
    static func out(bytes: UnsafeRawBufferPointer) {
        write(bytes, to: STDOUT_FILENO)
    }

    private static func write(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0), to: fd) }
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if fd == STDOUT_FILENO, errno != EPIPE {
                    let reason = String(cString: strerror(errno))
                    write("fedplan: cannot write to standard output: \(reason)\n", to: STDERR_FILENO)
                    exit(ExitStatus.badInput)
                }
                return
            }
            offset += n
        }
    }

    /// `always` and `never` as asked; `auto`: only on a terminal, not with NO_COLOR set to
    /// anything but the empty string (no-color.org), not with TERM=dumb.
    static func useColor(_ choice: ColorChoice, fd: Int32) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            let environment = ProcessInfo.processInfo.environment
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isatty(fd) == 1
        }
    }
}

extension Console {
    /// The terminal's width in columns when `fd` is a terminal (lines are wrapped to it); nil
    /// for a pipe or a file, which get lines whole, for grep.
    static func width(fd: Int32) -> Int? {
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// A failure that has already been explained to the user; carries the exit code.
struct Exit: Error {
    let code: Int32
}

/// GitHub Actions' job summary: Markdown appended to the file `$GITHUB_STEP_SUMMARY` names,
/// shown on the run's page. Outside Actions (the variable unset) nothing is written.
enum JobSummary {
    static func append(_ markdown: String) {
        guard let path = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !path.isEmpty else { return }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            Console.error("fedplan: cannot write the job summary to \(Escape.text(path)): \(String(cString: strerror(errno)))")
            return
        }
        defer { close(fd) }
        var bytes = Array((markdown + "\n").utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
