/// What changes between two plans, RRset by RRset (octoDNS compares typed records the same
/// way), and the order that keeps federation working while resolvers still hold the old data:
/// lower the TTL of what will change or go, wait out the old TTL, add, change, then remove.
public struct PlanDiff: Sendable {
    /// One RRset of a plan: its records' data, sorted, and their TTL.
    public struct RRset: Sendable, Equatable {
        public var zone: DomainName
        public var name: DomainName
        public var type: RecordType
        public var ttl: UInt32
        public var data: [RecordData]
    }

    public enum Action: String, Sendable, CaseIterable {
        case lowerTTL = "lower-ttl", add, change, remove

        /// The step of the cut-over, from 1.
        public var step: Int { Self.allCases.firstIndex(of: self)! + 1 }
    }

    /// One thing to do: `old` is what is published before (nil for an addition), `new` what is
    /// published after (nil for a removal; for a TTL lowering, the old data at `loweredTTL`).
    public struct Change: Sendable, Equatable {
        public var action: Action
        public var old: RRset?
        public var new: RRset?
        /// The step it belongs to, from 1, as shown: a removal that must go with the CNAME
        /// replacing it (a CNAME shares its name with nothing, RFC 1034 §3.6.2) is in that
        /// CNAME's step.
        public var step: Int

        public var current: RRset { (new ?? old)! }
    }

    /// The TTL lowered to before a change: five minutes, short enough that resolvers pick up
    /// the change soon, long enough not to flood the servers.
    public static let loweredTTL: UInt32 = 300

    /// Every change, in the order to make them.
    public var changes: [Change]

    public var added: Int { changes.filter { $0.action == .add }.count }
    public var changed: Int { changes.filter { $0.action == .change }.count }
    public var removed: Int { changes.filter { $0.action == .remove }.count }

    /// How long to wait after lowering the TTLs: the longest TTL lowered, which resolvers may
    /// still hold.
    public var wait: UInt32 { changes.filter { $0.action == .lowerTTL }.compactMap { $0.old?.ttl }.max() ?? 0 }

    public static func between(_ old: Plan, _ new: Plan) -> PlanDiff {
        let before = rrsets(old), after = rrsets(new)
        let afterIndex = Dictionary(after.enumerated().map { (Key($1), $0) }, uniquingKeysWith: { a, _ in a })
        let beforeIndex = Dictionary(before.enumerated().map { (Key($1), $0) }, uniquingKeysWith: { a, _ in a })
        var lower: [Change] = [], add: [Change] = [], change: [Change] = [], remove: [Change] = []
        for set in before {
            guard let i = afterIndex[Key(set)] else {
                remove.append(Change(action: .remove, old: set, new: nil, step: Action.remove.step))
                if set.ttl > loweredTTL { lower.append(lowered(set)) }
                continue
            }
            let next = after[i]
            guard next.data != set.data || next.ttl != set.ttl else { continue }
            change.append(Change(action: .change, old: set, new: next, step: Action.change.step))
            // Only new data needs the old data gone from caches first; a TTL change alone does not.
            if next.data != set.data, set.ttl > loweredTTL { lower.append(lowered(set)) }
        }
        for set in after where beforeIndex[Key(set)] == nil {
            add.append(Change(action: .add, old: nil, new: set, step: Action.add.step))
        }
        // A CNAME that replaces records at its name (a sip A record becoming Microsoft's alias)
        // is a change, made after every other change: the SRV records that pointed at the name
        // move away first, and the records it replaces go in the same update, just before it,
        // since servers refuse a CNAME beside other data (RFC 1034 §3.6.2).
        let removedNames = Set(remove.map(\.current.name))
        let replacing = add.filter { $0.current.type == .cname && removedNames.contains($0.current.name) }
        add.removeAll { $0.current.type == .cname && removedNames.contains($0.current.name) }
        // Names before what points at them: addresses are added and changed first, and removed
        // last, so that no SRV or CNAME ever points at a name without its records.
        func addressesFirst(_ a: Change, _ b: Change) -> Bool { rank(a.current.type) < rank(b.current.type) }
        add.sort(by: addressesFirst)
        change.sort(by: addressesFirst)
        change += replacing.map { var c = $0; c.step = Action.change.step; return c }
        remove.sort { rank($0.current.type) > rank($1.current.type) }
        let aliased = Set(change.filter { $0.current.type == .cname }.map(\.current.name))
        var early: [DomainName: [Change]] = [:]
        remove.removeAll { removal in
            guard aliased.contains(removal.current.name) else { return false }
            early[removal.current.name, default: []].append(removal)
            return true
        }
        let withRemovals = change.flatMap { c -> [Change] in
            guard c.current.type == .cname, let gone = early.removeValue(forKey: c.current.name) else { return [c] }
            return gone.map { var r = $0; r.step = c.step; return r } + [c]
        }
        // Steps numbered as they are shown: 1, 2, 3 without a gap when one kind is absent.
        var all = lower + add + withRemovals + remove
        var numbers: [Int: Int] = [:]
        for i in all.indices {
            if numbers[all[i].step] == nil { numbers[all[i].step] = numbers.count + 1 }
            all[i].step = numbers[all[i].step]!
        }
        return PlanDiff(changes: all)
    }

    private static func rank(_ type: RecordType) -> Int { type == .a || type == .aaaa ? 0 : 1 }

    private static func lowered(_ set: RRset) -> Change {
        var short = set
        short.ttl = loweredTTL
        return Change(action: .lowerTTL, old: set, new: short, step: Action.lowerTTL.step)
    }

    private struct Key: Hashable {
        let name: DomainName
        let type: RecordType
        init(_ set: RRset) { name = set.name; type = set.type }
    }

    /// A plan's RRsets in plan order, each with its data sorted (order inside an RRset means
    /// nothing in DNS).
    static func rrsets(_ plan: Plan) -> [RRset] {
        var sets: [RRset] = []
        var index: [Key: Int] = [:]
        for record in plan.records {
            let key = Key(RRset(zone: record.zone, name: record.name, type: record.type, ttl: record.ttl, data: []))
            if let i = index[key] {
                sets[i].data.append(record.data)
            } else {
                index[key] = sets.count
                sets.append(RRset(zone: record.zone, name: record.name, type: record.type, ttl: record.ttl, data: [record.data]))
            }
        }
        for i in sets.indices { sets[i].data.sort { $0.description < $1.description } }
        return sets
    }
}
