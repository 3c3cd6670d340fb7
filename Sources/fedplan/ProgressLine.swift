import FedplanDNS
import Foundation

/// `dns check` on a terminal: one line on standard error saying how far the queries are (done
/// of all, answered, failed, seconds), redrawn in place and cleared before the report. Nothing
/// when standard error is not a terminal (a pipe, a CI log), with `--quiet`, or with TERM=dumb,
/// which cannot erase a line.
final class ProgressLine: @unchecked Sendable {  // used from the checking thread only
    private let started = QueryOptions.now()
    private let width: Int?
    private var shown = false

    private init() {
        width = Console.width(fd: STDERR_FILENO)
    }

    static func make(quiet: Bool) -> ProgressLine? {
        guard !quiet, isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        return ProgressLine()
    }

    func update(_ p: QueryProgress) {
        let elapsed = QueryOptions.now() - started
        // Queries are what the report is about: each failed one is a `query-failed` there.
        // Lookups (wildcard probes, name servers, serials) only guide the check.
        var line = "fedplan dns check: \(p.done)/\(p.total) queries, \(p.answered) answered, \(p.failed) failed, "
            + (p.lookups > 0 ? "\(p.lookups) lookups, " : "") + String(format: "%.1f s", elapsed)
        if let width, line.count >= width { line = String(line.prefix(max(1, width - 1))) }  // never wrap: \r must reach its start
        draw(line)
        shown = true
    }

    /// Erases the line, so that the report starts on a clean one.
    func clear() {
        if shown { draw("") }
        shown = false
    }

    private func draw(_ text: String) {
        // Carriage return, erase to the end of the line, then the text: no newline.
        let bytes = Array("\r\u{1B}[K\(text)".utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// `dns check --timings`: the engine's last progress report (it carries the seconds spent
/// asking), turned into one line per phase.
final class AskedTally: @unchecked Sendable {  // used from the checking thread only
    var last = QueryProgress()

    func timings(load: Double, total: Double) -> String {
        let rest = max(0, total - load - last.seconds)
        let sent = last.done + last.lookups  // every query sent, lookups too
        let rate = last.seconds > 0 ? Int((Double(sent) / last.seconds).rounded()) : 0
        return """
            timings: load and plan \(String(format: "%.3f", load)) s; \
            queries \(String(format: "%.3f", last.seconds)) s (\(sent) queries, \(rate) per second); \
            checking and report \(String(format: "%.3f", rest)) s; total \(String(format: "%.3f", total)) s
            """
    }
}
