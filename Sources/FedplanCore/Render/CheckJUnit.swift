/// `dns check --format junit`, written as a stream: one test suite per zone in plan order, one
/// test case per planned record; errors fail it, unverified records are JUnit errors, records
/// in no zone file given are skipped. Errors and warnings about names outside the plan are one
/// more suite.
///
/// Warnings (docs/json.md, "--format junit"): the verdict of the report is the exit code's.
/// With `strict` (`--strict`: warnings fail the check, exit 1) a test case whose worst finding
/// is a warning fails (`<failure>`, its message starting "warning (--strict):"), and so do
/// warnings about names outside the plan and warnings counted but not listed. Without it the
/// test case passes and its warnings are lines of its `<system-out>`.
public enum CheckJUnit {
    public static func write(_ report: CheckReport, strict: Bool = false, to sink: OutputSink) {
        let out = BufferedOutput(sink)
        // What fails a test case: errors, and with --strict warnings too, unless acknowledged in
        // the description (they never set the exit code: `ExitStatus`).
        func failing(_ f: Finding) -> Bool { f.severity == .error || (strict && f.severity == .warning && f.acknowledged == nil) }
        // Stray records (published at a planned name, not planned): a test case each, in their zone.
        let strays = strayRows(report)
        var errorFindings: [String: [Finding]] = [:], warningFindings: [String: [Finding]] = [:]
        for f in report.findings where f.severity != .notice && !CheckReport.strayRules.contains(f.rule) {
            if f.severity == .error {
                errorFindings["\(f.name) \(f.type ?? "")", default: []].append(f)
            } else {
                warningFindings["\(f.name) \(f.type ?? "")", default: []].append(f)
            }
        }
        /// A record whose worst finding is a warning fails with --strict (the warnings it has).
        func warningsFail(_ row: CheckReport.RecordResult) -> Bool {
            guard strict && row.status == .warning else { return false }
            let warnings = warningFindings["\(row.record.name) \(row.record.type.rawValue)"] ?? []
            return warnings.isEmpty || warnings.contains { $0.acknowledged == nil }
        }
        var failures = strays.all.filter { failing($0.finding) }.count, errors = 0, skipped = 0
        for row in report.records {
            switch row.status {
            case .error: failures += 1
            case .warning where warningsFail(row): failures += 1
            case .unverified: errors += 1
            case .notCovered: skipped += 1
            default: break
            }
        }
        // Errors and warnings about names outside the plan (a zone's DNSKEY set is at no planned
        // name), and findings counted but not listed: suites of their own after the zones',
        // counted in the totals too, so that the numbers CI shows agree with the test cases.
        // Errors fail their test case; warnings fail it with --strict, else they pass with the
        // warning in <system-out>, as a planned record's do. Only a check with errors or
        // warnings pays for the set of planned names.
        var others: [Finding] = []
        if !errorFindings.isEmpty || !warningFindings.isEmpty {
            let planned = Set(report.records.map { $0.record.name.description })
            others = report.findings.filter {
                !planned.contains($0.name) && $0.severity != .notice && !CheckReport.strayRules.contains($0.rule)
            }
        }
        let othersFailing = others.filter(failing).count
        func omittedFails(_ o: CheckReport.Omitted) -> Bool { o.severity == .error || (strict && o.severity == .warning) }
        failures += othersFailing + report.omitted.filter(omittedFails).count
        let tests = report.records.count + strays.all.count + others.count + report.omitted.count
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" as StaticString)
        out.write("<testsuites name=\"fedplan dns check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n")
        for (zone, rows) in zoneRows(report.records) {
            let zoneStrays = strays.byZone[zone] ?? []
            var failed = zoneStrays.filter { failing($0.finding) }.count, unverified = 0, uncovered = 0
            for i in rows {
                switch report.records[i].status {
                case .error: failed += 1
                case .warning where warningsFail(report.records[i]): failed += 1
                case .unverified: unverified += 1
                case .notCovered: uncovered += 1
                default: break
                }
            }
            out.write("  <testsuite name=\"" as StaticString)
            xml(zone, out)
            out.write("\" tests=\"\(rows.count + zoneStrays.count)\" failures=\"\(failed)\" errors=\"\(unverified)\" skipped=\"\(uncovered)\">\n")
            for i in rows {
                let row = report.records[i], r = row.record
                out.write("    <testcase classname=\"" as StaticString)
                xml(zone, out)
                // `name type data`, escaped piece by piece: both escapes work character by
                // character, so this is the escape of the joined text without joining it.
                out.write("\" name=\"" as StaticString)
                xml(r.name.description, out)
                out.write(" " as StaticString)
                out.write(CheckJSON.name(r.type))  // a plain word: nothing to escape
                out.write(" " as StaticString)
                switch r.data {
                case .srv(let s):
                    // `RecordData.description` in place: digits need no escape.
                    out.writeSpaced((s.priority, s.weight, s.port))
                    xml(s.target.description, out)
                case .address(let ip):
                    xml(ip.description, out)
                case .cname(let target):
                    xml(target.description, out)
                }
                out.write("\"" as StaticString)
                // Warnings that do not fail the test case: its <system-out>, after the failure.
                let warnings = warningFindings.isEmpty || row.status == .ok || row.status == .notCovered ? []
                    : warningFindings["\(r.name) \(r.type.rawValue)"] ?? []
                let strictFailure = warningsFail(row)
                switch row.status {
                case .error, .unverified,
                     .warning where strictFailure:
                    let related = strictFailure ? warnings.filter { $0.acknowledged == nil }
                        : errorFindings["\(r.name) \(r.type.rawValue)"] ?? []
                    let tag: StaticString = row.status == .unverified ? "error" : "failure"
                    let first = related.first
                    out.write(">\n      <" as StaticString)
                    out.write(tag)
                    out.write(" type=\"" as StaticString)
                    xml(first?.rule ?? (strictFailure ? "warning" : "error"), out)
                    out.write("\" message=\"" as StaticString)
                    if strictFailure { out.write("warning (--strict): " as StaticString) }
                    xml(first?.message ?? "", out)
                    out.write("\">" as StaticString)
                    // Each finding escaped on its own, so the newlines between them stay newlines.
                    for (k, f) in related.enumerated() {
                        if k > 0 { out.write("\n" as StaticString) }
                        xml("[\(f.rule)] \(f.message)\(f.fix.map { " — fix: \($0)" } ?? "")", out)
                    }
                    out.write("</" as StaticString)
                    out.write(tag)
                    out.write(">\n" as StaticString)
                    systemOut(strictFailure ? warnings.filter { $0.acknowledged != nil } : warnings, out)
                    out.write("    </testcase>\n" as StaticString)
                case .notCovered:
                    // Not checked at all (in no zone file given): neither passed nor failed.
                    out.write(">\n      <skipped message=\"not covered by the zone files given\"/>\n    </testcase>\n" as StaticString)
                default:
                    if warnings.isEmpty {
                        out.write("/>\n" as StaticString)
                    } else {
                        out.write(">\n" as StaticString)
                        systemOut(warnings, out)
                        out.write("    </testcase>\n" as StaticString)
                    }
                }
            }
            for s in zoneStrays {
                out.write("    <testcase classname=\"" as StaticString)
                xml(zone, out)
                out.write("\" name=\"" as StaticString)
                xml("\(s.stray.name) \(s.stray.type) \(s.stray.data) (not planned)", out)
                if failing(s.finding) {
                    out.write("\">\n      <failure type=\"" as StaticString)
                    xml(s.stray.rule, out)
                    out.write("\" message=\"" as StaticString)
                    if s.status == .warning { out.write("warning (--strict): " as StaticString) }
                    xml(s.finding.message, out)
                    out.write("\">" as StaticString)
                    xml("[\(s.finding.rule)] \(s.finding.message)\(s.finding.fix.map { " — fix: \($0)" } ?? "")", out)
                    out.write("</failure>\n    </testcase>\n" as StaticString)
                } else {
                    out.write("\"/>\n" as StaticString)
                }
            }
            out.write("  </testsuite>\n" as StaticString)
        }
        // Failing findings about names outside the plan (`others`, counted above).
        if !others.isEmpty {
            let home = CheckRenderer.homeZones(report)
            let title = others.allSatisfy { home[$0.name] == nil } ? "federation partners" : "names outside the plan"
            out.write("  <testsuite name=\"\(title)\" tests=\"\(others.count)\" failures=\"\(othersFailing)\" errors=\"0\">\n")
            for f in others {
                out.write("    <testcase classname=\"\(title)\" name=\"")
                xml("\(f.name) \(f.type ?? "")", out)
                guard failing(f) else {
                    out.write("\">\n" as StaticString)
                    systemOut([f], out)
                    out.write("    </testcase>\n" as StaticString)
                    continue
                }
                out.write("\">\n      <failure type=\"" as StaticString)
                xml(f.rule, out)
                out.write("\" message=\"" as StaticString)
                if f.severity == .warning { out.write("warning (--strict): " as StaticString) }
                xml(f.message, out)
                out.write("\">" as StaticString)
                xml(f.fix ?? "", out)
                out.write("</failure>\n    </testcase>\n" as StaticString)
            }
            out.write("  </testsuite>\n" as StaticString)
        }
        // Findings counted but not listed: a test case each, failing for errors, so that the
        // counts CI shows agree with the summary.
        if !report.omitted.isEmpty {
            let failed = report.omitted.filter(omittedFails).count
            out.write("  <testsuite name=\"findings left out\" tests=\"\(report.omitted.count)\" failures=\"\(failed)\" errors=\"0\">\n")
            for o in report.omitted {
                out.write("    <testcase classname=\"findings left out\" name=\"" as StaticString)
                xml("\(o.rule) \(o.severity.rawValue)", out)
                out.write("\">" as StaticString)
                if omittedFails(o) {
                    out.write("\n      <failure type=\"" as StaticString)
                    xml(o.rule, out)
                    out.write("\" message=\"" as StaticString)
                    xml(CheckReport.omittedSentence(o), out)
                    out.write("\"/>\n    " as StaticString)
                } else {
                    out.write("<system-out>" as StaticString)
                    xml(CheckReport.omittedSentence(o), out)
                    out.write("</system-out>" as StaticString)
                }
                out.write("</testcase>\n" as StaticString)
            }
            out.write("  </testsuite>\n" as StaticString)
        }
        out.write("</testsuites>\n" as StaticString)
        out.flush()
    }

    /// Warnings that do not fail their test case, a line each: `warning: [rule] message — fix: …`
    /// (and the reason, when the description acknowledges it).
    static func systemOut(_ warnings: [Finding], _ out: BufferedOutput) {
        guard !warnings.isEmpty else { return }
        out.write("      <system-out>" as StaticString)
        for (k, f) in warnings.enumerated() {
            if k > 0 { out.write("\n" as StaticString) }
            xml("warning: [\(f.rule)] \(f.message)\(f.fix.map { " — fix: \($0)" } ?? "")"
                + (f.acknowledged.map { " (acknowledged in the description: \($0))" } ?? ""), out)
        }
        out.write("</system-out>\n" as StaticString)
    }

    struct StrayRow {
        var stray: CheckReport.Stray
        var finding: Finding
        var status: RecordStatus { stray.status }
    }

    /// Each stray record with the finding that names it, all of them and by zone.
    static func strayRows(_ report: CheckReport) -> (all: [StrayRow], byZone: [String: [StrayRow]]) {
        var seen: Set<String> = [], all: [StrayRow] = [], byZone: [String: [StrayRow]] = [:]
        let home = report.findings.contains { CheckReport.strayRules.contains($0.rule) } ? CheckRenderer.homeZones(report) : [:]
        for f in report.findings where CheckReport.strayRules.contains(f.rule) {
            guard let type = f.type, let data = f.observed, let zone = home[f.name],
                  seen.insert("\(f.name) \(type) \(data)").inserted else { continue }
            let row = StrayRow(stray: CheckReport.Stray(name: f.name, type: type, data: data, status: RecordStatus(f.severity),
                                                        rule: f.rule, server: f.server), finding: f)
            all.append(row)
            byZone[zone, default: []].append(row)
        }
        return (all, byZone)
    }

    /// The records' indices grouped by zone, zones in the order they first appear, as
    /// `CheckRenderer.zoneGroups` groups them, without copying the records.
    static func zoneRows(_ records: [CheckReport.RecordResult]) -> [(zone: String, rows: [Int])] {
        var groups: [(zone: String, rows: [Int])] = []
        var index: [String: Int] = [:]
        for (i, row) in records.enumerated() {
            let zone = row.record.zone.description
            // A plan lists each zone's records together: the zone of the row before needs no lookup.
            if let last = groups.indices.last, groups[last].zone == zone {
                groups[last].rows.append(i)
            } else if let g = index[zone] {
                groups[g].rows.append(i)
            } else {
                index[zone] = groups.count
                groups.append((zone, [i]))
            }
        }
        return groups
    }

    /// `CheckRenderer.xml` into the stream: control characters made visible (`Escape.text`),
    /// then `&`, `<`, `>` and `"` as entities, in one pass over the bytes.
    static func xml(_ text: String, _ out: BufferedOutput) {
        // Printable ASCII without markup, nearly every name and record, is copied as it is,
        // told in one pass: looking first for what `Escape.text` changes and then byte by byte
        // for markup cost 540 instructions a name, four names a test case.
        var text = text
        let plain = text.withUTF8 { bytes -> Bool in
            guard JSONWriter.isPlainMarkup(bytes) else { return false }
            out.write(bytes)
            return true
        }
        if plain { return }
        text = JSONWriter.safe(text)
        text.withUTF8 { bytes in
            var start = 0
            for i in 0..<bytes.count {
                let entity: StaticString
                switch bytes[i] {
                case UInt8(ascii: "&"): entity = "&amp;"
                case UInt8(ascii: "<"): entity = "&lt;"
                case UInt8(ascii: ">"): entity = "&gt;"
                case UInt8(ascii: "\""): entity = "&quot;"
                default: continue
                }
                if start < i { out.write(UnsafeBufferPointer(rebasing: bytes[start..<i])) }
                out.write(entity)
                start = i + 1
            }
            if start < bytes.count { out.write(UnsafeBufferPointer(rebasing: bytes[start...])) }
        }
    }

    /// A zone file that could not be read: one test suite of failures, one per problem, named
    /// by file and line.
    public static func writeRefusal(_ problems: [Diagnostic], to sink: OutputSink) {
        let out = BufferedOutput(sink)
        out.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" as StaticString)
        out.write("<testsuites name=\"fedplan dns check\" tests=\"\(problems.count)\" failures=\"\(problems.count)\" errors=\"0\">\n")
        out.write("  <testsuite name=\"zone files\" tests=\"\(problems.count)\" failures=\"\(problems.count)\" errors=\"0\">\n")
        for d in problems {
            out.write("    <testcase classname=\"zone files\" name=\"" as StaticString)
            xml(d.location.description, out)
            out.write("\">\n      <failure type=\"zone-file-syntax\" message=\"" as StaticString)
            xml(d.message, out)
            out.write("\">" as StaticString)
            xml(d.description, out)
            out.write("</failure>\n    </testcase>\n" as StaticString)
        }
        out.write("  </testsuite>\n</testsuites>\n" as StaticString)
        out.flush()
    }
}
