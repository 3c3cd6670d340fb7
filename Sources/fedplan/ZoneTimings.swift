import FedplanDNS

/// `dns check --zone-file --timings`: how long each phase of a zone-file check took, on one line
/// of standard error. Reading, scanning and collecting are one phase: Knot's scanner runs on a
/// thread of its own while the reader decides what to keep (ZoneScanStream.swift), so the two
/// overlap and only their sum has a wall time.
struct ZoneTimings {
    private let started: Double
    private var marks: [(phase: String, at: Double)] = []
    /// Records read in each pass (the first reads every file; a later pass only as far as needed).
    var recordsPerPass: [Int] = []

    /// `started`: when the command began; `loaded`: when the description was loaded and planned.
    init(started: Double, loaded: Double) {
        self.started = started
        marks = [("load and plan", loaded)]
    }

    /// The phase that ends now.
    mutating func end(_ phase: String) { marks.append((phase, QueryOptions.now())) }

    var line: String {
        var parts: [String] = []
        var before = started
        for (phase, at) in marks {
            var part = "\(phase) \(Self.seconds(at - before))"
            if phase == Self.reading {
                let records = recordsPerPass.first ?? 0
                let passes = recordsPerPass.count
                part += " (\(records) records\(passes > 1 ? ", \(passes) passes" : ""))"
            }
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
