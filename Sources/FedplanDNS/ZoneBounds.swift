import FedplanCore

/// How far up live queries may go: never above the zone a planned name is checked in. The
/// zones are the description's `zones:` and its SIP domains; a zone fedplan only assumed (the
/// parent of a host outside them, `ZonePlan.assumed`) proves nothing, so names in it get no
/// query above themselves. Through a resolver, a query above the zones goes to the servers of
/// a TLD or of the root: it says nothing about the plan and leaks what is being checked.
struct ZoneBounds {
    /// Planned name → the apex of its zone (lower case, final dot); nil: an assumed zone.
    private var apexes: [String: String?] = [:]
    /// Every name strictly above a known apex (`com.`, `.` for `contoso.com.`) → that apex.
    private var above: [String: String] = [:]

    init(_ plan: Plan) {
        for zone in plan.zones {
            let apex = zone.zone.description
            for record in zone.records where apexes[record.name.description] == nil {
                apexes[record.name.description] = zone.assumed ? String?.none : apex
            }
            var name = Substring(apex)
            while let dot = name.firstIndex(of: "."), name != "." {
                name = name[name.index(after: dot)...]
                if name.isEmpty { name = "." }
                if above[String(name)] == nil { above[String(name)] = apex }
            }
        }
        for zone in plan.zones { above[zone.zone.description] = nil }  // a zone above another is checked too
    }

    /// The apex of the zone a planned name is checked in; nil when that zone is assumed or the
    /// name is not planned.
    func apex(_ name: String) -> String? {
        apexes[name] ?? nil
    }

    /// The apex a name lies above, when it is an ancestor of a zone being checked.
    func below(_ name: String) -> String? {
        above[name.dnsLowercased]
    }
}
