import Foundation

/// `dns check` output: text for people, JSON for scripts, JUnit and GitHub annotations for CI.
public enum CheckRenderer {
    // MARK: text

    /// Zones shown one by one in each kind (fine, unverified only); past this many they are
    /// one line each kind. Failed queries with the same cause are listed one by one up to this
    /// many too, then as one group.
    public static let handful = 5

    /// Grouped by zone, the worst zone first; in a zone the findings worst first, each with
    /// expected vs observed and what to change; records that are fine are counted, not listed.
    /// Long runs collapse: failed queries with one cause (a dead server, the deadline) are one
    /// group, and past a handful, zones with nothing to show are one line. `width` wraps long
    /// lines to a terminal's width.
    ///
    /// `quiet` (`-q`): nothing at all when all is well, as `named-checkzone -q` and
    /// `kzonecheck`; otherwise only what fails the check (errors and failed queries, warnings
    /// too when `strict`), without the header, the counts and the summary.
    public static func text(_ report: CheckReport, color: Bool = false, quiet: Bool = false, strict: Bool = false,
                            width: Int? = nil) -> String {
        var out = ""
        func shown(_ f: Finding) -> Bool { !quiet || f.severity == .error || (strict && f.severity == .warning) }
        if !quiet {
            let servers = report.servers.joined(separator: ", ")
            out += wrap("DNS check of \(report.description) against \(servers): \(report.records.count) planned records", width: width, indent: 2) + "\n"
            out += zoneFileLines(report.zoneFiles).map { wrap($0, width: width, indent: 4) + "\n" }.joined()
        }
        let multiServer = report.servers.count > 1
        func show(_ f: Finding) -> String {
            block(f, color: color, multiServer: multiServer, description: report.description, width: width)
        }
        let groups = zoneGroups(report)
        let home = homeZones(report)
        var straysByZone: [String: [CheckReport.Stray]] = [:]
        for s in report.strays { if let zone = home[s.name] { straysByZone[zone, default: []].append(s) } }
        let (failureGroups, grouped) = unansweredGroups(report.findings)
        if !failureGroups.isEmpty {
            let unverified = unverifiedRecordsByQuestion(report)
            for g in failureGroups { out += "\n" + unansweredBlock(g, unverifiedRecords: unverified, color: color, width: width) }
        }
        var findingsByZone: [String: [Finding]] = [:]
        for (k, f) in report.findings.enumerated() where !grouped.contains(k) && shown(f) {
            if let zone = home[f.name] { findingsByZone[zone, default: []].append(f) }
        }
        // Zones by their index in `groups`: a hoster's 10,000 zone names are not hashed again.
        var fineIndices: [Int] = [], unverifiedIndices: [Int] = []
        for (g, group) in groups.enumerated() where findingsByZone.isEmpty || findingsByZone[group.zone] == nil {
            if group.rows.allSatisfy({ $0.status == .ok || $0.status == .notCovered }) { fineIndices.append(g) } else { unverifiedIndices.append(g) }
        }
        let fine = fineIndices.map { groups[$0] }, unverifiedOnly = unverifiedIndices.map { groups[$0] }
        let collapseFine = fine.count > handful, collapseUnverified = unverifiedOnly.count > handful
        var collapsed = [Bool](repeating: false, count: groups.count)
        for g in (collapseFine ? fineIndices : []) + (collapseUnverified ? unverifiedIndices : []) { collapsed[g] = true }
        for g in groups.indices.sorted(by: { groups[$0].worst < groups[$1].worst }) where !collapsed[g] {
            let group = groups[g]
            let zone = group.zone, rows = group.rows
            let findings = findingsByZone[zone] ?? []
            if quiet && findings.isEmpty { continue }
            out += "\n\(zone)\n"
            for f in findings { out += show(f) }
            if !quiet { out += zoneCountLine(rows) }
            // Each record published beyond the plan, a line of its own beside the planned ones.
            for s in straysByZone[zone] ?? [] where !quiet || s.status == .error {
                out += wrap("  not planned: \(Escape.text(s.name)) \(Escape.text(s.type)) \(Escape.text(s.data)): \(s.status.rawValue) (\(s.rule))", width: width, indent: 4) + "\n"
            }
        }
        if !quiet {
            if collapseUnverified {
                out += "\n" + collapsedLine(unverifiedOnly, "zones with no findings but unverified records (failed queries above)", width: width)
            }
            if collapseFine { out += "\n" + collapsedLine(fine, "zones with every record ok", width: width) }
        }
        // Findings about names outside the plan's zones: what federation partners publish, or
        // (zone files) records of the other zones given, such as a DNAME's target.
        let others = report.findings.enumerated().filter { home[$0.element.name] == nil && !grouped.contains($0.offset) && shown($0.element) }
        if !others.isEmpty {
            out += report.zoneFiles.isEmpty ? "\nfederation partners\n" : "\nother names in the zone files\n"
            for (_, f) in others { out += show(f) }
        }
        for o in report.omitted where !quiet || o.severity == .error || (strict && o.severity == .warning) {
            out += "\n" + wrap("… and \(o.count) more \(o.severity.rawValue) finding\(o.count == 1 ? "" : "s") of \(o.rule), not listed (at most \(CheckLimits.findingsPerName) of a rule per name)", width: width, indent: 2)
        }
        if !report.omitted.isEmpty && out.last != "\n" { out += "\n" }
        if quiet {
            if let stopped = report.stopped {
                out += "\n" + wrap("stopped early (\(stopped)): the records above that were not answered are unverified", width: width, indent: 2) + "\n"
            }
            // No leading blank line: the first block starts the output.
            return String(out.drop { $0 == "\n" })
        }
        let s = report.summary
        // DNSSEC, when validation ran: the counts of JSON's `summary.dnssec`, before the summary
        // line, which stays last.
        if let d = s.dnssec {
            let judged = d.secure + d.insecure + d.bogus + d.indeterminate
            out += "\n" + wrap("DNSSEC: \(d.secure) secure, \(d.insecure) insecure, \(d.bogus) bogus, \(d.indeterminate) indeterminate (of \(judged) planned record\(judged == 1 ? "" : "s") judged)", width: width, indent: 2)
        }
        var summary = "\(s.records) records: \(s.ok) ok, \(s.errors) error\(s.errors == 1 ? "" : "s"), \(s.warnings) warning\(s.warnings == 1 ? "" : "s"), \(s.notices) notice\(s.notices == 1 ? "" : "s"), \(s.unverified) unverified"
        if s.notCovered > 0 { summary += ", \(s.notCovered) not covered by the zone files given" }
        out += "\n" + wrap(summary, width: width, indent: 2)
        if let stopped = report.stopped {
            out += "\n" + wrap("stopped early (\(stopped)): the records above that were not answered are unverified", width: width, indent: 2)
        }
        return out + "\n"
    }

    /// Which zone each file was read as, and where its origin came from: one line per file, or
    /// past a handful of files one line that counts them by where their origin came from.
    static func zoneFileLines(_ files: [CheckReport.ZoneFileRead]) -> [String] {
        func origin(_ f: CheckReport.ZoneFileRead) -> String {
            switch f.originSource {
            case .directive(let line): "origin \(f.origin ?? "?") from its $ORIGIN at line \(line)"
            case .option: "origin \(f.origin ?? "?") from --origin"
            case .fileName: "origin \(f.origin ?? "?") from the file name"
            case .none: "every name absolute"
            }
        }
        if files.count <= handful {
            return files.map { "  read \(Escape.text($0.file)) as \(Escape.text($0.zone ?? "?")) (\(Escape.text(origin($0))))" }
        }
        var counts: [(String, Int)] = []
        for f in files {
            let kind = f.originSource.name
            if let i = counts.firstIndex(where: { $0.0 == kind }) { counts[i].1 += 1 } else { counts.append((kind, 1)) }
        }
        return ["  read \(files.count) zone files; origins from: " + counts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")]
    }

    static func zoneCountLine(_ rows: [CheckReport.RecordResult]) -> String {
        let ok = rows.filter { $0.status == .ok }.count
        let uncovered = rows.filter { $0.status == .notCovered }.count
        var line = "  ok: \(ok) of \(rows.count) record\(rows.count == 1 ? "" : "s")"
        line += uncovered > 0 ? "; \(uncovered) not covered by the zone files given\n" : "\n"
        return line
    }

    /// "9,990 zones with every record ok (19,980 records): a., b., c. and 9,987 more"
    static func collapsedLine(_ zones: [ZoneGroup], _ what: String, width: Int?) -> String {
        let records = zones.map(\.rows.count).reduce(0, +)
        let names = zones.prefix(3).map(\.zone).joined(separator: ", ")
        let line = "\(zones.count) \(what), \(records) records: \(names) and \(zones.count - 3) more"
        return wrap(line, width: width, indent: 2) + "\n"
    }

    /// Failed queries that share their cause and server, when more than a handful do.
    struct UnansweredGroup {
        var findings: [Finding]
    }

    static func unansweredGroups(_ findings: [Finding]) -> ([UnansweredGroup], Set<Int>) {
        var byCause: [String: [Int]] = [:]
        var order: [String] = []
        for (k, f) in findings.enumerated() where ExitStatus.unverifiedRules.contains(f.rule) {
            let key = "\(f.server ?? "")\u{0}\(f.message)"
            if byCause[key] == nil { order.append(key) }
            byCause[key, default: []].append(k)
        }
        var groups: [UnansweredGroup] = [], members: Set<Int> = []
        for key in order {
            let indices = byCause[key]!
            guard indices.count > handful else { continue }
            groups.append(UnansweredGroup(findings: indices.map { findings[$0] }))
            members.formUnion(indices)
        }
        return (groups, members)
    }

    /// How many planned records each question (`name type`) left unverified.
    static func unverifiedRecordsByQuestion(_ report: CheckReport) -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in report.records where row.status == .unverified {
            counts["\(row.record.name.description) \(row.record.type.rawValue)", default: 0] += 1
        }
        return counts
    }

    /// The group's line says what the summary counts: failed queries are not errors but
    /// unverified records, so the label is `unverified`, and the count is of queries, with the
    /// planned records they left unverified when that is another number.
    static func unansweredBlock(_ g: UnansweredGroup, unverifiedRecords: [String: Int] = [:], color: Bool, width: Int?) -> String {
        let first = g.findings[0]
        let label = statusLabel(first, color: color)
        let names = g.findings.prefix(3).map { "\(Escape.text($0.name)) \($0.type ?? "")" }.joined(separator: ", ")
        let records = g.findings.map { unverifiedRecords["\($0.name) \($0.type ?? "")"] ?? 0 }.reduce(0, +)
        let what = first.rule == "query-failed" ? "queries failed" : "checks failed"
        let counted = records > 0 && records != g.findings.count ? "\(g.findings.count) \(what) (\(records) records unverified)"
            : "\(g.findings.count) \(what)"
        var out = wrap("  \(label) \(counted): \(Escape.text(first.message)) [\(first.rule)]", width: width, indent: 10) + "\n"
        out += wrap("          \(names) and \(g.findings.count - 3) more (--format json lists every one)", width: width, indent: 10) + "\n"
        if let fix = first.fix {
            let general = fix.replacingOccurrences(of: "\(first.name) \(first.type ?? "")", with: "these names")
            out += wrap("          fix: \(Escape.text(general))", width: width, indent: 15) + "\n"
        }
        if let server = first.server { out += "          server: \(server)\n" }
        return out
    }

    /// Breaks a line at spaces so that it fits `width` columns, continuing at `indent`; a word
    /// longer than the line is left whole. No width (not a terminal): the line as it is.
    static func wrap(_ line: String, width: Int?, indent: Int) -> String {
        guard let width, width > indent + 20, line.count > width else { return line }
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var current = "", started = false
        for word in line.split(separator: " ", omittingEmptySubsequences: false) {
            if !started {
                current = String(word)
                started = true
            } else if current.count + 1 + word.count > width, current.count > indent {
                lines.append(current)
                current = pad + word
            } else {
                current += " " + word
            }
        }
        lines.append(current)
        return lines.joined(separator: "\n")
    }

    /// The zone each finding is shown under: the zone of the planned name it is about, or, for a
    /// name outside the plan (a misspelt owner in a zone file), the deepest planned zone that
    /// contains it. Partners' names have none.
    static func homeZones(_ report: CheckReport) -> [String: String] {
        guard !report.findings.isEmpty else { return [:] }  // a healthy check: no names to place
        var home: [String: String] = [:]
        for r in report.records { home[r.record.name.description] = r.record.zone.description }
        let zones = Set(report.records.map { $0.record.zone.description })
        for f in report.findings where home[f.name] == nil {
            // From the name up: the first zone met is the deepest (a lookup per label).
            var current = Substring(f.name)
            while let dot = current.firstIndex(of: "."), current.index(after: dot) < current.endIndex {
                current = current[current.index(after: dot)...]
                if zones.contains(String(current)) { home[f.name] = String(current); break }
            }
            if zones.contains(f.name) { home[f.name] = f.name }
        }
        return home
    }

    /// The planned records grouped by zone, in plan order, each zone with its worst status:
    /// one pass, so that rendering stays linear for a hoster's thousands of zones.
    struct ZoneGroup {
        var zone: String
        var rows: [CheckReport.RecordResult]
        var worst: RecordStatus
    }

    static func zoneGroups(_ report: CheckReport) -> [ZoneGroup] {
        var groups: [ZoneGroup] = []
        var index: [String: Int] = [:]
        for row in report.records {
            let zone = row.record.zone.description
            // A plan lists each zone's records together: the zone of the row before needs no lookup.
            if let last = groups.indices.last, groups[last].zone == zone {
                groups[last].rows.append(row)
                groups[last].worst = min(groups[last].worst, row.status)
            } else if let i = index[zone] {
                groups[i].rows.append(row)
                groups[i].worst = min(groups[i].worst, row.status)
            } else {
                index[zone] = groups.count
                groups.append(ZoneGroup(zone: zone, rows: [row], worst: row.status))
            }
        }
        return groups
    }

    /// `error  `, padded to one width, painted on a colour terminal.
    static func severityLabel(_ severity: Severity, color: Bool) -> String {
        let label = severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
        return color ? FindingRenderer.paint(severity).replacingOccurrences(of: severity.rawValue, with: label) : label
    }

    /// The severity, except for a failed query or certificate check: `unverified`, as the
    /// summary and the exit code (3) count it, not as an error.
    static func statusLabel(_ f: Finding, color: Bool) -> String {
        guard ExitStatus.unverifiedRules.contains(f.rule) else { return severityLabel(f.severity, color: color) }
        return color ? FindingRenderer.paint(.warning).replacingOccurrences(of: Severity.warning.rawValue, with: "unverified")
            : "unverified"
    }

    static func block(_ f: Finding, color: Bool, multiServer: Bool, description: String, width: Int? = nil) -> String {
        let severity = statusLabel(f, color: color)
        var lines = ["  \(severity) \(Escape.text(f.name)) \(f.type ?? "")  \(Escape.text(f.message)) [\(f.rule)]"]
        if f.expected != nil || f.observed != nil {
            lines.append("          expected: \(Escape.text(f.expected ?? "-"))   observed: \(Escape.text(f.observed ?? "-"))")
        }
        if let fix = f.fix { lines.append("          fix: \(Escape.text(fix))") }
        if let reason = f.acknowledged { lines.append("          acknowledged in the description: \(Escape.text(reason))") }
        // Zone-file findings say where; the description line of live findings is in the JSON.
        if let location = f.location, location.file != description { lines.append("          at: \(Escape.text(location.description))") }
        if multiServer, let server = f.server { lines.append("          server: \(server)") }
        return lines.map { wrap($0, width: width, indent: 10) + "\n" }.joined()
    }

    // MARK: JSON

    /// The JSON document (docs/json.md), streamed into `sink` (`CheckJSON`).
    public static func json(_ report: CheckReport, to sink: OutputSink) {
        CheckJSON.write(report, to: sink)
    }

    /// The same document as one String, for tests and small callers; the command line streams.
    public static func json(_ report: CheckReport) -> String {
        let sink = StringSink()
        CheckJSON.write(report, to: sink)
        return sink.text
    }

    // MARK: JUnit

    /// One test case per planned record; errors fail it (warnings too with `strict`, as the
    /// exit code), unverified records are JUnit errors. Streamed into `sink` (`CheckJUnit`).
    public static func junit(_ report: CheckReport, strict: Bool = false, to sink: OutputSink) {
        CheckJUnit.write(report, strict: strict, to: sink)
    }

    /// The same document as one String, for tests and small callers; the command line streams.
    public static func junit(_ report: CheckReport, strict: Bool = false) -> String {
        let sink = StringSink()
        CheckJUnit.write(report, strict: strict, to: sink)
        return sink.text
    }

    /// XML text or attribute: markup escaped, control characters made visible (XML 1.0 cannot
    /// carry most of them at all).
    static func xml(_ text: String) -> String {
        Escape.text(text).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    // MARK: GitHub

    /// GitHub shows at most this many annotations of one level per step; the rest are only in
    /// the log, so the job summary lists them.
    public static let annotationLimit = 10

    /// GitHub Actions workflow commands, one per finding, pointing at the description line
    /// that planned the record, and a closing notice with the counts. With `strict`, when only
    /// warnings fail the check (exit 1), the closing line is an error that says so: the
    /// warnings' own annotations stay warnings, and the step's red mark has its reason.
    public static func github(_ report: CheckReport, strict: Bool = false) -> String {
        let warningsFail = strict && ExitStatus.code(for: report.findings, strict: true) == ExitStatus.findings
            && ExitStatus.code(for: report.findings, strict: false) != ExitStatus.findings
        let closing = warningsFail
            ? "::error title=fedplan dns check::\(data(summaryLine(report))); --strict: the warnings fail the check\n"
            : "::notice title=fedplan dns check::\(data(summaryLine(report)))\n"
        return githubAnnotations(report)
            + report.omitted.map { "::warning title=fedplan dns check::\(data(CheckReport.omittedSentence($0)))\n" }.joined()
            + closing
    }

    static func summaryLine(_ report: CheckReport) -> String {
        let s = report.summary
        func n(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
        var line = "\(n(s.records, "record")): \(s.ok) ok, \(n(s.errors, "error")), \(n(s.warnings, "warning")), \(n(s.notices, "notice")), \(s.unverified) unverified"
        if s.notCovered > 0 { line += ", \(s.notCovered) not covered by the zone files given" }
        if let stopped = report.stopped { line += "; stopped early (\(stopped))" }
        return line
    }

    /// A Markdown job summary (`$GITHUB_STEP_SUMMARY`): the counts, then every finding in a
    /// table, including those beyond the annotations GitHub shows.
    public static func githubSummary(_ report: CheckReport) -> String {
        func cell(_ text: String) -> String {
            Escape.text(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
        }
        var out = "### fedplan dns check\n\n\(cell(summaryLine(report)))\n"
        guard !report.findings.isEmpty else { return out }
        let shown = Dictionary(grouping: report.findings, by: \.severity).values.map { $0.count }.max() ?? 0
        if shown > annotationLimit {
            out += "\nGitHub shows at most \(annotationLimit) annotations of each level; all \(report.findings.count) findings are here.\n"
        }
        out += "\n| severity | rule | name | type | where | message |\n|---|---|---|---|---|---|\n"
        for f in report.findings {
            out += "| \(f.severity.rawValue) | \(cell(f.rule)) | \(cell(f.name)) | \(cell(f.type ?? "")) | \(cell(f.location?.description ?? "")) | \(cell(f.message + (f.fix.map { " — fix: \($0)" } ?? ""))) |\n"
        }
        return out
    }

    static func githubAnnotations(_ report: CheckReport) -> String {
        report.findings.map { f in
            let level = switch f.severity {
            case .error: "error"
            case .warning: "warning"
            case .notice: "notice"
            }
            var properties: [String] = []
            if let location = f.location {
                properties.append("file=\(property(location.file))")
                if let line = location.line { properties.append("line=\(line)") }
            }
            properties.append("title=\(property("\(f.rule) \(f.name) \(f.type ?? "")"))")
            var message = f.message
            if let fix = f.fix { message += " — fix: \(fix)" }
            if let reason = f.acknowledged { message += " (acknowledged in the description: \(reason))" }
            if let server = f.server { message += " (server \(server))" }
            return "::\(level) \(properties.joined(separator: ","))::\(data(message))\n"
        }.joined() + (report.stopped.map { "::warning title=fedplan::the check stopped early (\(data($0)))\n" } ?? "")
    }

    /// A problem that stopped the check (a syntax error in a zone file), as an annotation.
    public static func githubError(_ d: Diagnostic) -> String {
        var properties = ["file=\(property(d.location.file))"]
        if let line = d.location.line { properties.append("line=\(line)") }
        properties.append("title=\(property("fedplan: cannot read the zone file"))")
        let message = d.message + (d.suggestion.map { " — \($0)" } ?? "")
        return "::error \(properties.joined(separator: ","))::\(data(message))\n"
    }

    /// Escaping of workflow command data and properties (actions/toolkit `escapeData`).
    static func data(_ text: String) -> String {
        Escape.text(text).replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// A zone file that could not be read still gives CI a document in the format it asked for, so
/// that a job uploads a report that says why, not an empty file (exit 2 all the same).
extension CheckRenderer {
    public static func refusalJSON(_ problems: [Diagnostic], shownLimit: Int, description: String, files: [String],
                                   to sink: OutputSink) {
        CheckJSON.writeRefusal(problems, shownLimit: shownLimit, description: description, files: files, to: sink)
    }

    public static func refusalJSON(_ problems: [Diagnostic], shownLimit: Int, description: String, files: [String]) -> String {
        let sink = StringSink()
        CheckJSON.writeRefusal(problems, shownLimit: shownLimit, description: description, files: files, to: sink)
        return sink.text
    }

    /// One test suite of failures, one per problem, named by file and line.
    public static func refusalJUnit(_ problems: [Diagnostic], to sink: OutputSink) {
        CheckJUnit.writeRefusal(problems, to: sink)
    }

    public static func refusalJUnit(_ problems: [Diagnostic]) -> String {
        let sink = StringSink()
        CheckJUnit.writeRefusal(problems, to: sink)
        return sink.text
    }
}
