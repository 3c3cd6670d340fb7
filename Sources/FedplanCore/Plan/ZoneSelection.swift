/// `--zone` (`dns export`, `dns check`): the plan cut to the zones named.
extension Plan {
    /// Why a `--zone` names no zone of the plan, with the closest zone when there is one.
    public struct UnknownZone: Error, Sendable, CustomStringConvertible {
        public let given: String
        public let message: String

        public var description: String { message }
    }

    /// The zones named, in the plan's order, each once; the whole plan when none is named. A
    /// name that is not one of the plan's zones is refused with what it probably meant.
    public func selecting(zones names: [String]) -> Result<Plan, UnknownZone> {
        guard !names.isEmpty else { return .success(self) }
        var wanted: Set<DomainName> = []
        for given in names {
            guard case .success(let name) = DomainName.parse(given), zone(name) != nil else {
                return .failure(unknown(given))
            }
            wanted.insert(name)
        }
        return .success(Plan(zones: zones.filter { wanted.contains($0.zone) }))
    }

    private func unknown(_ given: String) -> UnknownZone {
        let known = zones.map(\.zone.text)
        let shown = Escape.text(given)
        var hint = ""
        if case .success(let name) = DomainName.parse(given),
           let holder = zones.first(where: { name.isSubdomain(of: $0.zone) }) {
            hint = "; \(name.text) is a name in the zone \(holder.zone.text): give --zone \(holder.zone.text)"
        } else if let close = Suggestion.closest(to: given.hasSuffix(".") ? String(given.dropLast()) : given, in: known) {
            hint = "; did you mean '\(close)'?"
        }
        let list = known.isEmpty ? "it plans no zone" : "its zones are: \(known.joined(separator: ", "))"
        return UnknownZone(given: given, message: "the plan has no zone '\(shown)'\(hint) (\(list))")
    }
}
