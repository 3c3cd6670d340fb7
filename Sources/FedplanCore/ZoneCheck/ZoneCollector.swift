/// Keeps, while zone files stream past, only what the checks need: the records at planned names
/// and at the names SRV and CNAME records point to, which planned names exist (for NXDOMAIN
/// against NODATA), where each zone was declared, and the records that sit at a misspelling of
/// a planned name. Everything else is looked at once and dropped, so memory does not grow with
/// the zone.
public final class ZoneCollector {
    public enum Suspicion: Sendable, Equatable {
        /// The owner is `intended` with the zone's origin appended (written without its final dot).
        case missingTrailingDot(intended: String)
        /// The owner is a misspelling of `intended`.
        case nearMiss(intended: String)
    }

    /// What to do with one record, decided from its owner before it is converted.
    public enum Decision: Sendable, Equatable {
        case skip
        case keep
        case suspect(Suspicion)
    }

    public struct Suspect: Sendable {
        public var record: DNSRecord
        public var suspicion: Suspicion
    }

    let plannedTypes: [String: Set<String>]
    let planned: NameSet
    let nearMiss: NearMissIndex
    /// `.zone.` of every zone of the plan, as bytes.
    let planZones: [[UInt8]]
    /// Names whose records are kept (planned names and the targets found so far).
    private var wanted = NameSet()
    /// Names that became wanted after their records may have gone past: another pass reads them.
    public private(set) var lateNames: Set<String> = []
    /// In a later pass: only these names are read again.
    private var onlyNames: NameSet?
    public private(set) var kept: [String: [DNSRecord]] = [:]
    /// Wanted names that have records at or below them.
    public private(set) var existing: Set<String> = []
    private var existingNames = NameSet()
    /// Zone apex → where it was declared.
    public private(set) var zones: [String: SourceLocation] = [:]
    public private(set) var suspects: [Suspect] = []
    private var currentZone: [UInt8]?

    public init(plan: Plan) {
        var types: [String: Set<String>] = [:]
        var planned = NameSet()
        for record in plan.records {
            let name = record.name.description.lowercased()
            types[name, default: []].insert(record.type.rawValue)
            planned.insert(name)
            wanted.insert(name)
            if case .srv(let srv) = record.data { wanted.insert(srv.target.description.lowercased()) }
        }
        plannedTypes = types
        self.planned = planned
        nearMiss = NearMissIndex(plannedNames: types.keys)
        planZones = plan.zones.map { Array(("." + $0.zone.description.lowercased()).utf8) }
    }

    /// The origin appended to relative names from here on (`$ORIGIN`, or the file's zone).
    public func setOrigin(_ origin: String?) {
        currentZone = origin.map { Array($0.lowercased().utf8) }
    }

    /// A zone the files hold (a file's SOA owner, else `--origin`, else its first `$ORIGIN`).
    public func declareZone(_ apex: String, at location: SourceLocation) {
        let apex = apex.lowercased()
        if zones[apex] == nil { zones[apex] = location }
    }

    /// Decides from the owner (the bytes of its absolute, lower-case presentation form) whether
    /// the record is needed. This runs for every record of every file.
    public func decide(owner: NameBytes) -> Decision {
        let starts = NameHash.labelStarts(owner)
        markExisting(owner, starts: starts)
        if let only = onlyNames { return only.contains(owner[...]) ? .keep : .skip }
        if wanted.contains(owner[...]) { return .keep }
        if let zone = currentZone, owner.count > zone.count + 1, owner[(owner.count - zone.count)...].elementsEqual(zone),
           owner[owner.count - zone.count - 1] == UInt8(ascii: ".") {
            let written = owner[..<(owner.count - zone.count)]
            let doubled = written.count > zone.count + 1 && written[(written.count - zone.count)...].elementsEqual(zone)
            let insidePlanZone = planZones.contains { z in written.count > z.count && written[(written.count - z.count)...].elementsEqual(z) }
            if doubled || planned.contains(written) || insidePlanZone {
                return .suspect(.missingTrailingDot(intended: String(decoding: written, as: UTF8.self)))
            }
        }
        if let intended = nearMiss.intended(for: owner, starts: starts) { return .suspect(.nearMiss(intended: intended)) }
        return .skip
    }

    /// Takes a record `decide` asked for, converted.
    public func add(_ record: DNSRecord, as decision: Decision) {
        switch decision {
        case .skip: return
        case .suspect(let suspicion): suspects.append(Suspect(record: record, suspicion: suspicion))
        case .keep:
            let owner = record.owner.lowercased()
            kept[owner, default: []].append(record)
            // What an SRV or CNAME record at a wanted name points to is checked too.
            if record.type == "SRV" || record.type == "CNAME", let target = record.rdata.last?.lowercased(), target != "." {
                want(target)
            }
        }
    }

    private func want(_ name: String) {
        if wanted.insert(name) { lateNames.insert(name) }
    }

    /// Records the wanted names at or above `owner` as existing.
    private func markExisting(_ owner: NameBytes, starts: [Int]) {
        for start in starts where wanted.contains(owner[start...]) && !existingNames.contains(owner[start...]) {
            let name = String(decoding: owner[start...], as: UTF8.self)
            existingNames.insert(name)
            existing.insert(name)
        }
    }

    /// Prepares another pass that reads only the names that became wanted late (their records
    /// may have gone past before). False when there is nothing left to read.
    public func beginLatePass() -> Bool {
        let names = lateNames
        lateNames = []
        guard !names.isEmpty else { return false }
        for name in names { kept[name] = nil }  // read again from the start, completely
        var only = NameSet()
        for name in names { only.insert(name) }
        onlyNames = only
        return true
    }
}
