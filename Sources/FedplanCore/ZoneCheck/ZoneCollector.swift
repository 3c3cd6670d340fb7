#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Keeps, while zone files stream past, only what the checks need: the records at planned names
/// and at the names SRV and CNAME records point to; above those names, what changes a server's
/// answer (NS records of a delegation, DNAME records, wildcards); which of all these names exist
/// (for NXDOMAIN against NODATA, and the closest encloser of a wildcard); where each zone was
/// declared; and the records that sit at a misspelling of a planned name. Everything else is
/// looked at once and dropped, so memory does not grow with the zone.
public final class ZoneCollector {
    public enum Suspicion: Sendable, Equatable {
        /// The owner is `intended` with the zone's origin appended (written without its final dot).
        case missingTrailingDot(intended: String)
        /// The owner is a misspelling of `intended`.
        case nearMiss(intended: String)
    }

    /// What to do with one record, decided from its owner and type before it is converted.
    public enum Decision: Sendable, Equatable {
        case skip
        case keep
        case suspect(Suspicion)
        /// A DNSKEY at a watched name (a zone's apex): kept in `keys`, for signatures.
        case key
        /// An RRSIG at a watched name that is not wanted (a zone's apex): kept in
        /// `keySignatures` when it covers DNSKEY (the reader looks at its first field).
        case keySignature
    }

    public struct Suspect: Sendable {
        public var record: DNSRecord
        public var suspicion: Suspicion
    }

    /// RR type codes the collector looks at before conversion.
    public enum TypeCode {
        public static let ns: UInt16 = 2
        public static let dname: UInt16 = 39
        public static let dnskey: UInt16 = 48
        public static let rrsig: UInt16 = 46
    }

    private(set) var planned: NameSet
    /// The planned names (lower case), for the near-miss index.
    private var plannedNames: [String] = []
    /// Built at its first use in `decide` (`nearMissBuilt`): set-up is paid for by every check,
    /// and most zones never have an owner near a planned name (40 million instructions for
    /// 20,000 names). A stored value, not an optional or a computed property: either copied the
    /// index (five arrays retained and released) for every owner that asks it.
    private(set) var nearMiss = NearMissIndex(plannedNames: [])
    private var nearMissBuilt = false
    /// Every zone of the plan (`contoso.com.`).
    private(set) var planZones = NameSet()
    /// Wanted names and all their ancestors: their existence is recorded, and above wanted
    /// names their NS and DNAME records and their wildcards are kept.
    private let watched = NameSet()
    /// Names that became wanted after their records may have gone past: another pass reads them.
    public private(set) var lateNames: Set<String> = []
    /// For each late name, the number of the record after which it was wanted: its records from
    /// there on were kept as they went past, so a later pass keeps (and first drops) only those
    /// before it. Why: each DNAME makes the names below it late, and with DNAMEs written before
    /// what they point to (the usual order) every such record was kept already; dropped and
    /// converted again, 2,000 DNAMEs cost 0.08e9 instructions more than the zone without them.
    /// `Int.max` for a name wanted during a later pass (that pass stops early: read it whole).
    private var lateSince: [String: Int] = [:]
    /// The same for `onlyNames` in a later pass, by their index there.
    private var onlySince: [Int] = []
    /// How many records later passes kept (those of late names from before they were wanted,
    /// and what is above them).
    public private(set) var keptInLaterPasses = 0
    /// Ancestors first watched because of a late name, for the next pass; and those of the
    /// pass under way.
    private var pendingWatched = NameSet()
    private var lateWatched = NameSet()
    /// In a later pass: only these names (and `lateWatched`) are read again.
    private var onlyNames: NameSet?
    /// Where in the files the records of a later pass may be (filled by `decide` in the first
    /// pass; `ZoneFileReader` keeps the restart points and reads only the chunks that matter).
    public let chunks = ZoneChunks()
    /// In a later pass: the hashes of the names a record matters for when one of them is a
    /// suffix of its owner (`chunkMayMatter`). Of the late names and `lateWatched`, only those
    /// with no ancestor among them: below an ancestor that is one, a name adds no chunk. Names
    /// first watched during the pass are added as they come (their records after that point
    /// mark them existing, as in a full pass).
    private var lateQuery: [UInt64] = []
    public private(set) var kept: [String: [DNSRecord]] = [:]
    /// For each record of `kept`, at the same position: the file it came from (its index among
    /// the files given). A record written in two files (a delegation's NS set in the parent's and
    /// the child's) is in two zones, not written twice.
    public private(set) var keptFrom: [String: [Origin]] = [:]
    /// Where a kept record was read: its file (index among those given) and its number in the
    /// pass (records counted in reading order, `$INCLUDE`d ones too).
    public struct Origin: Sendable, Equatable {
        public var file: Int
        public var serial: Int
        /// The record's wire form as read (owner, type, class, TTL, rdata), for DNSSEC: kept
        /// only once some zone has shown a DNSKEY (`keepsWire`), so an unsigned zone keeps none.
        public var wire: [UInt8]?
    }
    /// DNSKEYs at watched names (the zones' apexes) → the records and their wire forms; at most
    /// `keysPerName` at a name (a zone file is untrusted; zones have two to four keys).
    public private(set) var keys: [String: [Key]] = [:]
    public struct Key: Sendable {
        public var record: DNSRecord
        public var wire: [UInt8]?
    }
    public static let keysPerName = 16
    /// DNSKEYs beyond `keysPerName` at a name, not kept.
    public private(set) var keysDropped = 0
    /// How many DNSKEYs each name has, kept or not (a set larger than `keysPerName` is not verified).
    public private(set) var keyCount: [String: Int] = [:]
    /// RRSIGs over the DNSKEY set at watched names that are not wanted (a zone's apex), with
    /// their wire forms: at most `keysPerName` at a name; `keySignatureCount` counts them all.
    /// (At a wanted apex they are among `kept`.)
    public private(set) var keySignatures: [String: [Key]] = [:]
    public private(set) var keySignatureCount: [String: Int] = [:]
    /// RRSIGs kept at wanted names: a zone without DNSKEY whose records are signed lost its keys.
    public private(set) var signaturesKept = 0
    /// Whether kept records keep their wire form: from the first DNSKEY at a watched name on.
    /// Wanted names with records kept before it are read again in a later pass, with it.
    /// (Read for every record kept: no dynamic exclusivity check; only `startKeepingWire` writes it.)
    @exclusivity(unchecked) public private(set) var keepsWire = false
    /// The file being read (`beginFile`), and the number of the record being added.
    private var currentFile = 0
    private var currentSerial = 0
    /// The number of the record at which a name last became wanted late: a later pass needs to
    /// read only the records before it (those after it were read knowing the name). Int.max in
    /// a later pass, which stops where the pass before stopped and so must read everything.
    private var lateCut = 0
    private var inLatePass = false
    /// How many records each pass read (the first reads every file; later ones stop early, and
    /// skip the chunks that cannot hold what they look for).
    public private(set) var recordsPerPass: [Int] = []

    public func notePass(records: Int) { recordsPerPass.append(records) }

    /// In a later pass: whether chunk `chunk` of file `file` (`chunks`) may hold a record the
    /// pass looks for.
    public func chunkMayMatter(file: Int, chunk: Int) -> Bool {
        chunks.mayHold(file: file, chunk: chunk, anyOf: lateQuery)
    }
    /// Per watched name (by its index): whether it has records at or below it, whether it is
    /// wanted itself, whether misspellings of planned names may sit over it.
    private enum Flag {
        static let exists: UInt8 = 1
        static let wanted: UInt8 = 2
        static let nearMissDomain: UInt8 = 4
    }
    /// Zone apex → where it was declared.
    public private(set) var zones: [String: SourceLocation] = [:]
    public private(set) var suspects: [Suspect] = []
    /// The origin (`setOrigin`, lower-case text) in a buffer of its own, and its length (-1:
    /// none). Why not an optional array: `decide` reads it for every record, and unwrapping a
    /// stored array costs a retain and a release each time.
    private let zoneBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * 255 + 1)
    private let zoneCount: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        p.initialize(to: -1)
        return p
    }()
    /// Reused for every owner; `marks` holds each suffix's watched index, or -1.
    private let suffixes = NameSuffixes()
    /// The owner before, with its suffixes: most owners share their last labels with it.
    private let memo = SuffixMemo()
    /// Counts changes to the watched names: the marks `memo` keeps are valid while it stays.
    private let generation: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()
    /// The same, for `want` (which runs between `decide` and the next owner).
    private let wantSuffixes = NameSuffixes()
    /// The watched names as a tree (watched names are closed under ancestors): by index, the
    /// first child and the next sibling, -1 for none. Linked as `want` inserts each name, so that
    /// each DNAME finds the wanted names it substitutes for by walking the names below it: no
    /// walk over every wanted name (which made 2,000 DNAMEs over 10,000 domains quadratic), and
    /// no table of every wanted name under every ancestor built at the first DNAME (which cost a
    /// quarter of a billion instructions on that zone). Two `Int32` per watched name.
    /// (No dynamic exclusivity checks: touched several times per planned name at set-up, where
    /// they were a fifth of `want`'s cost; only `want` and `wantedNames(below:)` use them, in turn.)
    @exclusivity(unchecked) private var firstChild: [Int32] = []
    @exclusivity(unchecked) private var nextSibling: [Int32] = []
    /// The first labels of the watched names, as bits of `FirstLabels` (8 KiB, stays in the
    /// first-level cache). Why: nearly every owner of a big zone sits under a watched name
    /// (`host1.example.net.` under `example.net.`), and looking its front label up in `watched`
    /// is a random read in a table of megabytes and a filter of 128 KiB, a cache miss per record
    /// that costs more than the instructions around it. A label whose bit is clear is not the
    /// first label of any watched name, so the lookup is skipped; a set bit only means "look".
    private let firstLabels = FirstLabels()
    /// The last labels (`net.`, `com.`) of the planned names and the plan's zones, when there
    /// are a few (nil: too many, or the root is planned): a name before the origin whose last
    /// label is none of these is neither planned nor inside a plan zone, so the
    /// missing-trailing-dot test needs no lookup for it (most owners of a zone pass that test's
    /// first half: they end in the origin).
    private var plannedTails: [[UInt8]]?
    /// The same tails side by side in one buffer (at most 8, each at most 255 bytes with its dot),
    /// with their lengths; `tailCount` is -1 when `plannedTails` is nil. Read for every record,
    /// so not through the array of arrays (a retain and a release per tail and record).
    private let tailBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: 9 * 4 * 256)
    private let tailLengths = UnsafeMutablePointer<Int>.allocate(capacity: 9)
    private let tailCount: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        p.initialize(to: -1)
        return p
    }()

    /// Set-up costs per planned name, and a hoster's plan has tens of thousands: each name is
    /// lower-cased, inserted, its ancestors watched and its near-miss domain flagged in one pass
    /// over its bytes, with the suffix hashes computed once (`want`); the near-miss index itself
    /// is built only when an owner first needs it (`nearMiss`), which in most zones is never.
    /// (It was 25,000 instructions per domain of a 10,000-domain plan, a tenth of a check.)
    public init(plan: Plan) {
        let planned = NameSet()
        self.planned = planned
        let records = plan.records
        var plannedNames: [String] = []
        plannedNames.reserveCapacity(records.count)
        var tails: [[UInt8]]? = []
        // The last labels (`net.`) of the planned names and the zones: nil when there are more
        // than 8, or a name is the root or has an empty last label.
        func noteTail(_ bytes: NameBytes) {
            guard tails != nil else { return }
            let tail = bytes[Self.lastLabelStart(bytes)...]
            if tail.isEmpty || tail.count == 1 && tail.first == UInt8(ascii: ".") {
                tails = nil
            } else if !tails!.contains(where: { $0.count == tail.count && $0.elementsEqual(tail) }) {
                tails!.append(Array(tail))
                if tails!.count > 8 { tails = nil }
            }
        }
        var lastTarget: String?
        for record in records {
            let name = Self.lowercasedName(record.name.description)
            plannedNames.append(name)
            var bytes = name
            bytes.withUTF8 { b in
                let hash = want(b, text: name, late: false)
                planned.insert(b[...], hash: hash)
                noteTail(b)
                // The domain planned service parts sit over, flagged for `decide`: misspellings
                // are looked for only over it (the same split as `NearMissIndex`'s).
                if let partEnd = NearMissIndex.serviceEnd(in: b) {
                    let domain = b[(partEnd + 1)...]
                    if let i = watched.index(of: domain, hash: NameHash.of(domain)) { watched.setFlag(Flag.nearMissDomain, i) }
                }
            }
            if case .srv(let srv) = record.data {
                // Most SRV records of a plan share their target (the Edge): wanted once.
                let target = srv.target.description
                if target != lastTarget {
                    lastTarget = target
                    want(Self.lowercasedName(target), late: false)
                }
            }
        }
        for zone in plan.zones {
            var name = Self.lowercasedName(zone.zone.description)
            name.withUTF8 { b in
                planZones.insert(b[...])
                noteTail(b)
            }
        }
        self.plannedNames = plannedNames
        plannedCount = planned.count
        plannedTails = tails
        if let tails {
            var at = 0
            for (k, tail) in tails.enumerated() {
                tailLengths[k] = tail.count
                tail.withUnsafeBufferPointer { (tailBytes + at).update(from: $0.baseAddress!, count: tail.count) }
                at += tail.count
            }
            tailCount.pointee = tails.count
        }
    }

    /// `dnsLowercased`, with the test for an upper-case or non-ASCII byte made here on the bytes
    /// in place: the shared one cost 450 instructions a name, and set-up runs it for every
    /// planned name.
    static func lowercasedName(_ name: String) -> String {
        var copy = name
        let needs = copy.withUTF8 { b in
            for x in b where x &- UInt8(ascii: "A") < 26 || x >= 0x80 { return true }
            return false
        }
        return needs ? name.lowercased() : name
    }

    /// Where the last label of a name starts (`net.` of `sip.contoso.net.`): after the last dot
    /// before the final byte that no odd run of backslashes escapes (`NameSuffixes`' label rule).
    private static func lastLabelStart(_ bytes: NameBytes) -> Int {
        var i = bytes.count - 1
        while i >= 1 {
            if bytes[i - 1] == UInt8(ascii: "."), !NameSuffixes.isEscaped(dotAt: i - 1, in: bytes) { return i }
            i -= 1
        }
        return 0
    }

    /// Whether the label before `writtenEnd` (`host1.` of `host1.example.net.` before the origin
    /// `example.net.`) may end a planned name or a plan zone; true when it cannot be told.
    /// Inlined into `decide` (most owners of a zone end in its origin and come here).
    @inline(__always)
    private func mayEndPlannedName(_ owner: NameBytes, writtenEnd: Int) -> Bool {
        let tails = tailCount.pointee
        guard tails >= 0 else { return true }
        var k = 0
        while k + 1 < suffixes.count, suffixes.starts[k + 1] < writtenEnd { k += 1 }
        guard k + 1 < suffixes.count, suffixes.starts[k + 1] == writtenEnd else { return true }
        let start = suffixes.starts[k], count = writtenEnd - start
        var at = 0
        for t in 0..<tails {
            let length = tailLengths[t]
            if length == count, Bytes.equal(tailBytes + at, owner.baseAddress! + start, count) { return true }
            at += length
        }
        return false
    }

    deinit {
        suffixes.deallocate()
        wantSuffixes.deallocate()
        generation.deallocate()
        zoneBytes.deallocate()
        zoneCount.deallocate()
        tailBytes.deallocate()
        tailLengths.deallocate()
        tailCount.deallocate()
    }

    /// Records from here on come from the file at `index` among those given.
    public func beginFile(_ index: Int) { currentFile = index }

    /// The origin appended to relative names from here on (`$ORIGIN`, or the file's zone).
    public func setOrigin(_ origin: String?) {
        guard var zone = origin?.dnsLowercased else {
            zoneCount.pointee = -1
            return
        }
        zone.withUTF8 { z in
            let n = min(z.count, 4 * 255 + 1)
            if n > 0 { zoneBytes.update(from: z.baseAddress!, count: n) }
            zoneCount.pointee = n
        }
    }

    /// A zone the files hold (a file's SOA owner, else `--origin`, else its first `$ORIGIN`).
    public func declareZone(_ apex: String, at location: SourceLocation) {
        let apex = apex.dnsLowercased
        if zones[apex] == nil { zones[apex] = location }
    }

    /// Decides from the owner (the bytes of its absolute, lower-case presentation form) and the
    /// type code whether the record is needed. This runs for every record of every file, so it
    /// allocates nothing for a record it skips.
    /// `serial`: the record's number in the pass (a later pass keeps a late name's records only
    /// from before it was wanted, `lateSince`); unknown, every record of a late name is kept.
    public func decide(owner: NameBytes, type: UInt16, serial: Int = .min) -> Decision {
        let full: Int?
        let shared = memo.fill(suffixes, owner: owner, generation: generation.pointee)
        // The first pass notes the owner's suffixes in its chunk's filter (`ZoneChunks`): those the
        // memo did not give (usually one, the owner itself); the memo's once per chunk.
        if shared > 0 {
            full = markFront(owner, shared: shared)
            // A sibling of the kept owner (same parent: all but the first label shared, as many
            // labels): that one still serves the next siblings. Anything else is kept instead,
            // or the siblings that follow it would all miss the memo's sibling path
            // (`host1.example.net.`, `host2.example.net.` after a deeper
            // `_sip._tcp.tenant9.example.net.` share only `example.net.` with the kept owner,
            // and took the slow path for the rest of the zone).
            if !memo.isSibling(shared: shared, of: suffixes) {
                memo.remember(suffixes, owner: owner, generation: generation.pointee)
                if chunks.building { chunks.note(suffixes, shared: shared, kept: true) }
            } else {
                chunks.noteSibling(suffixes, shared: shared)  // nothing when not building
            }
        } else {
            suffixes.compute(owner)
            full = markExisting(owner)
            memo.remember(suffixes, owner: owner, generation: generation.pointee)
            if chunks.building { chunks.note(suffixes, shared: 0, kept: true) }
        }
        let aboveWanted = type == TypeCode.ns || type == TypeCode.dname
        if let only = onlyNames {
            if let i = only.index(of: owner[...], hash: suffixes.hashes[0]) { return serial < onlySince[i] ? .keep : .skip }
            if aboveWanted, lateWatched.contains(owner[...], hash: suffixes.hashes[0]) { return .keep }
            return isWildcard(owner, over: lateWatched) ? .keep : .skip
        }
        if let full {
            if type == TypeCode.dnskey { return .key }
            if watched.flags(full) & Flag.wanted != 0 || aboveWanted { return .keep }
        }
        // `*.P` with P watched: the lookup of P was made by `markExisting`.
        if isWildcardLabel(owner), suffixes.count > 1, suffixes.marks[1] >= 0 { return .keep }
        // An RRSIG at a zone's apex may cover its DNSKEY set.
        if full != nil, type == TypeCode.rrsig { return .keySignature }
        let zoneLength = zoneCount.pointee
        if zoneLength >= 0, owner.count > zoneLength + 1,
           Self.endsWith(owner[...], zoneBytes, zoneLength), owner[owner.count - zoneLength - 1] == UInt8(ascii: ".") {
            let written = owner[..<(owner.count - zoneLength)]
            let doubled = written.count > zoneLength + 1 && Self.endsWith(written, zoneBytes, zoneLength)
            if doubled || mayEndPlannedName(owner, writtenEnd: written.count)
                && (planned.contains(written) || isInsidePlanZone(owner, writtenEnd: written.count)) {
                return .suspect(.missingTrailingDot(intended: String(decoding: written, as: UTF8.self)))
            }
        }
        // A misspelling sits over a domain that planned service parts sit over (1 to 3 labels up).
        if (1..<min(4, suffixes.count)).contains(where: { suffixes.marks[$0] >= 0 && watched.flags(suffixes.marks[$0]) & Flag.nearMissDomain != 0 }),
           buildNearMiss(), let intended = nearMiss.intended(for: owner, suffixes: suffixes) {
            return .suspect(.nearMiss(intended: intended))
        }
        return .skip
    }

    /// Builds the near-miss index the first time it is needed; always true.
    @inline(__always)
    private func buildNearMiss() -> Bool {
        if !nearMissBuilt {
            nearMiss = NearMissIndex(plannedNames: plannedNames)
            nearMissBuilt = true
        }
        return true
    }

    private static func endsWith(_ name: Slice<NameBytes>, _ suffix: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        count == 0 || name.count >= count && Bytes.equal(name.base.baseAddress! + name.endIndex - count, suffix, count)
    }

    private func isWildcardLabel(_ owner: NameBytes) -> Bool {
        owner.count > 2 && owner[0] == UInt8(ascii: "*") && owner[1] == UInt8(ascii: ".")
    }

    /// `*.P` with P in `names`.
    private func isWildcard(_ owner: NameBytes, over names: NameSet) -> Bool {
        guard isWildcardLabel(owner), suffixes.count > 1 else { return false }
        return names.contains(owner[suffixes.starts[1]...], hash: suffixes.hashes[1])
    }

    /// Whether the part of the owner before the origin (`sip.contoso.com.` of
    /// `sip.contoso.com.fabrikam.com.`) lies strictly inside a zone of the plan: one lookup per
    /// label, not a scan of every zone (a hoster's plan has thousands).
    private func isInsidePlanZone(_ owner: NameBytes, writtenEnd: Int) -> Bool {
        for k in 1..<suffixes.count where suffixes.starts[k] < writtenEnd {
            if planZones.contains(owner[suffixes.starts[k]..<writtenEnd]) { return true }
        }
        return false
    }

    /// Whether `add` wants the wire form of a record `decide` asked for this way.
    public func wantsWire(_ decision: Decision) -> Bool {
        switch decision {
        case .key, .keySignature: true
        case .keep: keepsWire
        case .skip, .suspect: false
        }
    }

    /// Takes a record `decide` asked for, converted, with its wire form when `wantsWire` says so.
    /// (`consuming`: the record is moved into `kept`, not copied there and the caller's copy
    /// released, which retained and released each of its strings and arrays.)
    public func add(_ record: consuming DNSRecord, as decision: Decision, serial: Int = 0, wire: [UInt8]? = nil) {
        currentSerial = serial
        switch decision {
        case .skip: return
        case .suspect(let suspicion): suspects.append(Suspect(record: record, suspicion: suspicion))
        case .keySignature:
            let owner = record.owner.dnsLowercased
            keySignatureCount[owner, default: 0] += 1
            if keySignatures[owner, default: []].count < Self.keysPerName {
                keySignatures[owner, default: []].append(Key(record: record, wire: wire))
            }
        case .key:
            let owner = record.owner.dnsLowercased
            keyCount[owner, default: 0] += 1
            if keys[owner, default: []].count < Self.keysPerName {
                keys[owner, default: []].append(Key(record: record, wire: wire))
            } else {
                keysDropped += 1
            }
            if !keepsWire { startKeepingWire() }
        case .keep:
            let owner = record.owner.dnsLowercased
            if record.code == .rrsig { signaturesKept += 1 }
            // Once a zone has shown that it holds many of the planned names, the two tables are
            // made as large as the plan at once: doubling them from here to there rehashed every
            // owner again (SipHash over 40-odd bytes) at each step, 1,250 instructions per record
            // kept on a 20,000-name plan, and held the old and the new table together each time.
            if kept.count == Self.growToPlanAt, plannedCount > Self.growToPlanAt {
                kept.reserveCapacity(plannedCount)
                keptFrom.reserveCapacity(plannedCount)
            }
            // A later pass keeps a late name's records from before it was wanted (`lateSince`),
            // behind those kept after: they go where they are in the files, as one pass keeps them.
            if inLatePass { keptInLaterPasses += 1 }
            var position: Int?
            if inLatePass, let from = keptFrom[owner], let last = from.last, last.serial > serial {
                position = from.firstIndex { $0.serial > serial }
            }
            if let position {
                keptFrom[owner]!.insert(Origin(file: currentFile, serial: serial, wire: wire), at: position)
            } else {
                keptFrom[owner, default: []].append(Origin(file: currentFile, serial: serial, wire: wire))
            }
            // What an SRV or CNAME record at a wanted name points to is checked too. The target
            // lower-cased is in the typed fields already (the text is lowered only when they
            // are not of the type's form); the type is compared by number, not by its text.
            if record.isOf(.srv, named: "SRV") || record.isOf(.cname, named: "CNAME"),
               let target = Self.target(of: record) ?? record.rdata.last?.dnsLowercased {
                // Most SRV records of a large zone point to one or two Edges, often in turn: each
                // wanted once, not looked up again for every record (`want` cannot be undone while
                // reading: the name stays wanted).
                if !lastTargetsWanted.contains(target), target != "." {
                    want(target, late: true)
                    if lastTargetsWanted.count < 4 { lastTargetsWanted.append(target) } else { lastTargetsWanted[nextTarget] = target }
                    nextTarget = (nextTarget + 1) % 4
                }
            }
            // Below a DNAME, the names a server substitutes (RFC 6672) are where the answers are.
            if record.isOf(.dname, named: "DNAME"), let target = record.rdata.first?.dnsLowercased {
                for name in wantedNames(below: owner) {
                    want(name.dnameSubstituted(below: owner, by: target), late: true)
                }
            }
            if let position {
                kept[owner]!.insert(record, at: position)
            } else {
                kept[owner, default: []].append(record)  // last: the record is moved in
            }
        }
    }

    /// The target of an SRV or CNAME record from its typed fields (lower-cased), if they have its form.
    private static func target(of record: borrowing DNSRecord) -> String? {
        switch record.fields {
        case .srv(_, _, _, let target): target
        case .name(let target): target
        default: nil
        }
    }

    /// How many distinct names the plan has, and how many owners `kept` holds when it is made
    /// that large at once (`add`).
    private var plannedCount = 0
    static let growToPlanAt = 2048

    /// The last SRV or CNAME targets `add` made wanted (at most 4).
    private var lastTargetsWanted: [String] = []
    /// The one of them the next target replaces (the oldest).
    private var nextTarget = 0

    /// At the first DNSKEY: records kept from now on keep their wire form, and the wanted names
    /// with records kept before it are read again (a later pass), so that theirs are kept too.
    /// Signers write the apex first, so this usually has nothing to read again.
    private func startKeepingWire() {
        keepsWire = true
        for (owner, from) in keptFrom where from.contains(where: { $0.wire == nil }) {
            guard let i = watched.index(of: owner), watched.flags(i) & Flag.wanted != 0 else { continue }
            lateNames.insert(owner)
            lateSince[owner] = inLatePass ? Int.max : currentSerial + 1
            lateCut = inLatePass ? Int.max : max(lateCut, currentSerial + 1)
        }
    }

    /// How many wanted names DNAMEs were matched against, in all: each DNAME costs the names
    /// below it, not every wanted name (a test holds this linear).
    public private(set) var namesExaminedForDNAMEs = 0

    /// The wanted names strictly below `name`, from the watched names' tree.
    private func wantedNames(below name: String) -> [String] {
        guard let top = watched.index(of: name) else { return [] }
        var found: [String] = []
        var pending: [Int32] = [firstChild[top]]
        while let first = pending.popLast() {
            var c = Int(first)
            while c >= 0 {
                if watched.flags(c) & Flag.wanted != 0 { found.append(watched.name(at: c)) }
                if firstChild[c] >= 0 { pending.append(firstChild[c]) }
                c = Int(nextSibling[c])
            }
        }
        namesExaminedForDNAMEs += found.count
        return found
    }

    /// A name `watched.insert` has just added: a place in the tree, under nothing yet.
    private func noteWatched() {
        firstChild.append(-1)
        nextSibling.append(-1)
    }

    /// Puts watched name `child` under `parent` in the tree.
    private func link(_ child: Int, under parent: Int) {
        guard child != parent else { return }
        nextSibling[child] = firstChild[parent]
        firstChild[parent] = Int32(child)
    }

    private func want(_ name: String, late: Bool) {
        var bytes = name
        bytes.withUTF8 { _ = want($0, text: name, late: late) }
    }

    /// Makes `bytes` (the name `text`) wanted and watches it and its ancestors; returns its hash.
    /// The suffix hashes are computed once and given to the inserts, and the walk up stops at
    /// the first ancestor already watched (watched names are closed under ancestors, so all
    /// above it are too): a planned name costs one hash pass and its new labels, not a hash per
    /// label per ancestor.
    @discardableResult
    private func want(_ bytes: NameBytes, text name: String, late: Bool) -> UInt64 {
        // The hash alone first: `add` asks this for the target of every SRV record kept, nearly
        // always one wanted already, and the suffixes cost four times the hash.
        let hash = NameHash.of(bytes[...])
        if let i = watched.index(of: bytes[...], hash: hash), watched.flags(i) & Flag.wanted != 0 { return hash }
        wantSuffixes.compute(bytes)
        if late {
            lateNames.insert(name)
            lateSince[name] = inLatePass ? Int.max : currentSerial + 1
            lateCut = inLatePass ? Int.max : max(lateCut, currentSerial + 1)
        }
        // The name and every ancestor (labels split where an unescaped dot ends them), up
        // to the root.
        var child = -1  // the name inserted last, to be linked under its parent
        var topInserted: UInt64?  // the hash of the highest name newly watched
        for k in 0..<wantSuffixes.count {
            let suffix = bytes[wantSuffixes.starts[k]...]
            let (index, inserted) = watched.insert(suffix, hash: wantSuffixes.hashes[k])
            if inserted { noteWatched() }
            if child >= 0 { link(child, under: index) }
            if k == 0 { watched.setFlag(Flag.wanted, index) }
            guard inserted else {
                child = -1
                break
            }
            child = index
            firstLabels.insert(suffix, labelEnd: k + 1 < wantSuffixes.count ? wantSuffixes.starts[k + 1] - 1 : bytes.count - 1)
            generation.pointee += 1
            if late {
                pendingWatched.insert(suffix)
                topInserted = wantSuffixes.hashes[k]
            }
        }
        let root = UnsafeBufferPointer(rebasing: bytes[(bytes.count - 1)...])  // the final dot
        firstLabels.insert(root[...], labelEnd: 0)
        if bytes.last == UInt8(ascii: ".") {
            let (index, inserted) = watched.insert(root[...])
            if inserted {
                noteWatched()
                generation.pointee += 1
                if late {
                    pendingWatched.insert(root[...])
                    topInserted = NameHash.of(root[...])
                }
            }
            if child >= 0 { link(child, under: index) }
        }
        // Watched from now on, in the middle of a later pass: the chunks still to come that hold
        // names below it are read (the names inserted here are all below the topmost one).
        if late, inLatePass, let topInserted { lateQuery.append(topInserted) }
        return hash
    }

    /// Whether a watched name has records at or below it.
    public func exists(_ name: String) -> Bool { watched.index(of: name).map { watched.flags($0) & Flag.exists != 0 } ?? false }

    /// Records the watched names at or above `owner` as existing, and notes the watched index
    /// of each suffix (-1 when not watched) in `suffixes.marks`. Watched names are closed under
    /// ancestors, so the walk goes from the last label down and stops at the first suffix that is
    /// not watched: most owners cost one lookup per label they share with a planned name, plus one.
    /// Returns the index of the whole owner when it is watched.
    private func markExisting(_ owner: NameBytes) -> Int? {
        let marks = suffixes.marks
        marks.update(repeating: -1, count: suffixes.count)
        var k = suffixes.count - 1
        while k >= 0 {
            guard firstLabels.mayContain(owner, suffixes: suffixes, k),
                  let i = watched.index(of: owner[suffixes.starts[k]...], hash: suffixes.hashes[k]) else { break }
            watched.setFlag(Flag.exists, i)
            marks[k] = i
            k -= 1
        }
        return suffixes.count > 0 && marks[0] >= 0 ? marks[0] : nil
    }

    /// `markExisting` for an owner whose last `shared` suffixes (and their marks) came from the
    /// memo: only the labels in front are looked up, from the top, while the name above is
    /// watched (watched names are closed under ancestors). Inlined into `decide`, which calls it
    /// for nearly every record: the call itself (saving and restoring six registers, reloading
    /// the collector's fields) was a quarter of its 90 instructions.
    @inline(__always)
    private func markFront(_ owner: NameBytes, shared: Int) -> Int? {
        let marks = suffixes.marks
        var k = suffixes.count - shared - 1
        while k >= 0 {
            marks[k] = -1
            if marks[k + 1] >= 0, firstLabels.mayContain(owner, suffixes: suffixes, k),
               let i = watched.index(of: owner[suffixes.starts[k]...], hash: suffixes.hashes[k]) {
                watched.setFlag(Flag.exists, i)
                marks[k] = i
            } else {
                // Nothing below an unwatched name is watched.
                for m in 0..<k { marks[m] = -1 }
                break
            }
            k -= 1
        }
        return marks[0] >= 0 ? marks[0] : nil
    }

    /// Drops the tables only reading needs (planned names, near misses, late-pass sets) before
    /// the report is built: they are a fifth of the memory a large check holds at its peak.
    public func finishReading() {
        planned = NameSet()
        planZones = NameSet()
        plannedNames = []
        nearMiss = NearMissIndex(plannedNames: [])
        nearMissBuilt = true
        pendingWatched = NameSet()
        lateWatched = NameSet()
        onlyNames = nil
        onlySince = []
        lateSince = [:]
        firstChild = []
        nextSibling = []
        lateNames = []
        lateQuery = []
        chunks.release()
    }

    /// Drops the records and names collected, once the answers and the file findings are made
    /// (`ZoneFileCheck.report`): the checker and the report after them keep what they use, and
    /// a large check reaches its peak memory there, with the collector's tables (megabytes:
    /// the kept records, the watched names) still held for nothing. The zones stay.
    public func releaseRecords() {
        lastTargetsWanted = []
        kept = [:]
        keptFrom = [:]
        keys = [:]
        suspects = []
        watched.removeAll()
        firstChild = []
        nextSibling = []
    }

    /// Prepares another pass that reads only the names that became wanted late (their records
    /// may have gone past before). Returns how many records that pass reads from the start (the
    /// records after them were read knowing the names), or nil when there is nothing to read.
    public func beginLatePass() -> Int? {
        let names = lateNames
        let since = lateSince
        lateNames = []
        lateSince = [:]
        guard !names.isEmpty else { return nil }
        let cut = lateCut
        // What the pass reads again goes first, or it would be kept twice and look written twice:
        // the late names' records, and the NS and DNAME records at the ancestors first watched
        // now and the wildcards over them, read before the cut.
        func dropBeforeCut(_ name: String, cut: Int = cut, where drop: (DNSRecord) -> Bool) {
            guard let records = kept[name], let from = keptFrom[name] else { return }
            guard from.contains(where: { $0.serial < cut }) else { return }  // nothing to drop
            let keep = records.indices.filter { !(from[$0].serial < cut && drop(records[$0])) }
            kept[name] = keep.isEmpty ? nil : keep.map { records[$0] }
            keptFrom[name] = keep.isEmpty ? nil : keep.map { from[$0] }
        }
        for name in names { dropBeforeCut(name, cut: min(cut, since[name] ?? cut)) { _ in true } }
        for i in 0..<pendingWatched.count {
            let name = pendingWatched.name(at: i)
            dropBeforeCut(name) { $0.type == "NS" || $0.type == "DNAME" }
            dropBeforeCut(name == "." ? "*." : "*." + name) { _ in true }
        }
        let only = NameSet()
        onlySince = []
        for name in names where only.insert(name).inserted { onlySince.append(min(cut, since[name] ?? cut)) }
        onlyNames = only
        // The names whose chunks the pass reads: those of `names` and `pendingWatched` with no
        // proper ancestor among them (a record below a name is below its ancestors too).
        lateQuery = []
        func query(_ name: String) {
            var bytes = name
            bytes.withUTF8 { b in
                wantSuffixes.compute(b)
                guard wantSuffixes.count > 0 else { return }
                for k in 1..<wantSuffixes.count {
                    let suffix = b[wantSuffixes.starts[k]...]
                    if only.contains(suffix, hash: wantSuffixes.hashes[k])
                        || pendingWatched.contains(suffix, hash: wantSuffixes.hashes[k]) { return }
                }
                lateQuery.append(wantSuffixes.hashes[0])
            }
        }
        for name in names { query(name) }
        for i in 0..<pendingWatched.count { query(pendingWatched.name(at: i)) }
        lateQuery = Array(Set(lateQuery))
        lateWatched = pendingWatched
        pendingWatched = NameSet()
        inLatePass = true
        lateCut = 0
        return cut
    }
}

/// A bitset over a name's first label (its length, first two bytes and last byte, mixed), for
/// `ZoneCollector`'s watched names: no false "no", so a clear bit safely skips a lookup.
final class FirstLabels {
    private static let words = 1 << 10  // 2^16 bits, 8 KiB
    private let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: FirstLabels.words)

    init() { bits.initialize(repeating: 0, count: Self.words) }
    deinit { bits.deallocate() }

    /// The bit of the label `name[name.startIndex ..< labelEnd]` (without its dot).
    @inline(__always)
    private static func bit(_ p: UnsafePointer<UInt8>, count n: Int) -> Int {
        var key = UInt64(truncatingIfNeeded: n) << 24
        if n > 0 { key |= UInt64(p[0]) << 16 | UInt64(p[n - 1]) }
        if n > 1 { key |= UInt64(p[1]) << 8 }
        return Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    /// Notes the first label of a name; `labelEnd` is where its dot is (an index of the base).
    func insert(_ name: Slice<NameBytes>, labelEnd: Int) {
        guard let base = name.base.baseAddress else { return }
        let b = Self.bit(base + name.startIndex, count: max(0, labelEnd - name.startIndex))
        bits[b >> 6] |= 1 << UInt64(b & 63)
    }

    /// Whether suffix `k` of `owner` may be a noted name (its first label's bit is set).
    @inline(__always)
    func mayContain(_ owner: NameBytes, suffixes: NameSuffixes, _ k: Int) -> Bool {
        let start = suffixes.starts[k]
        let end = k + 1 < suffixes.count ? suffixes.starts[k + 1] - 1 : owner.count - 1
        let b = Self.bit(owner.baseAddress! + start, count: max(0, end - start))
        return bits[b >> 6] & (1 << UInt64(b & 63)) != 0
    }
}
