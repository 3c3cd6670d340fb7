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

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if fd == STDOUT_FILENO, errno != EPIPE {
                    let reason = String(cString: strerror(errno))
                    write("fedplan: cannot write to standard output: \(reason)\n", to: STDERR_FILENO)
                    exit(ExitStatus.badInput)
                }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Colour only on a terminal, never with NO_COLOR set (no-color.org) or --no-color.
    static func useColor(disabled: Bool, fd: Int32) -> Bool {
        !disabled && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && isatty(fd) == 1
    }
}

/// A failure that has already been explained to the user; carries the exit code.
struct Exit: Error {
    let code: Int32
}
