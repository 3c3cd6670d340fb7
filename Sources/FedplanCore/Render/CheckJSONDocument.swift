/// The shapes of `dns check --format json` (docs/json.md) as Swift values, for programs and
/// tests that read the document back (`JSONDecoder`). fedplan itself writes the document as a
/// stream (`CheckJSON`), never through these: a value tree of 20,000 records would be the
/// largest thing in memory.
extension CheckRenderer {
    public struct RecordJSON: Codable, Equatable {
        public var name: String
        public var type: String
        public var zone: String?
        /// The plan's data; absent for a stray record (`stray`).
        public var expected: String?
        public var observed: String?
        /// Present when `observed` is a list cut to 16 items: how many there were.
        public var observed_total: Int?
        public var status: RecordStatus
        /// Present (true) for a record a server publishes at a planned name that the plan does
        /// not have: `observed` is its data, `rule` the finding that says so.
        public var stray: Bool?
        public var rule: String?
        public var server: String?
        /// `secure`, `insecure`, `bogus` or `indeterminate` (docs/dnssec.md; zone files:
        /// docs/zone-files.md); absent when not judged.
        public var dnssec: DNSSECStatus?
    }

    /// How one zone file was read (`CheckReport.ZoneFileRead`).
    public struct ZoneFileReadJSON: Codable, Equatable {
        public var file: String
        public var zone: String?
        public var origin: String?
        /// `$ORIGIN`, `--origin`, `file name` or `absolute names`.
        public var origin_from: String
        /// Only for `$ORIGIN`: the line of the directive.
        public var origin_line: Int?
    }

    public struct Document: Codable, Equatable {
        public var schema: Int = 1
        public var description: String
        public var servers: [String]
        public var summary: CheckReport.Summary
        public var records: [RecordJSON]
        public var findings: [JSONDocuments.FindingJSON]
        /// Present only when the check ended early: "interrupted", or the deadline that passed.
        public var stopped: String?
        /// Present only when some rule had more findings at one name than are listed (16): how
        /// many more, per rule and severity. The summary counts them.
        public var omitted_findings: [CheckReport.Omitted]?
        /// `--zone-file` only: each file, in the order given, with its zone and the origin it
        /// was read with. Absent for live checks.
        public var zone_files_read: [ZoneFileReadJSON]?
    }

    /// A zone file that could not be read (exit 2): why nothing was checked.
    public struct RefusalDocument: Codable, Equatable {
        public var schema: Int = 1
        public var description: String
        public var zone_files: [String]
        /// Always false here: nothing was checked.
        public var checked: Bool
        public var problems: [JSONDocuments.ErrorJSON]
        /// Problems beyond those listed (the first 100 are).
        public var problems_not_shown: Int
    }
}
