@testable import FedplanCore
import Foundation

/// The check reports as fedplan wrote them before they were streamed: the `Codable` documents
/// through `JSONEncoder`, and JUnit as one String, kept verbatim as the oracle that the streamed
/// output must match byte for byte (StreamRendererTests). Not used by the product.
enum Reference {
    static func json(_ report: CheckReport) -> String {
        JSONDocuments.encode(CheckRenderer.Document(
            description: Escape.text(report.description), servers: report.servers, summary: report.summary,
            records: report.records.map {
                CheckRenderer.RecordJSON(name: $0.record.name.description, type: $0.record.type.rawValue,
                                         zone: $0.record.zone.description, expected: $0.record.data.description,
                                         observed: $0.observed.map(Escape.text), observed_total: $0.observedTotal,
                                         status: $0.status)
            } + report.strays.map { s in
                CheckRenderer.RecordJSON(name: Escape.text(s.name), type: Escape.text(s.type),
                                         zone: homeZones(report)[s.name].map(Escape.text), expected: nil,
                                         observed: Escape.text(s.data), status: s.status, stray: true, rule: s.rule,
                                         server: s.server.map(Escape.text))
            },
            findings: report.findings.map(JSONDocuments.FindingJSON.init), stopped: report.stopped,
            omitted_findings: report.omitted.isEmpty ? nil : report.omitted,
            // New with the streamed writer: the same rules as every other field.
            zone_files_read: report.zoneFiles.isEmpty ? nil : report.zoneFiles.map { f in
                var line: Int?
                if case .directive(let l) = f.originSource { line = l }
                return CheckRenderer.ZoneFileReadJSON(file: Escape.text(f.file), zone: f.zone.map(Escape.text),
                                                      origin: f.origin.map(Escape.text), origin_from: f.originSource.name,
                                                      origin_line: line)
            }))
    }

    static func refusalJSON(_ problems: [Diagnostic], shownLimit: Int, description: String, files: [String]) -> String {
        JSONDocuments.encode(CheckRenderer.RefusalDocument(
            description: Escape.text(description), zone_files: files.map(Escape.text), checked: false,
            problems: problems.prefix(shownLimit).map(JSONDocuments.ErrorJSON.init),
            problems_not_shown: max(0, problems.count - shownLimit)))
    }

    static func xml(_ text: String) -> String { CheckRenderer.xml(text) }
    static func zoneGroups(_ report: CheckReport) -> [CheckRenderer.ZoneGroup] { CheckRenderer.zoneGroups(report) }
    static func homeZones(_ report: CheckReport) -> [String: String] { CheckRenderer.homeZones(report) }

    /// One test case per planned record; errors fail it, unverified records are JUnit errors.
    public static func junit(_ report: CheckReport) -> String {
        let strays = CheckJUnit.strayRows(report)
        let planned = Set(report.records.map { $0.record.name.description })
        // Errors and warnings about names outside the plan: errors fail their test case,
        // warnings are in its <system-out>.
        let others = report.findings.filter {
            !planned.contains($0.name) && $0.severity != .notice && !CheckReport.strayRules.contains($0.rule)
        }
        let othersFailing = others.filter { $0.severity == .error }.count
        // The totals count every suite: the zones', the names outside the plan, the findings left out.
        let failures = report.records.filter { $0.status == .error }.count + strays.all.filter { $0.status == .error }.count
            + othersFailing + report.omitted.filter { $0.severity == .error }.count
        let errors = report.records.filter { $0.status == .unverified }.count
        let skipped = report.records.filter { $0.status == .notCovered }.count
        let tests = report.records.count + strays.all.count + others.count + report.omitted.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"fedplan dns check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
        var errorFindings: [String: [Finding]] = [:]
        for f in report.findings where f.severity == .error && !CheckReport.strayRules.contains(f.rule) { errorFindings["\(f.name) \(f.type ?? "")", default: []].append(f) }
        for group in zoneGroups(report) {
            let zone = group.zone, rows = group.rows, zoneStrays = strays.byZone[zone] ?? []
            out += "  <testsuite name=\"\(xml(zone))\" tests=\"\(rows.count + zoneStrays.count)\" failures=\"\(rows.filter { $0.status == .error }.count + zoneStrays.filter { $0.status == .error }.count)\" errors=\"\(rows.filter { $0.status == .unverified }.count)\" skipped=\"\(rows.filter { $0.status == .notCovered }.count)\">\n"
            for row in rows {
                let r = row.record
                out += "    <testcase classname=\"\(xml(zone))\" name=\"\(xml("\(r.name) \(r.type.rawValue) \(r.data)"))\""
                let related = errorFindings["\(r.name) \(r.type.rawValue)"] ?? []
                switch row.status {
                case .error, .unverified:
                    let tag = row.status == .error ? "failure" : "error"
                    let first = related.first
                    out += ">\n      <\(tag) type=\"\(xml(first?.rule ?? "error"))\" message=\"\(xml(first?.message ?? ""))\">"
                    // Each finding escaped on its own, so the newlines between them stay newlines.
                    out += related.map { xml("[\($0.rule)] \($0.message)\($0.fix.map { " — fix: \($0)" } ?? "")") }
                        .joined(separator: "\n")
                    out += "</\(tag)>\n    </testcase>\n"
                case .notCovered:
                    // Not checked at all (in no zone file given): neither passed nor failed.
                    out += ">\n      <skipped message=\"not covered by the zone files given\"/>\n    </testcase>\n"
                default:
                    out += "/>\n"
                }
            }
            for s in zoneStrays {
                out += "    <testcase classname=\"\(xml(zone))\" name=\"\(xml("\(s.stray.name) \(s.stray.type) \(s.stray.data) (not planned)"))\""
                if s.status == .error {
                    let f = s.finding
                    out += ">\n      <failure type=\"\(xml(f.rule))\" message=\"\(xml(f.message))\">\(xml("[\(f.rule)] \(f.message)\(f.fix.map { " — fix: \($0)" } ?? "")"))</failure>\n    </testcase>\n"
                } else {
                    out += "/>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        let home = homeZones(report)
        if !others.isEmpty {
            let title = others.allSatisfy { home[$0.name] == nil } ? "federation partners" : "names outside the plan"
            out += "  <testsuite name=\"\(title)\" tests=\"\(others.count)\" failures=\"\(othersFailing)\" errors=\"0\">\n"
            for f in others {
                out += "    <testcase classname=\"\(title)\" name=\"\(xml("\(f.name) \(f.type ?? "")"))\">\n"
                if f.severity == .error {
                    out += "      <failure type=\"\(xml(f.rule))\" message=\"\(xml(f.message))\">\(xml(f.fix ?? ""))</failure>\n    </testcase>\n"
                } else {
                    out += "      <system-out>\(xml("warning: [\(f.rule)] \(f.message)\(f.fix.map { " — fix: \($0)" } ?? "")"))</system-out>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        if !report.omitted.isEmpty {
            let failing = report.omitted.filter { $0.severity == .error }.count
            out += "  <testsuite name=\"findings left out\" tests=\"\(report.omitted.count)\" failures=\"\(failing)\" errors=\"0\">\n"
            for o in report.omitted {
                let text = xml(CheckReport.omittedSentence(o))
                out += "    <testcase classname=\"findings left out\" name=\"\(xml("\(o.rule) \(o.severity.rawValue)"))\">"
                out += o.severity == .error ? "\n      <failure type=\"\(xml(o.rule))\" message=\"\(text)\"/>\n    </testcase>\n"
                    : "<system-out>\(text)</system-out></testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// One test suite of failures, one per problem, named by file and line.
    public static func refusalJUnit(_ problems: [Diagnostic]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"fedplan dns check\" tests=\"\(problems.count)\" failures=\"\(problems.count)\" errors=\"0\">\n"
        out += "  <testsuite name=\"zone files\" tests=\"\(problems.count)\" failures=\"\(problems.count)\" errors=\"0\">\n"
        for d in problems {
            out += "    <testcase classname=\"zone files\" name=\"\(xml(d.location.description))\">\n"
            out += "      <failure type=\"zone-file-syntax\" message=\"\(xml(d.message))\">\(xml(d.description))</failure>\n"
            out += "    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }
}

/// SARIF as `JSONEncoder` wrote it.
enum ReferenceSARIF {
    /// The product's catalogue of rules, as the old Encodable descriptors.
    static func descriptors() -> [Descriptor] {
        SARIFRenderer.descriptors().map {
            Descriptor(id: $0.id, name: $0.name, shortDescription: Message(text: $0.shortDescription.text),
                       fullDescription: Message(text: $0.fullDescription.text), help: Message(text: $0.help.text),
                       defaultConfiguration: Configuration(level: $0.defaultConfiguration.level))
        }
    }
    static var syntaxRule: Descriptor { descriptors().last! }
    static func level(_ severity: Severity) -> String { SARIFRenderer.level(severity) }
    static func uri(_ path: String) -> String { SARIFRenderer.uri(path) }

    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]

        enum CodingKeys: String, CodingKey {
            case version
            case schema = "$schema"
            case runs
        }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var invocations: [Invocation]
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "fedplan"
        var version: String
        var informationUri = "https://www.rfc-editor.org/rfc/rfc2782"
        var rules: [Descriptor]
    }

    struct Message: Encodable { var text: String }

    struct Descriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
    }

    struct Configuration: Encodable { var level: String }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int?
        var level: String
        var message: Message
        var locations: [Location]
    }

    struct Location: Encodable {
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region?
    }

    struct ArtifactLocation: Encodable { var uri: String }

    struct Region: Encodable {
        var startLine: Int
        var startColumn: Int?
    }

    struct LogicalLocation: Encodable {
        var name: String
        var fullyQualifiedName: String
        var kind = "resource"
    }

    struct Invocation: Encodable {
        var executionSuccessful: Bool
        var toolExecutionNotifications: [Notification]?
    }

    struct Notification: Encodable {
        var level: String
        var message: Message
    }

    /// Findings of `dns check` or `cert check`. `description` is the deployment description:
    /// findings located there point at the line that planned the record.
    public static func findings(_ findings: [Finding], version: String, stopped: String? = nil,
                                omitted: [CheckReport.Omitted] = []) -> String {
        let rules = descriptors()
        let index = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        let results = findings.map { f in
            // A value ending in a dot (an absolute name) gets no second one; the message ends
            // with one before the fields that follow it.
            func stop(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }
            var message = f.expected ?? f.observed ?? f.fix != nil ? stop(f.message) : f.message
            if let expected = f.expected { message += " Expected: \(stop(expected))" }
            if let observed = f.observed { message += " Observed: \(stop(observed))" }
            if let fix = f.fix { message += " Fix: \(stop(fix))" }
            if let server = f.server { message += " (server \(server))" }
            var location = Location(logicalLocations: [LogicalLocation(name: Escape.text(f.name), fullyQualifiedName: Escape.text(f.name))])
            if let place = f.location {
                location.physicalLocation = physical(place)
            }
            return Result(ruleId: f.rule, ruleIndex: index[f.rule], level: level(f.severity),
                          message: Message(text: Escape.text(message)), locations: [location])
        }
        let texts = (stopped.map { ["the check stopped early (\(Escape.text($0)))"] } ?? []) + omitted.map(CheckReport.omittedSentence)
        let notes = texts.isEmpty ? nil : texts.map { Notification(level: "warning", message: Message(text: $0)) }
        return encode(rules: rules, results: results, success: true, notifications: notes, version: version)
    }

    /// Problems that stopped the check: every one a `zone-file-syntax` error at its line.
    public static func problems(_ problems: [Diagnostic], version: String) -> String {
        let rules = descriptors()
        let results = problems.map { d in
            Result(ruleId: syntaxRule.id, ruleIndex: rules.count - 1, level: "error",
                   message: Message(text: Escape.text(d.message + (d.suggestion.map { "; \($0)" } ?? ""))),
                   locations: [Location(physicalLocation: physical(d.location))])
        }
        return encode(rules: rules, results: results, success: false, notifications: nil, version: version)
    }

    static func physical(_ place: SourceLocation) -> PhysicalLocation {
        PhysicalLocation(artifactLocation: ArtifactLocation(uri: uri(place.file)),
                         region: place.line.flatMap { $0 > 0 ? Region(startLine: $0, startColumn: place.column) : nil })
    }

    static func encode(rules: [Descriptor], results: [Result], success: Bool, notifications: [Notification]?,
                       version: String) -> String {
        JSONDocuments.encode(Log(runs: [Run(
            tool: Tool(driver: Driver(version: version, rules: rules)), results: results,
            invocations: [Invocation(executionSuccessful: success, toolExecutionNotifications: notifications)])]))
    }
}
