import FedplanCore

/// How far up live queries may go: never above the zone a planned name is checked in. The
/// zones are the description's `zones:` and its SIP domains; a zone fedplan only assumed (the
/// parent of a host outside them, `ZonePlan.assumed`) proves nothing, so names in it get no
/// query above themselves. Through a resolver, a query above the zones goes to the servers of
/// a TLD or of the root: it says nothing about the plan and tells them what is being checked.
/// Both tables are built on first use: a check with no finding and no follow-up needs neither.
final class ZoneBounds {
    private let plan: Plan

    init(_ plan: Plan) {
        self.plan = plan
    }

    /// Planned name → the apex of its zone (lower case, final dot); nil: an assumed zone.
    private lazy var apexes: [String: String?] = {
        var apexes: [String: String?] = [:]
        for zone in plan.zones {
            for record in zone.records where apexes[record.name.description] == nil {
                apexes[record.name.description] = zone.assumed ? String?.none : zone.zone.description
            }
        }
        return apexes
    }()

    /// Every name strictly above a zone's apex (`com.`, `.` for `contoso.com.`) → that apex.
    private lazy var above: [String: String] = {
        var above: [String: String] = [:]
        for zone in plan.zones {
            let apex = zone.zone.description
            var name = Substring(apex)
            while name != ".", let dot = name.firstIndex(of: ".") {
                name = name[name.index(after: dot)...]
                if name.isEmpty { name = "." }
                if above[String(name)] == nil { above[String(name)] = apex }
            }
        }
        for zone in plan.zones { above[zone.zone.description] = nil }  // a zone above another is checked too
        return above
    }()

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
