import Foundation

/// Left-aligned columns separated by two spaces; the last column is not padded.
struct TextTable {
    var rows: [[String]] = []

    mutating func add(_ cells: [String]) { rows.append(cells) }

    func render(indent: String = "") -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            let cells = row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }
            return indent + cells.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
