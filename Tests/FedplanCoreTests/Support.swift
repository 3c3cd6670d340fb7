import FedplanCore
import Foundation
import Testing

/// The package root, found from this file's path so tests run from any directory.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func load(_ yaml: String, file: String = "test.yaml") throws -> Deployment {
    switch DescriptionLoader.load(text: yaml, file: file) {
    case .success(let d): return d
    case .failure(let list):
        Issue.record("expected a valid description, got:\n\(list)")
        throw list
    }
}

func diagnostics(_ yaml: String) -> [Diagnostic] {
    switch DescriptionLoader.load(text: yaml, file: "test.yaml") {
    case .success(let d):
        do {
            _ = try Planner.plan(d)
            return []
        } catch {
            return error.diagnostics
        }
    case .failure(let list): return list.diagnostics
    }
}

func name(_ text: String) -> DomainName {
    guard case .success(let n) = DomainName.parse(text, allowUnderscore: true) else { fatalError("bad test name \(text)") }
    return n
}
