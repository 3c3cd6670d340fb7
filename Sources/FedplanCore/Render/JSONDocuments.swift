import Foundation

/// The JSON shapes of docs/json.md, shared by `validate`, `dns plan` and `dns export` (and later
/// `dns check`): the same names for the same things. Documented in docs/json.md.
public enum JSONDocuments {
    public struct Location: Codable, Equatable {
        public var file: String
        public var line: Int?
        public var column: Int?

        init(_ location: SourceLocation) {
            file = Escape.text(location.file)
            line = location.line
            column = location.column
        }
    }

    public struct SRV: Codable, Equatable {
        public var priority: UInt16
        public var weight: UInt16
        public var port: UInt16
        public var target: String
    }

    public struct Record: Codable, Equatable {
        public var name: String
        public var type: String
        public var ttl: UInt32
        public var data: String
        public var srv: SRV?
        public var zone: String
        public var reason: String
        public var server: String?
        public var source: String
        public var origin: Location

        init(_ r: PlannedRecord) {
            name = r.name.description
            type = r.type.rawValue
            ttl = r.ttl
            data = r.data.description
            if case .srv(let s) = r.data {
                srv = SRV(priority: s.priority, weight: s.weight, port: s.port, target: s.target.description)
            }
            zone = r.zone.description
            reason = r.reason
            server = r.server
            source = r.source
            origin = Location(r.origin)
        }
    }

    public struct Zone: Codable, Equatable {
        public var zone: String
        public var records: [Record]
    }

    public struct FindingJSON: Codable, Equatable {
        public var rule: String
        public var severity: String
        public var name: String
        public var type: String?
        public var message: String
        public var expected: String?
        public var observed: String?
        /// Present when `observed` is a list cut to 16 items: how many there were.
        public var observed_total: Int?
        public var server: String?
        public var location: Location?
        public var fix: String?
        /// The description's reason for accepting the finding (`acknowledge:`); absent otherwise.
        public var acknowledged: String?

        /// Text from DNS and from descriptions is escaped here as in the text report, so that a
        /// consumer printing these strings (`jq -r`) prints no control characters either.
        init(_ f: Finding) {
            fix = f.fix.map(Escape.text)
            rule = f.rule
            severity = f.severity.rawValue
            name = Escape.text(f.name)
            type = f.type.map(Escape.text)
            message = Escape.text(f.message)
            expected = f.expected.map(Escape.text)
            observed = f.observed.map(Escape.text)
            observed_total = f.observedTotal
            server = f.server.map(Escape.text)
            location = f.location.map(Location.init)
            acknowledged = f.acknowledged.map(Escape.text)
        }
    }

    public struct ErrorJSON: Codable, Equatable {
        public var message: String
        public var suggestion: String?
        public var location: Location

        init(_ d: Diagnostic) {
            message = Escape.text(d.message)
            suggestion = d.suggestion.map(Escape.text)
            location = Location(d.location)
        }
    }

    public struct Summary: Codable, Equatable {
        public var zones: Int
        public var records: Int
        public var errors: Int
        public var warnings: Int
        public var notices: Int
        /// Findings (counted above too) that the description acknowledges; absent when none.
        public var acknowledged: Int?

        init(plan: Plan?, findings: [Finding]) {
            zones = plan?.zones.count ?? 0
            records = plan?.records.count ?? 0
            errors = findings.filter { $0.severity == .error }.count
            warnings = findings.filter { $0.severity == .warning }.count
            notices = findings.filter { $0.severity == .notice }.count
            let accepted = findings.filter { $0.acknowledged != nil }.count
            acknowledged = accepted > 0 ? accepted : nil
        }
    }

    /// `dns plan --format json`, `dns export --format json` and `validate --format json`.
    public struct PlanDocument: Codable, Equatable {
        public var schema: Int = 1
        public var description: String
        public var organization: String?
        public var valid: Bool
        public var summary: Summary
        public var zones: [Zone]
        public var findings: [FindingJSON]
        public var errors: [ErrorJSON]
    }

    public static func planDocument(file: String, deployment: Deployment?, plan: Plan?, zones: [ZonePlan]? = nil,
                                    findings: [Finding], errors: [Diagnostic] = []) -> PlanDocument {
        PlanDocument(
            description: Escape.text(file),
            organization: deployment?.organization.map(Escape.text),
            valid: errors.isEmpty,
            summary: Summary(plan: plan, findings: findings),
            zones: (zones ?? plan?.zones ?? []).map { Zone(zone: $0.zone.description, records: $0.records.map(Record.init)) },
            findings: findings.map(FindingJSON.init),
            errors: errors.map(ErrorJSON.init))
    }

    /// Pretty, key-sorted, UTF-8: stable from run to run so it can be diffed and kept in git.
    public static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding our own plain structs cannot fail.
        return String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
    }
}
