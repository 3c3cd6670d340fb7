import FedplanDNS
import Foundation

/// `dns check --zone-file --timings`: how long each phase of a zone-file check took, on one line
/// of standard error. Reading, scanning and collecting are one phase: Knot's scanner runs on a
/// thread of its own while the reader decides what to keep (ZoneScanStream.swift), so the two
/// overlap and only their sum has a wall time. Each phase also shows the peak resident memory
/// so far (VmHWM): the 64 MiB goal is about the whole run, and this says which phase reaches it.
struct ZoneTimings {
    private let started: Double
    private var marks: [(phase: String, at: Double, peak: Int?)] = []
    /// Records read in each pass (the first reads every file; a later pass only as far as needed,
    /// and only the chunks that may matter).
    var recordsPerPass: [Int] = []

    /// `started`: when the command began; `loaded`: when the description was loaded and planned.
    init(started: Double, loaded: Double) {
        self.started = started
        marks = [("load and plan", loaded, Self.peakKiB())]
    }

    /// The phase that ends now.
    mutating func end(_ phase: String) { marks.append((phase, QueryOptions.now(), Self.peakKiB())) }

    /// The process's peak resident memory so far, in KiB (Linux: VmHWM in /proc/self/status).
    static func peakKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }

    var line: String {
        var parts: [String] = []
        var before = started
        for (phase, at, peak) in marks {
            var part = "\(phase) \(Self.seconds(at - before))"
            if phase == Self.reading {
                let records = recordsPerPass.first ?? 0
                let passes = recordsPerPass.count
                // A later pass reads only the chunks that may hold what it looks for: how many
                // records that came to says whether the chunk index did its work.
                let again = recordsPerPass.dropFirst().reduce(0, +)
                part += " (\(records) records\(passes > 1 ? ", \(passes) passes, \(again) records read again" : ""))"
            }
            if let peak { part += String(format: " [peak %.1f MiB]", Double(peak) / 1024) }
            parts.append(part)
            before = at
        }
        return "timings: " + parts.joined(separator: "; ") + "; total \(Self.seconds(before - started))"
    }

    static let setUp = "collector set-up"
    static let reading = "read, scan and collect"
    static let check = "check"
    static let report = "report"

    private static func seconds(_ s: Double) -> String { String(format: "%.3f s", max(0, s)) }
}
