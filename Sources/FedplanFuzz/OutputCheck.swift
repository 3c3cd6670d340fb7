import FedplanCore
import Foundation
#if canImport(FoundationXML) && !FUZZING
import FoundationXML
#endif

/// What every output must be, whatever the input: no raw control characters or terminal escapes
/// (only newlines), and JSON that is valid UTF-8 and parses. A broken promise stops the process
/// with the offending text, which is what a fuzzer needs to keep the input.
public enum OutputCheck {
    public static func text(_ text: String, allowTabs: Bool = false) {
        for scalar in text.unicodeScalars where scalar != "\n" && !(allowTabs && scalar == "\t") {
            if Escape.needsEscape(scalar) {
                fatalError("raw \(Escape.scalarName(scalar)) in output: \(Escape.text(String(text.prefix(500))))")
            }
        }
    }

    /// Valid UTF-8 JSON, and no string in it holds a control character once decoded (a consumer
    /// like `jq -r` prints the decoded strings).
    public static func json(_ text: String) {
        self.text(text)
        let data = Data(text.utf8)
        guard String(data: data, encoding: .utf8) != nil, let object = try? JSONSerialization.jsonObject(with: data) else {
            fatalError("invalid JSON: \(Escape.text(String(text.prefix(500))))")
        }
        strings(in: object) { self.text($0) }
    }

    private static func strings(in value: Any, _ body: (String) -> Void) {
        switch value {
        case let s as String: body(s)
        case let a as [Any]: for v in a { strings(in: v, body) }
        case let d as [String: Any]: for (k, v) in d { body(k); strings(in: v, body) }
        default: break
        }
    }

    public static func report(_ report: CheckReport) {
        text(CheckRenderer.text(report))
        json(CheckRenderer.json(report))
        text(CheckRenderer.junit(report))
        text(CheckRenderer.github(report))
        #if !FUZZING
        // Not under libFuzzer: FoundationXML leaks libxml2's dictionaries, which LeakSanitizer
        // would report as ours. The test suite's fixed-seed runs keep this check.
        guard (try? XMLDocument(xmlString: CheckRenderer.junit(report))) != nil else {
            fatalError("JUnit output is not XML")
        }
        #endif
    }
}
