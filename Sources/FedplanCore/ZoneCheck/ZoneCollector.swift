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
    let nearMiss: NearMissIndex
    let planZones: Set<String>
    /// Names whose records are kept (planned names and the targets found so far).
    private var wanted: Set<Substring>
    /// Names that became wanted after their records may have gone past: another pass reads them.
    public private(set) var lateNames: Set<String> = []
    /// In a later pass: only these names are read again.
    private var onlyNames: Set<Substring>?
    public private(set) var kept: [String: [DNSRecord]] = [:]
    /// Wanted names that have records at or below them.
    public private(set) var existing: Set<String> = []
    /// Zone apex → where it was declared.
    public private(set) var zones: [String: SourceLocation] = [:]
    public private(set) var suspects: [Suspect] = []
    private var currentZone: String?

    public init(plan: Plan) {
        var types: [String: Set<String>] = [:]
        var wanted: Set<Substring> = []
        for record in plan.records {
            let name = record.name.description.lowercased()
            types[name, default: []].insert(record.type.rawValue)
            wanted.insert(Substring(name))
            if case .srv(let srv) = record.data { wanted.insert(Substring(srv.target.description.lowercased())) }
        }
        plannedTypes = types
        self.wanted = wanted
        nearMiss = NearMissIndex(plannedNames: types.keys)
        planZones = Set(plan.zones.map { $0.zone.description.lowercased() })
    }

    /// The origin appended to relative names from here on (`$ORIGIN`, or the file's zone).
    public func setOrigin(_ origin: String?) {
        currentZone = origin?.lowercased()
    }

    /// A zone the files hold (a file's SOA owner, else `--origin`, else its first `$ORIGIN`).
    public func declareZone(_ apex: String, at location: SourceLocation) {
        let apex = apex.lowercased()
        if zones[apex] == nil { zones[apex] = location }
    }

    /// Decides from the owner (absolute, lower case) whether the record is needed.
    public func decide(owner: String) -> Decision {
        markExisting(owner)
        if let only = onlyNames { return only.contains(Substring(owner)) ? .keep : .skip }
        if wanted.contains(Substring(owner)) { return .keep }
        if let zone = currentZone, owner.utf8.count > zone.utf8.count, owner.hasSuffix("." + zone) {
            let written = String(owner.utf8.dropLast(zone.utf8.count))!
            if plannedTypes[written] != nil || written.hasSuffix("." + zone) || planZones.contains(where: { written.hasSuffix("." + $0) }) {
                return .suspect(.missingTrailingDot(intended: written))
            }
        }
        if let intended = nearMiss.intended(for: owner) { return .suspect(.nearMiss(intended: intended)) }
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
        if wanted.insert(Substring(name)).inserted { lateNames.insert(name) }
    }

    /// Records the wanted names at or above `owner` as existing.
    private func markExisting(_ owner: String) {
        var index = owner.startIndex
        while index < owner.endIndex {
            let suffix = owner[index...]
            if wanted.contains(suffix) && !existing.contains(String(suffix)) { existing.insert(String(suffix)) }
            guard let dot = suffix.firstIndex(of: ".") else { break }
            index = owner.index(after: dot)
        }
    }

    /// Prepares another pass that reads only the names that became wanted late (their records
    /// may have gone past before). False when there is nothing left to read.
    public func beginLatePass() -> Bool {
        let names = lateNames
        lateNames = []
        guard !names.isEmpty else { return false }
        for name in names { kept[name] = nil }  // read again from the start, completely
        onlyNames = Set(names.map { Substring($0) })
        return true
    }
}
