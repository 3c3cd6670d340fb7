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

    public static func json(_ text: String) {
        self.text(text)
        let data = Data(text.utf8)
        guard String(data: data, encoding: .utf8) != nil,
              (try? JSONSerialization.jsonObject(with: data)) != nil else {
            fatalError("invalid JSON: \(Escape.text(String(text.prefix(500))))")
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
