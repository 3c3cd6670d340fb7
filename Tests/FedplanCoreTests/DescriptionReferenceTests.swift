@testable import FedplanCore
import Foundation
import Testing

/// docs/description.md is the complete reference of the description: every key the loader
/// accepts has a row (type, allowed values, default, example) in its section's table, and no
/// table lists a key the loader refuses.
@Suite struct DescriptionReferenceTests {
    /// The rows of each `### heading` table: heading text (backticks removed) to first cells.
    static func tables() throws -> [String: [[String]]] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/description.md"), encoding: .utf8)
        var tables: [String: [[String]]] = [:]
        var heading: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### ") {
                heading = line.dropFirst(4).replacingOccurrences(of: "`", with: "")
            } else if line.hasPrefix("## ") || line.hasPrefix("#### ") {
                heading = nil  // a subsection's table (the forms of mobile_push) is not a key table
            }
            guard let heading, line.hasPrefix("| `") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            tables[heading, default: []].append(cells)
        }
        return tables
    }

    @Test func everyKeyHasARowWithTypeDefaultAndExample() throws {
        let tables = try Self.tables()
        for (path, keys) in DescriptionLoader.sections {
            let rows = try #require(tables[path], "docs/description.md has no `### \(path)` table")
            let documented = rows.filter { $0.count == 5 }.map { $0[0].replacingOccurrences(of: "`", with: "") }
            for key in keys {
                let row = rows.first { $0.first == "`\(key)`" }
                #expect(row != nil, "\(path): \(key) is not in docs/description.md")
                if let row {
                    #expect(row.count == 5 && !row[1].isEmpty && !row[3].isEmpty && row[4].contains(key),
                            "\(path).\(key): the row needs a type, a default and an example: \(row)")
                }
            }
            #expect(Set(documented).isSubset(of: keys), "\(path): documented but not read: \(Set(documented).subtracting(keys))")
        }
    }

    /// The full example at the top of the page loads as written.
    @Test func theCompleteExampleLoads() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("docs/description.md"), encoding: .utf8)
        let start = try #require(text.range(of: "```yaml\n"))
        let end = try #require(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let deployment = try load(String(text[start.upperBound..<end.lowerBound]))
        #expect(deployment.federation.xmpp?.partners.first?.additionalDomains.count == 1)
        #expect(deployment.federation.sip.partners.contains { $0.legacyOCS })
        _ = try Planner.plan(deployment)
    }
}
