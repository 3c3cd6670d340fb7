/// `dns check --format json` (docs/json.md), written as a stream: the shape of
/// `CheckRenderer.Document`, keys in `JSONEncoder`'s sorted order, optional keys absent when
/// there is nothing to say. Text from DNS, zone files and descriptions is `Escape.text`ed as in
/// the text report, so that a consumer printing these strings (`jq -r`) prints no control
/// characters either.
public enum CheckJSON {
    public static func write(_ report: CheckReport, to sink: OutputSink) {
        var w = JSONWriter(sink)
        w.beginObject()
        w.textField("description", report.description)
        w.array("findings", report.findings) { finding(&$0, $1) }
        if !report.omitted.isEmpty {
            w.array("omitted_findings", report.omitted) { w, o in
                w.beginObject()
                w.field("count", o.count)
                w.field("rule", o.rule)
                w.field("severity", o.severity.rawValue)
                w.endObject()
            }
        }
        w.key("records")
        w.beginArray()
        // The keys of a record's object, composed once for all records.
        let key = (dnssec: w.prepare("dnssec", nested: 1), expected: w.prepare("expected", nested: 1),
                   name: w.prepare("name", nested: 1), observed: w.prepare("observed", nested: 1),
                   observedTotal: w.prepare("observed_total", nested: 1), status: w.prepare("status", nested: 1),
                   type: w.prepare("type", nested: 1), zone: w.prepare("zone", nested: 1))
        for row in report.records {
            let r = row.record
            w.element()
            w.beginObject()
            if let dnssec = row.dnssec {
                w.key(key.dnssec)
                w.value(name(dnssec))
            }
            w.key(key.expected)
            data(w, r.data)
            w.key(key.name)
            w.value(r.name.description)
            if let observed = row.observed {
                w.key(key.observed)
                w.text(observed)
            }
            if let total = row.observedTotal {
                w.key(key.observedTotal)
                w.value(total)
            }
            w.key(key.status)
            w.value(name(row.status))
            w.key(key.type)
            w.value(name(r.type))
            w.key(key.zone)
            w.value(r.zone.description)
            w.endObject()
        }
        // After the planned records, each stray one: an entry of its own.
        let strays = report.strays
        if !strays.isEmpty {
            let home = CheckRenderer.homeZones(report)
            for s in strays {
                w.element()
                w.beginObject()
                w.textField("name", s.name)
                w.textField("observed", s.data)
                w.field("rule", s.rule)
                w.textField("server", s.server)
                w.field("status", s.status.rawValue)
                w.field("stray", true)
                w.textField("type", s.type)
                w.textField("zone", home[s.name])
                w.endObject()
            }
        }
        w.endArray()
        w.field("schema", 1)
        w.array("servers", report.servers) { $0.value($1) }
        w.field("stopped", report.stopped)
        summary(&w, report.summary)
        if !report.zoneFiles.isEmpty {
            w.array("zone_files_read", report.zoneFiles) { w, f in
                w.beginObject()
                w.textField("file", f.file)
                w.textField("origin", f.origin)
                w.field("origin_from", f.originSource.name)
                if case .directive(let line) = f.originSource { w.field("origin_line", line) }
                w.textField("zone", f.zone)
                w.endObject()
            }
        }
        w.endObject()
        w.finish()
    }

    /// `RecordData.description` written in place: no String per record.
    static func data(_ w: JSONWriter, _ data: RecordData) {
        switch data {
        case .srv(let s):
            w.beginString()
            w.stringPart(spaced: (s.priority, s.weight, s.port))
            w.stringPart(s.target.description)
            w.endString()
        case .address(let ip):
            w.value(ip.description)
        case .cname(let target):
            w.value(target.description)
        }
    }

    // The raw values of the enums a record row shows, as literals: `JSONWriter.value(_:)` copies
    // a literal without looking for characters to escape (the raw values are plain ASCII
    // words; a test compares each with its raw value).
    static func name(_ status: RecordStatus) -> StaticString {
        switch status {
        case .ok: "ok"
        case .error: "error"
        case .warning: "warning"
        case .notice: "notice"
        case .unverified: "unverified"
        case .notCovered: "not-covered"
        }
    }

    static func name(_ type: RecordType) -> StaticString {
        switch type {
        case .srv: "SRV"
        case .a: "A"
        case .aaaa: "AAAA"
        case .cname: "CNAME"
        }
    }

    static func name(_ status: DNSSECStatus) -> StaticString {
        switch status {
        case .secure: "secure"
        case .insecure: "insecure"
        case .bogus: "bogus"
        case .indeterminate: "indeterminate"
        }
    }

    static func summary(_ w: inout JSONWriter, _ s: CheckReport.Summary) {
        w.key("summary")
        w.beginObject()
        if let d = s.dnssec {
            w.key("dnssec")
            w.beginObject()
            w.field("bogus", d.bogus)
            w.field("indeterminate", d.indeterminate)
            w.field("insecure", d.insecure)
            w.field("secure", d.secure)
            w.endObject()
        }
        w.field("errors", s.errors)
        w.field("not_covered", s.notCovered)
        w.field("notices", s.notices)
        w.field("ok", s.ok)
        w.field("records", s.records)
        w.field("unverified", s.unverified)
        w.field("warnings", s.warnings)
        w.endObject()
    }

    /// `JSONDocuments.FindingJSON`'s shape.
    static func finding(_ w: inout JSONWriter, _ f: Finding) {
        w.beginObject()
        w.textField("acknowledged", f.acknowledged)
        w.textField("expected", f.expected)
        w.textField("fix", f.fix)
        if let place = f.location {
            w.key("location")
            location(&w, place)
        }
        w.textField("message", f.message)
        w.textField("name", f.name)
        w.textField("observed", f.observed)
        if let total = f.observedTotal { w.field("observed_total", total) }
        w.field("rule", f.rule)
        w.textField("server", f.server)
        w.field("severity", f.severity.rawValue)
        w.textField("type", f.type)
        w.endObject()
    }

    /// `JSONDocuments.Location`'s shape.
    static func location(_ w: inout JSONWriter, _ place: SourceLocation) {
        w.beginObject()
        w.field("column", place.column)
        w.textField("file", place.file)
        w.field("line", place.line)
        w.endObject()
    }

    /// A zone file that could not be read: `CheckRenderer.RefusalDocument`'s shape, the first
    /// `shownLimit` problems listed.
    public static func writeRefusal(_ problems: [Diagnostic], shownLimit: Int, description: String, files: [String],
                                    to sink: OutputSink) {
        var w = JSONWriter(sink)
        w.beginObject()
        w.field("checked", false)
        w.textField("description", description)
        w.array("problems", problems.prefix(shownLimit)) { w, d in
            w.beginObject()
            w.key("location")
            location(&w, d.location)
            w.textField("message", d.message)
            w.textField("suggestion", d.suggestion)
            w.endObject()
        }
        w.field("problems_not_shown", max(0, problems.count - shownLimit))
        w.field("schema", 1)
        w.array("zone_files", files) { $0.text($1) }
        w.endObject()
        w.finish()
    }
}
