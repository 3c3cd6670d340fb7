import Foundation

/// `dns plan` output for people: a table per zone, or Markdown for a wiki or a change ticket.
public enum PlanRenderer {
    public static func header(_ deployment: Deployment, plan: Plan) -> String {
        let org = deployment.organization.map { " for \(Escape.text($0))" } ?? ""
        let records = plan.records.count
        return "Federation DNS plan\(org) (\(deployment.file)): \(records) record\(records == 1 ? "" : "s") in \(plan.zones.count) zone\(plan.zones.count == 1 ? "" : "s")"
    }

    public static func table(_ deployment: Deployment, plan: Plan) -> String {
        var out = header(deployment, plan: plan) + "\n"
        for zone in plan.zones {
            var table = TextTable()
            table.add(["NAME", "TTL", "TYPE", "DATA", "REASON"])
            for r in zone.records {
                table.add([r.name.description, String(r.ttl), r.type.rawValue, r.data.description, r.reason])
            }
            out += "\nzone \(zone.zone)\n" + table.render(indent: "  ") + "\n"
        }
        return out
    }

    public static func markdown(_ deployment: Deployment, plan: Plan) -> String {
        var out = "# \(cell(header(deployment, plan: plan)))\n"
        for zone in plan.zones {
            out += "\n## Zone `\(zone.zone)`\n\n| Name | TTL | Type | Data | Reason | Source |\n|---|---|---|---|---|---|\n"
            for r in zone.records {
                out += "| `\(r.name)` | \(r.ttl) | \(r.type.rawValue) | `\(r.data)` | \(cell(r.reason)) | \(cell(r.source)) |\n"
            }
        }
        return out
    }

    /// A Markdown table cell: pipes escaped, control characters made visible.
    static func cell(_ text: String) -> String {
        Escape.text(text).replacingOccurrences(of: "|", with: "\\|")
    }
}
