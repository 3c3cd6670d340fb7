import FedplanCore

/// Reads master-file text through Knot's zone scanner into `DNSRecord`s, each with its line.
/// Every problem is collected, not just the first. (`dns export` reads back what it wrote with
/// this; the streaming zone-file reader of `dns check --zone-file` uses the same scanner.)
public enum ZoneText {
    public static func parse(_ text: String, name: String, origin: String? = nil) -> Result<[DNSRecord], DiagnosticList> {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer -> Result<[DNSRecord], DiagnosticList> in
            guard let scanner = ZoneScanner(bytes: buffer, origin: origin ?? ".", ttl: 3600, directory: ".") else {
                return .failure(DiagnosticList([Diagnostic("cannot start the zone scanner", at: SourceLocation(file: name))]))
            }
            var records: [DNSRecord] = []
            var problems: [Diagnostic] = []
            scanning: while true {
                let start = scanner.offset, lineBefore = scanner.line
                switch scanner.next() {
                case .record:
                    let line = firstContentLine(from: start, line: lineBefore, in: buffer)
                    records.append(scanner.record(at: SourceLocation(file: name, line: line)))
                case .error(let code, let line, let fatal):
                    problems.append(Diagnostic("\(ZoneScanner.reason(code)): \(scanner.text(ofLine: line))",
                                               at: SourceLocation(file: name, line: line)))
                    if fatal { break scanning }
                case .include(let line):
                    problems.append(Diagnostic("$INCLUDE is not read here", at: SourceLocation(file: name, line: line)))
                case .end:
                    break scanning
                }
            }
            return problems.isEmpty ? .success(records) : .failure(DiagnosticList(problems))
        }
    }

    /// The line of the first token at or after `offset`: the scanner skips blank and comment
    /// lines inside the call that reads the next record, and counts a record's lines by where
    /// it ends, so its own line count cannot tell where a record starts.
    static func firstContentLine(from offset: Int, line: Int, in bytes: UnsafeRawBufferPointer) -> Int {
        var i = offset, line = line
        while i < bytes.count {
            var j = i
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == 0x0D { j += 1 }
            if j < bytes.count, bytes[j] == 0x3B || (j == i && bytes[j] == 0x24 && !isInclude(bytes, at: j)) {
                // A comment, or a `$TTL`/`$ORIGIN` line (read in the same call): skip the line.
                while j < bytes.count, bytes[j] != 0x0A { j += 1 }
            }
            guard j < bytes.count, bytes[j] == 0x0A else { break }
            line += 1
            i = j + 1
        }
        return line
    }

    static func isInclude(_ bytes: UnsafeRawBufferPointer, at i: Int) -> Bool { starts(bytes, at: i, with: "$include") }

    /// Whether a directive word (`$origin`), in any case and followed by a blank, starts at `i`.
    static func starts(_ bytes: UnsafeRawBufferPointer, at i: Int, with directive: String) -> Bool {
        let word = Array(directive.utf8)
        guard i + word.count < bytes.count else { return false }
        return (0..<word.count).allSatisfy { bytes[i + $0] | 0x20 == word[$0] | 0x20 }
            && (bytes[i + word.count] == 0x20 || bytes[i + word.count] == 0x09)
    }

    /// The line of the last `directive` (`$ORIGIN`) written at the start of a line before `offset`.
    /// The scanner has already read and applied it; this only finds where it was written. Used
    /// once per file, on the text before its first record.
    static func lastDirectiveLine(_ directive: String, before offset: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        var found: Int?
        var line = 1, i = 0
        let end = min(offset, bytes.count)
        while i < end {
            if starts(bytes, at: i, with: directive) { found = line }
            while i < end, bytes[i] != 0x0A { i += 1 }
            line += 1
            i += 1
        }
        return found
    }
}
