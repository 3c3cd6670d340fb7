/// A list taken from an answer, cut for every output: a server can answer with a thousand
/// records, and each finding that shows them would carry all of them (docs/security.md).
public enum ObservedList {
    /// Items shown; past this many, "and N more".
    public static let shown = 16

    /// The items joined by `separator`, the first `shown` of them then "and N more";
    /// `total` is the number of items when some were cut, nil when all are shown.
    public static func cut<C: Collection>(_ items: C, separator: String = ", ") -> (text: String, total: Int?)
    where C.Element == String {
        let count = items.count
        guard count > shown else { return (items.joined(separator: separator), nil) }
        return (items.prefix(shown).joined(separator: separator) + "\(separator)and \(count - shown) more", count)
    }
}
