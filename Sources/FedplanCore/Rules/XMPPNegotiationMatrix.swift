/// The negotiation matrix of Microsoft's "Configure XMPP gateway on Lync Server 2013" (New-CsXmppAllowedPartner): what each
/// TLS / SASL / dialback combination of an XMPP partner leads to. All 18 cells are listed.
public enum XMPPNegotiationMatrix {
    public enum Outcome: Hashable, Sendable {
        case valid(String)
        case warning(String)
        case invalid
    }

    public struct Cell: Hashable, Sendable {
        public var tls: Negotiation
        public var sasl: Negotiation
        public var dialback: Bool

        public init(_ tls: Negotiation, _ sasl: Negotiation, _ dialback: Bool) {
            self.tls = tls
            self.sasl = sasl
            self.dialback = dialback
        }

        /// `Req/Opt/T`, as the reference writes it.
        public var text: String { "\(tls.short)/\(sasl.short)/\(dialback ? "T" : "F")" }
    }

    private static let saslOverTLS = "SASL over TLS"
    private static let saslNeedsTLS = "SASL requires TLS"

    public static let cells: [Cell: Outcome] = [
        Cell(.required, .required, false): .valid(saslOverTLS),
        Cell(.required, .optional, false): .valid(saslOverTLS),
        Cell(.required, .required, true): .warning("dialback will not operate"),
        Cell(.required, .optional, true): .valid("SASL over TLS + TLS dialback"),
        Cell(.required, .notSupported, true): .valid("TLS dialback"),
        Cell(.optional, .notSupported, true): .valid("TLS + TCP dialback"),
        Cell(.notSupported, .notSupported, true): .valid("TCP dialback"),
        Cell(.optional, .required, true): .warning(saslNeedsTLS),
        Cell(.optional, .optional, true): .warning(saslNeedsTLS),
        Cell(.optional, .required, false): .warning(saslNeedsTLS),
        Cell(.optional, .optional, false): .warning(saslNeedsTLS),
        Cell(.notSupported, .required, true): .warning(saslNeedsTLS),
        Cell(.notSupported, .optional, true): .warning(saslNeedsTLS),
        Cell(.notSupported, .required, false): .invalid,
        Cell(.notSupported, .optional, false): .invalid,
        Cell(.required, .notSupported, false): .invalid,
        Cell(.optional, .notSupported, false): .invalid,
        Cell(.notSupported, .notSupported, false): .invalid,
    ]

    /// The smallest changes of `tls`, `sasl` and `dialback` that make `cell` a valid
    /// combination, as description keys (`` `dialback: false` ``, `` `tls: required` and
    /// `dialback: false` ``): at most two, fewest keys first. Empty for a valid cell.
    public static func fixes(for cell: Cell) -> [String] {
        if case .valid = cells[cell] { return [] }
        func changes(_ other: Cell) -> [String] {
            var keys: [String] = []
            if other.tls != cell.tls { keys.append("`tls: \(other.tls.rawValue)`") }
            if other.sasl != cell.sasl { keys.append("`sasl: \(other.sasl.rawValue)`") }
            if other.dialback != cell.dialback { keys.append("`dialback: \(other.dialback)`") }
            return keys
        }
        var valid: [[String]] = []
        for tls in Negotiation.allCases {
            for sasl in Negotiation.allCases {
                for dialback in [true, false] {
                    let other = Cell(tls, sasl, dialback)
                    if case .valid = cells[other] { valid.append(changes(other)) }
                }
            }
        }
        guard let fewest = valid.map(\.count).min() else { return [] }
        return valid.filter { $0.count == fewest }.prefix(2).map { $0.joined(separator: " and ") }
    }

    /// `set `dialback: false` for this partner (or `sasl: optional`): either removes the warning`.
    public static func fix(for cell: Cell) -> String? {
        let choices = fixes(for: cell)
        guard let first = choices.first else { return nil }
        if choices.count == 1 { return "set \(first) for this partner: that removes the warning" }
        return "set \(first) for this partner (or \(choices.dropFirst().joined(separator: ", or "))): either removes the warning"
    }

    public static func outcome(tls: Negotiation, sasl: Negotiation, dialback: Bool) -> Outcome {
        cells[Cell(tls, sasl, dialback)]!
    }
}
