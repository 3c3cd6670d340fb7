/// SARIF written as a stream (`JSONWriter`), keys in `JSONEncoder`'s sorted order as before:
/// the log, its one run (invocations, results, tool), one result per finding or problem.
extension SARIFRenderer {
    static func write(findings: [Finding], version: String, stopped: String?, omitted: [CheckReport.Omitted] = [],
                      to sink: OutputSink) {
        let rules = descriptors()
        var index: [String: Int] = [:]
        for (i, rule) in rules.enumerated() { index[rule.id] = i }
        var uris = URICache()
        var w = JSONWriter(sink)
        // Notifications: the check stopped early, and findings counted but left out of the list.
        let notices = (stopped.map { ["the check stopped early (\(Escape.text($0)))"] } ?? [])
            + omitted.map { CheckReport.omittedSentence($0) }
        begin(&w, success: true) { w in
            guard !notices.isEmpty else { return }
            w.array("toolExecutionNotifications", notices) { w, text in
                w.beginObject()
                w.field("level", "warning")
                message(&w, text)
                w.endObject()
            }
        }
        w.array("results", findings) { w, f in
            let text = resultText(f)
            let name = JSONWriter.safe(f.name)
            result(&w, rule: f.rule, index: index[f.rule], level: level(f.severity), message: JSONWriter.safe(text),
                   acknowledged: f.acknowledged.map(JSONWriter.safe)) { w in
                w.array("logicalLocations", CollectionOfOne(name)) { w, name in
                    w.beginObject()
                    w.field("fullyQualifiedName", name)
                    w.field("kind", "resource")
                    w.field("name", name)
                    w.endObject()
                }
                if let place = f.location { physical(&w, place, &uris) }
            }
        }
        end(&w, rules: rules, version: version)
    }

    /// `message Expected: X. Observed: Y. Fix: Z.`: a value that already ends with a dot (an
    /// absolute name, `sip.contoso.com.`) gets no second one.
    static func resultText(_ f: Finding) -> String {
        // A message ends with a full stop before the fields that follow it.
        var text = f.expected ?? f.observed ?? f.fix != nil ? sentence(f.message) : f.message
        if let expected = f.expected { text += " Expected: \(sentence(expected))" }
        if let observed = f.observed { text += " Observed: \(sentence(observed))" }
        if let fix = f.fix { text += " Fix: \(sentence(fix))" }
        if let server = f.server { text += " (server \(server))" }
        return text
    }

    /// The text with a full stop at its end, unless it already has one.
    static func sentence(_ text: String) -> String { text.hasSuffix(".") ? text : text + "." }

    static func write(problems: [Diagnostic], version: String, to sink: OutputSink) {
        let rules = descriptors()
        var uris = URICache()
        var w = JSONWriter(sink)
        begin(&w, success: false) { _ in }
        w.array("results", problems) { w, d in
            result(&w, rule: syntaxRule.id, index: rules.count - 1, level: "error",
                   message: JSONWriter.safe(d.message + (d.suggestion.map { "; \($0)" } ?? ""))) { w in
                physical(&w, d.location, &uris)
            }
        }
        end(&w, rules: rules, version: version)
    }

    /// `{"$schema", "runs" : [{"invocations" : […]`: up to the run's results.
    private static func begin(_ w: inout JSONWriter, success: Bool, notifications: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.field("$schema", schemaURI)
        w.key("runs")
        w.beginArray()
        w.element()
        w.beginObject()
        w.key("invocations")
        w.beginArray()
        w.element()
        w.beginObject()
        w.field("executionSuccessful", success)
        notifications(&w)
        w.endObject()
        w.endArray()
    }

    /// The run's tool (every rule of the catalogue), then the log's version.
    private static func end(_ w: inout JSONWriter, rules: [Descriptor], version: String) {
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("informationUri", "https://www.rfc-editor.org/rfc/rfc2782")
        w.field("name", "fedplan")
        w.array("rules", rules) { w, rule in
            w.beginObject()
            w.key("defaultConfiguration")
            w.beginObject()
            w.field("level", rule.defaultConfiguration.level)
            w.endObject()
            message(&w, rule.fullDescription.text, key: "fullDescription")
            message(&w, rule.help.text, key: "help")
            w.field("id", rule.id)
            w.field("name", rule.name)
            message(&w, rule.shortDescription.text, key: "shortDescription")
            w.endObject()
        }
        w.field("version", version)
        w.endObject()
        w.endObject()
        w.endObject()  // the run
        w.endArray()
        w.field("version", "2.1.0")
        w.endObject()
        w.finish()
    }

    /// One result; `locations` writes the keys of its one location object.
    /// `acknowledged`: the description's reason, written as an in-source suppression (SARIF
    /// 2.1.0 §3.35), which code-scanning tools show as dismissed.
    private static func result(_ w: inout JSONWriter, rule: String, index: Int?, level: String, message text: String,
                               acknowledged: String? = nil, locations: (inout JSONWriter) -> Void) {
        w.beginObject()
        w.field("level", level)
        w.key("locations")
        w.beginArray()
        w.element()
        w.beginObject()
        locations(&w)
        w.endObject()
        w.endArray()
        message(&w, text)
        w.field("ruleId", rule)
        w.field("ruleIndex", index)
        if let acknowledged {
            w.array("suppressions", CollectionOfOne(acknowledged)) { w, reason in
                w.beginObject()
                w.field("justification", reason)
                w.field("kind", "inSource")
                w.endObject()
            }
        }
        w.endObject()
    }

    /// `"message" : {"text" : …}`, SARIF's message object.
    private static func message(_ w: inout JSONWriter, _ text: String, key: StaticString = "message") {
        w.key(key)
        w.beginObject()
        w.field("text", text)
        w.endObject()
    }

    /// `"physicalLocation"`: the file, and the line when there is one (a line 0 is none).
    private static func physical(_ w: inout JSONWriter, _ place: SourceLocation, _ uris: inout URICache) {
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        w.beginObject()
        w.field("uri", uris.uri(place.file))
        w.endObject()
        if let line = place.line, line > 0 {
            w.key("region")
            w.beginObject()
            w.field("startColumn", place.column)
            w.field("startLine", line)
            w.endObject()
        }
        w.endObject()
    }

    /// The findings of a zone-file check all point into a few files: each file's URI is
    /// percent-encoded once, not once per finding.
    struct URICache {
        private var last: (path: String, uri: String)?

        mutating func uri(_ path: String) -> String {
            if let last, last.path == path { return last.uri }
            let uri = SARIFRenderer.uri(path)
            last = (path, uri)
            return uri
        }
    }
}
