import Foundation

/// `dns diff`: the cut-over between two descriptions, for people (text), programs (JSON) and
/// the server (an nsupdate script per step, zone text of the change, octoDNS stages).
public enum DiffRenderer {
    static let stepTitles: [PlanDiff.Action: String] = [
        .lowerTTL: "Lower the TTL of what will change or go",
        .add: "Add",
        .change: "Change",
        .remove: "Remove, once the new records are served everywhere",
    ]

    static func line(_ set: PlanDiff.RRset, _ data: RecordData) -> String {
        "\(set.name) \(set.ttl) IN \(set.type.rawValue) \(data)"
    }

    /// What each step does, by the kinds of change in it.
    static func titles(_ diff: PlanDiff) -> [Int: PlanDiff.Action] {
        var titles: [Int: PlanDiff.Action] = [:]
        for c in diff.changes {
            let now = titles[c.step]
            // A removal that goes with the CNAME replacing it is part of that change.
            if now == nil || (now == .remove && c.action != .remove) { titles[c.step] = c.action }
        }
        return titles
    }

    public static func text(_ diff: PlanDiff, old: String, new: String) -> String {
        var out = "Cut-over from \(Escape.text(old)) to \(Escape.text(new)): \(diff.added) added, \(diff.changed) changed, \(diff.removed) removed RRsets\n"
        if diff.changes.isEmpty { return out + "\nNo change: both descriptions plan the same records.\n" }
        let titles = titles(diff)
        var step = 0
        for change in diff.changes {
            if change.step != step {
                step = change.step
                let action = titles[step]!
                var title = "\nStep \(step). \(stepTitles[action]!)"
                if action == .lowerTTL { title += ", then wait \(diff.wait) seconds (the longest of those TTLs)" }
                out += title + ":\n"
            }
            let set = change.current
            switch change.action {
            case .lowerTTL:
                out += "  ~ \(set.name) \(set.type.rawValue): TTL \(change.old!.ttl) → \(set.ttl)\n"
            case .add:
                for d in set.data { out += "  + \(line(set, d))\n" }
            case .change:
                // Only what differs: the records that go, those that come, and a new TTL.
                let old = change.old!
                let ttl = old.ttl != set.ttl ? " (TTL \(old.ttl) → \(set.ttl))" : ""
                out += "  ~ \(set.name) \(set.type.rawValue)\(ttl)\n"
                for d in old.data where !set.data.contains(d) { out += "      - \(line(old, d))\n" }
                for d in set.data where !old.data.contains(d) || old.ttl != set.ttl { out += "      + \(line(set, d))\n" }
            case .remove:
                let with = titles[step] != .remove ? " (replaced by the CNAME below)" : ""
                for d in set.data { out += "  - \(line(set, d))\(with)\n" }
            }
        }
        return out
    }

    public struct Document: Codable, Equatable {
        public struct RRsetJSON: Codable, Equatable {
            public var ttl: UInt32
            public var data: [String]
        }

        public struct ChangeJSON: Codable, Equatable {
            public var step: Int
            public var action: String
            public var zone: String
            public var name: String
            public var type: String
            public var old: RRsetJSON?
            public var new: RRsetJSON?
        }

        public struct Summary: Codable, Equatable {
            public var added: Int
            public var changed: Int
            public var removed: Int
        }

        public var schema: Int = 1
        public var old: String
        public var new: String
        public var summary: Summary
        /// Seconds to wait after step 1 (the longest TTL lowered); 0 when nothing is lowered.
        public var wait_seconds: UInt32
        public var changes: [ChangeJSON]
    }

    public static func json(_ diff: PlanDiff, old: String, new: String) -> String {
        func rrset(_ s: PlanDiff.RRset?) -> Document.RRsetJSON? { s.map { .init(ttl: $0.ttl, data: $0.data.map(\.description)) } }
        let changes = diff.changes.map { c in
            Document.ChangeJSON(step: c.step, action: c.action.rawValue, zone: c.current.zone.description,
                                name: c.current.name.description, type: c.current.type.rawValue,
                                old: rrset(c.old), new: rrset(c.new))
        }
        return JSONDocuments.encode(Document(old: Escape.text(old), new: Escape.text(new),
                                             summary: .init(added: diff.added, changed: diff.changed, removed: diff.removed),
                                             wait_seconds: diff.wait, changes: changes))
    }

    /// One nsupdate update per step and zone, each atomic; the wait after step 1 is a comment,
    /// since nsupdate cannot wait.
    public static func nsupdate(_ diff: PlanDiff, old: String, new: String) -> String {
        var out = "; Cut-over from \(Escape.text(old)) to \(Escape.text(new)), generated by fedplan dns diff.\n"
        out += "; Run one step at a time: each `send` is one atomic update of one zone.\n"
        let steps = Dictionary(grouping: diff.changes, by: \.step)
        let titles = titles(diff)
        for step in steps.keys.sorted() {
            let action = titles[step]!
            out += "\n; Step \(step): \(stepTitles[action]!)\n"
            var zones: [DomainName] = []
            for c in steps[step]! where !zones.contains(c.current.zone) { zones.append(c.current.zone) }
            for zone in zones {
                out += "zone \(zone)\n"
                for c in steps[step]! where c.current.zone == zone {
                    let set = c.current
                    // A CNAME takes its name alone: every RRset there goes in the same update.
                    out += set.type == .cname && c.action != .remove ? "update delete \(set.name)\n"
                        : "update delete \(set.name) \(set.type.rawValue)\n"
                    if c.action != .remove { for d in set.data { out += "update add \(line(set, d))\n" } }
                }
                out += "send\n"
            }
            if action == .lowerTTL { out += "; wait \(diff.wait) seconds before step \(step + 1)\n" }
        }
        return out
    }

    /// The change as zone text, zone by zone: the records to write after the change, with what
    /// to remove and the TTLs to lower first as comments, for zones kept by hand.
    public static func zoneText(_ diff: PlanDiff, old: String, new: String) -> String {
        var out = "; Cut-over from \(Escape.text(old)) to \(Escape.text(new)), generated by fedplan dns diff.\n"
        var zones: [DomainName] = []
        for c in diff.changes where !zones.contains(c.current.zone) { zones.append(c.current.zone) }
        for zone in zones {
            out += "\n$ORIGIN \(zone)\n"
            for c in diff.changes where c.current.zone == zone {
                let set = c.current
                switch c.action {
                case .lowerTTL: out += "; first: lower the TTL of \(set.name) \(set.type.rawValue) to \(set.ttl), then wait \(diff.wait) seconds\n"
                case .add: for d in set.data { out += "\(line(set, d))\n" }
                case .change:
                    for d in c.old!.data { out += "; replaces: \(line(c.old!, d))\n" }
                    for d in set.data { out += "\(line(set, d))\n" }
                case .remove: for d in set.data { out += "; remove: \(line(set, d))\n" }
                }
            }
        }
        return out
    }
}
