/// `dns check --format json` (docs/json.md), written as a stream: the shape of
/// `CheckRenderer.Document`, keys in `JSONEncoder`'s sorted order, optional keys absent when
/// there is nothing to say. Text from DNS, zone files and descriptions is `Escape.text`ed as in
/// the text report, so that a consumer printing these strings (`jq -r`) prints no control
/// characters either.
public enum CheckJSON {
    public static func write(_ report: CheckReport, to sink: OutputSink) {
        var w = JSONWriter(sink)
        w.beginObject()
        w.field("description", Escape.text(report.description))
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
        w.array("records", report.records) { w, row in
            let r = row.record
            w.beginObject()
            w.field("expected", r.data.description)
            w.field("name", r.name.description)
            w.field("observed", row.observed.map(Escape.text))
            w.field("status", row.status.rawValue)
            w.field("type", r.type.rawValue)
            w.field("zone", r.zone.description)
            w.endObject()
        }
        w.field("schema", 1)
        w.array("servers", report.servers) { $0.value($1) }
        w.field("stopped", report.stopped)
        summary(&w, report.summary)
        if !report.zoneFiles.isEmpty {
            w.array("zone_files_read", report.zoneFiles) { w, f in
                w.beginObject()
                w.field("file", Escape.text(f.file))
                w.field("origin", f.origin.map(Escape.text))
                w.field("origin_from", f.originSource.name)
                if case .directive(let line) = f.originSource { w.field("origin_line", line) }
                w.field("zone", f.zone.map(Escape.text))
                w.endObject()
            }
        }
        w.endObject()
        w.finish()
    }

    static func summary(_ w: inout JSONWriter, _ s: CheckReport.Summary) {
        w.key("summary")
        w.beginObject()
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
        w.field("expected", f.expected.map(Escape.text))
        w.field("fix", f.fix.map(Escape.text))
        if let place = f.location {
            w.key("location")
            location(&w, place)
        }
        w.field("message", Escape.text(f.message))
        w.field("name", Escape.text(f.name))
        w.field("observed", f.observed.map(Escape.text))
        w.field("rule", f.rule)
        w.field("server", f.server.map(Escape.text))
        w.field("severity", f.severity.rawValue)
        w.field("type", f.type.map(Escape.text))
        w.endObject()
    }

    /// `JSONDocuments.Location`'s shape.
    static func location(_ w: inout JSONWriter, _ place: SourceLocation) {
        w.beginObject()
        w.field("column", place.column)
        w.field("file", Escape.text(place.file))
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
        w.field("description", Escape.text(description))
        w.array("problems", problems.prefix(shownLimit)) { w, d in
            w.beginObject()
            w.key("location")
            location(&w, d.location)
            w.field("message", Escape.text(d.message))
            w.field("suggestion", d.suggestion.map(Escape.text))
            w.endObject()
        }
        w.field("problems_not_shown", max(0, problems.count - shownLimit))
        w.field("schema", 1)
        w.array("zone_files", files) { $0.value(Escape.text($1)) }
        w.endObject()
        w.finish()
    }
}
