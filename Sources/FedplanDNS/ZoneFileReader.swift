import FedplanCore
import Glibc

/// Streams zone files through Knot's zone scanner (`ZoneScanner`) into a `ZoneCollector`.
/// `$ORIGIN`, `$TTL`, relative names, inherited owners, parentheses, comments and every record
/// type's syntax are the scanner's work, with Knot's verdicts; `$INCLUDE` is ours (relative to
/// the including file, loops and deep nesting refused). Every record keeps its file and line.
/// Only records the collector asks for are converted; it looks at each owner in wire form
/// first, because turning every record into text would cost more than parsing it.
public enum ZoneFileReader {
    /// How deep `$INCLUDE` may nest.
    static let includeDepth = 8

    /// One file to read and the `--origin` given for it (absolute, lower case), if any.
    public struct Input: Sendable, Equatable {
        public var path: String
        public var origin: String?

        public init(path: String, origin: String?) {
            self.path = path
            self.origin = origin
        }
    }

    /// The origin a file starts with when nothing names one: a name under the reserved `.invalid`
    /// (RFC 6761), so that a relative name read with it is recognised at once, and refused,
    /// instead of being read silently as a name under the root.
    static let unsetOrigin = "fedplan-origin-unset.invalid."
    static let unsetOriginWire: [UInt8] = [20] + Array("fedplan-origin-unset".utf8) + [7] + Array("invalid".utf8) + [0]

    /// Reads every file into the collector (again, for names that became interesting late, at
    /// most twice more) and returns every problem of the first pass, and how each file was read.
    public static func read(_ inputs: [Input], into collector: ZoneCollector)
        -> (problems: [Diagnostic], files: [CheckReport.ZoneFileRead]) {
        read(inputs, into: collector, chunked: true)
    }

    /// `read`; `chunked` false reads every later pass whole (tests compare the two), and tests
    /// make the chunks small through `collector.chunks.configure`.
    static func read(_ inputs: [Input], into collector: ZoneCollector, chunked: Bool)
        -> (problems: [Diagnostic], files: [CheckReport.ZoneFileRead]) {
        // `-` is standard input. It can be read only once, and the reader maps files and may
        // read them again: it is copied to a temporary file first, removed at the end.
        let standardInput = inputs.contains { $0.path == "-" } ? StandardInputCopy() : nil
        defer { standardInput?.remove() }
        if let failure = standardInput?.failure {
            return ([Diagnostic("cannot read the zone file from standard input (\(failure))", at: SourceLocation(file: "-"))], [])
        }
        var (problems, files) = readAll(inputs, collector: collector, standardInput: standardInput?.path, indexing: chunked)
        var passes = 1
        // A later pass reads only as far as the record at which the last name became wanted late,
        // and of each file indexed in the first pass only the chunks that may hold what it looks for.
        while passes < 3, let cut = collector.beginLatePass() {
            _ = readAll(inputs, collector: collector, standardInput: standardInput?.path, stopAt: cut, later: true)
            passes += 1
        }
        collector.finishReading()  // frees the chunk index too
        problems.sort { ($0.location.file, $0.location.line ?? 0) < ($1.location.file, $1.location.line ?? 0) }
        return (problems, files)
    }

    /// One pass over every file. `indexing`: the first pass cuts the files into chunks
    /// (`ZoneChunks`); `later`: a later pass, which reads the chunks of indexed files that matter.
    static func readAll(_ inputs: [Input], collector: ZoneCollector, standardInput: String? = nil, stopAt: Int = .max,
                        indexing: Bool = false, later: Bool = false)
        -> ([Diagnostic], [CheckReport.ZoneFileRead]) {
        var problems: [Diagnostic] = []
        var files: [CheckReport.ZoneFileRead] = []
        let count = RecordCount(stop: stopAt)
        for (index, input) in inputs.enumerated() {
            if count.stopped { break }
            let path = input.path
            let named = input.origin == nil ? ZoneFileOrigin.fromFileName(path) : nil
            let start = input.origin ?? named
            let problemsBefore = problems.count
            var file = FileRun(display: path, index: index, collector: collector, origin: start, given: input.origin, count: count)
            collector.beginFile(index)
            if later, let chunks = collector.chunks.chunks(of: index) {
                // Only the chunks that matter. The first pass read this file whole, without a
                // problem: what it learned about the file's zone stands (this pass may not see the SOA).
                file.read(path: path, origin: start ?? unsetOrigin, chunks: chunks.chunks, end: chunks.end, problems: &problems)
                if count.stopped { break }
                continue
            }
            // Standard input is not indexed: read whole by every pass (it is a copy, but it
            // could be anything, a FIFO's endless output included).
            if indexing, path != "-" { file.beginIndex() }
            if path == "-", let copy = standardInput {
                // `$INCLUDE` in standard input is relative to the working folder, as in BIND.
                file.read(path: copy, origin: start ?? unsetOrigin, defaultTTL: 3600, chain: [], problems: &problems,
                          includeFolder: currentFolder())
            } else {
                file.read(path: path, origin: start ?? unsetOrigin, defaultTTL: 3600, chain: [], problems: &problems)
            }
            // A later pass that stopped in this file learns nothing new about the files' zones.
            if count.stopped { break }
            // Already reported; a file with syntax errors may never reach the record that says
            // which zone it holds. Such a file is read whole by a later pass (its chunks are
            // dropped): restarting the scanner in it is not known to give the same records.
            let failed = !file.opened || file.refused || problems.count > problemsBefore
            file.endIndex(keep: !failed)
            if failed { continue }
            // An --origin that names another zone than the file's SOA: the option was meant for
            // another file (named-checkzone, kzonecheck and nsd-checkzone refuse the zone too).
            if file.leadingDirective == nil, let given = input.origin, let soa = file.soaOwner, soa.dnsLowercased != given {
                problems.append(Diagnostic(
                    "this file's SOA record is for \(soa), but --origin \(given) was given for it",
                    at: file.zoneLocation ?? SourceLocation(file: path),
                    suggestion: "drop the --origin after --zone-file \(path), or correct it (an --origin names the zone of the --zone-file before it)"))
                continue
            }
            let source: CheckReport.ZoneFileRead.OriginSource
            let origin: String?
            if let directive = file.leadingDirective {
                (source, origin) = (.directive(line: directive.line), directive.origin)
            } else if input.origin != nil {
                (source, origin) = (.option, input.origin)
            } else if named != nil {
                (source, origin) = (.fileName, named)
            } else {
                (source, origin) = (.none, nil)
            }
            let zone = file.soaOwner ?? origin ?? file.firstOrigin
            if let zone {
                collector.declareZone(zone, at: file.zoneLocation ?? SourceLocation(file: path, line: 1))
            } else {
                problems.append(Diagnostic(
                    "cannot tell which zone this file holds: it has no SOA record and no $ORIGIN, and its name is not a zone's name",
                    at: SourceLocation(file: path), suggestion: "name the zone after the file: --zone-file \(path) --origin ZONE"))
            }
            files.append(CheckReport.ZoneFileRead(file: path, zone: zone, origin: origin, originSource: source))
        }
        collector.notePass(records: count.read)
        return (problems, files)
    }
}

/// Records counted in reading order over every file of a pass (`$INCLUDE`d ones too): a later
/// pass stops at the count where it is no longer needed. In the first pass it also tells the chunk
/// index (`ChunkMarks`) where chunks begin: `next` runs for every record, and its one comparison
/// (`limit`) serves both, so the index adds no test to the record loop.
final class RecordCount {
    private(set) var value = 0
    /// The smaller of `stop` and the next record at which `marks` wants to know.
    private var limit: Int
    private var marks: ChunkMarks?
    /// How many numbers `skip` passed over: `read` is the rest (counted apart from `next`, which
    /// runs for every record).
    private var skipped = 0
    /// How many records were read.
    var read: Int { value - skipped }
    let stop: Int
    private(set) var stopped = false

    init(stop: Int) {
        self.stop = stop
        limit = stop
    }

    /// The next record's number, or nil when the pass stops before it.
    func next() -> Int? {
        guard value < limit else { return atLimit() }
        value += 1
        return value - 1
    }

    @inline(never)
    private func atLimit() -> Int? {
        guard value < stop, let marks else {
            stopped = true
            return nil
        }
        let serial = value
        value += 1
        limit = min(stop, marks.mark(serial))
        return serial
    }

    /// The chunk index to tell (nil: none).
    func setMarks(_ m: ChunkMarks?) {
        marks = m
        limit = min(stop, m?.nextMark ?? Int.max)
    }

    /// Goes on at record `serial` (a later pass skips chunks): the first pass numbered the
    /// records in between. False when the pass stops before it.
    func skip(to serial: Int) -> Bool {
        guard serial <= stop else {
            skipped += max(0, stop - value)
            value = stop
            stopped = true
            return false
        }
        skipped += max(0, serial - value)
        value = max(value, serial)
        return true
    }
}

/// The first pass's side of the chunk index of one top-level file (`ZoneChunks`): at the last
/// record of each chunk and the first of the next (`RecordCount` calls `mark` there), the scanner
/// state after the one is where the next chunk can be read from, and the step before the other is
/// where its text starts.
final class ChunkMarks {
    let chunks: ZoneChunks
    /// The number of the record where the next chunk starts (Int.max: none, the file is not indexed).
    private var nextChunk: Int
    /// The scanner state after the last record of the current chunk.
    private var pending: (origin: [UInt8], ttl: UInt32, owner: [UInt8])?
    /// The top-level file's stream, while it is read.
    var stream: ZoneScanStream?
    /// False once the index gave up this file (no room).
    var valid: Bool { nextChunk != Int.max }

    init(chunks: ZoneChunks, file: Int, serial: Int) {
        self.chunks = chunks
        nextChunk = chunks.beginFile(file, serial: serial)
    }

    /// The next record at which `mark` is wanted.
    var nextMark: Int { nextChunk == Int.max ? Int.max : nextChunk - 1 }

    /// At record `serial`, just read from `stream`: returns the next record at which to be called.
    func mark(_ serial: Int) -> Int {
        guard let scanner = stream else { return Int.max }  // a record of an included file: not indexed
        if serial == nextChunk, let p = pending {
            let restart = ZoneChunks.Restart(offset: scanner.start, line: scanner.lineBefore, origin: p.origin, ttl: p.ttl, owner: p.owner)
            // Int.max: no more room, and the index dropped this file (`ZoneChunks.startChunk`).
            nextChunk = chunks.startChunk(serial: serial, restart: restart)
            pending = nil
        }
        guard nextChunk != Int.max else { return Int.max }
        if serial == nextChunk - 1 {
            pending = (Array(scanner.origin), scanner.currentDefaultTTL, Array(scanner.owner))
            return nextChunk
        }
        return nextChunk - 1
    }
}

/// One top-level file and the files it includes.
private struct FileRun {
    let display: String
    /// The file's position among those given (records remember which file they came from).
    let index: Int
    let collector: ZoneCollector
    /// The origin the file starts with: `--origin`, else its name's; nil when neither says.
    let startOrigin: String?
    /// The `--origin` given for this file.
    let given: String?
    var soaOwner: String?
    var firstOrigin: String?
    var zoneLocation: SourceLocation?
    /// Whether the top-level file could be opened at all.
    var opened = false
    /// Whether the file was refused whole (a relative name with no origin, a contradicted `--origin`).
    var refused = false
    /// `$ORIGIN` written before the file's first record: its line and value.
    var leadingDirective: (line: Int, origin: String)?
    /// Whether the top-level file's first record or `$INCLUDE` has been seen.
    var started = false
    /// The `$ORIGIN` last told to the collector, in wire form.
    var origin: [UInt8] = [0xFF]
    /// Whether relative names are being read against `ZoneFileReader.unsetOrigin`.
    var originUnset = false

    let count: RecordCount

    /// The chunk index of this file, while the first pass builds it (`ChunkMarks`).
    var marks: ChunkMarks?

    init(display: String, index: Int, collector: ZoneCollector, origin: String?, given: String?, count: RecordCount) {
        self.display = display
        self.index = index
        self.count = count
        self.collector = collector
        startOrigin = origin
        self.given = given
    }

    mutating func read(path: String, origin: String, defaultTTL: UInt32, chain: [String], problems: inout [Diagnostic],
                       includeFolder: String? = nil) {
        let shown = chain.isEmpty ? display : Self.shown(included: path)
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch {
            problems.append(Diagnostic("cannot read the zone file (\(error.reason))", at: SourceLocation(file: shown)))
            return
        }
        let real = mapped.realPath
        if chain.contains(real) {
            problems.append(Diagnostic("$INCLUDE loop: \((chain + [real]).joined(separator: " → "))",
                                       at: SourceLocation(file: shown), suggestion: "remove the $INCLUDE that leads back"))
            return
        }
        guard chain.count < ZoneFileReader.includeDepth else {
            problems.append(Diagnostic("$INCLUDE nested more than \(ZoneFileReader.includeDepth) deep",
                                       at: SourceLocation(file: shown)))
            return
        }
        // A NUL byte has no place in a master file: one clear message instead of a syntax
        // error for every line of a binary file.
        if let nul = mapped.firstNUL {
            problems.append(Diagnostic("this is not a text zone file: a NUL byte at line \(nul.line)",
                                       at: SourceLocation(file: shown, line: nul.line),
                                       suggestion: "is this the right file? A zone file is RFC 1035 master-file text"))
            return
        }
        if chain.isEmpty { opened = true }
        let directory = includeFolder ?? real.lastIndex(of: "/").map { String(real[..<$0]) } ?? "."
        guard let scanner = ZoneScanner(bytes: mapped.bytes, origin: origin, ttl: defaultTTL,
                                        directory: directory.isEmpty ? "/" : directory) else {
            problems.append(Diagnostic("cannot start the zone scanner (origin \(origin))", at: SourceLocation(file: shown)))
            return
        }
        // The scanner runs on a thread of its own, a few batches ahead (ZoneScanStream.swift).
        let stream = ZoneScanStream(scanner)
        if chain.isEmpty { marks?.stream = stream }  // where the chunks of the index start
        defer { marks?.stream = nil }
        defer {
            stream.stop()
            withExtendedLifetime(mapped) {}  // the scanning thread reads the mapping until it stops
        }
        scan(stream, mapped: mapped, shown: shown, chain: chain + [real], problems: &problems)
    }

    /// A later pass over a file the first pass indexed (`ZoneChunks`): only the runs of chunks
    /// that may hold a record it looks for (`ZoneCollector.chunkMayMatter`, asked again after
    /// each run: names watched during the pass add chunks), each read by a scanner started at
    /// the run's first chunk with the state the first pass saw there, with the records numbered
    /// as the first pass numbered them (`count.skip`; the collector compares those numbers).
    /// No `$INCLUDE`, syntax error or refusal in such a file (it would not be indexed): what a
    /// whole read does at those (`begin`, the SOA, the NUL test) was done by the first pass.
    mutating func read(path: String, origin: String, chunks: [ZoneChunks.Chunk], end: Int, problems: inout [Diagnostic]) {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch {
            problems.append(Diagnostic("cannot read the zone file (\(error.reason))", at: SourceLocation(file: display)))
            return
        }
        let real = mapped.realPath
        let directory = real.lastIndex(of: "/").map { String(real[..<$0]) } ?? "."
        opened = true
        started = true
        var c = 0
        while c < chunks.count {
            guard collector.chunkMayMatter(file: index, chunk: c) else {
                c += 1
                continue
            }
            var e = c + 1
            while e < chunks.count, collector.chunkMayMatter(file: index, chunk: e) { e += 1 }
            guard count.skip(to: chunks[c].serial) else { return }
            let from = chunks[c].restart?.offset ?? 0
            let to = e < chunks.count ? chunks[e].restart?.offset ?? mapped.count : mapped.count
            guard from <= to, to <= mapped.count,
                  let scanner = ZoneScanner(bytes: mapped.bytes, origin: origin, ttl: 3600, directory: directory.isEmpty ? "/" : directory,
                                            range: from..<to, restart: chunks[c].restart) else {
                problems.append(Diagnostic("cannot start the zone scanner (origin \(origin))", at: SourceLocation(file: display)))
                return
            }
            let stream = ZoneScanStream(scanner)
            scan(stream, mapped: mapped, shown: display, chain: [real], problems: &problems)
            stream.stop()
            if count.stopped || refused { return }
            c = e
        }
        _ = count.skip(to: end)
        withExtendedLifetime(mapped) {}  // the scanning threads read the mapping until they stop
    }

    // MARK: the chunk index, in the first pass

    /// Starts the index of this (top-level) file.
    mutating func beginIndex() {
        let m = ChunkMarks(chunks: collector.chunks, file: index, serial: count.value)
        guard m.valid else { return }
        marks = m
        count.setMarks(m)
    }

    /// No chunks for this file: a later pass reads it whole. (Not inlined: called from the record
    /// loop's rare branches, where its code would crowd the loop.)
    @inline(never)
    mutating func dropIndex() {
        guard let m = marks else { return }
        if m.valid { collector.chunks.invalidate() }
        count.setMarks(nil)
        marks = nil
    }

    /// The file is read: its index is kept when `keep`, else dropped.
    mutating func endIndex(keep: Bool) {
        guard let m = marks else { return }
        if m.valid {
            if keep { collector.chunks.endFile(serial: count.value) } else { collector.chunks.invalidate() }
        }
        count.setMarks(nil)
        marks = nil
    }

    /// An included file as reports name it. The scanner gives its path resolved against the
    /// including file's folder (absolute); inside the working folder it is shown relative to it,
    /// as the top-level file is, so that CI annotations (GitHub, SARIF) land on the file in the
    /// repository rather than on a path of the machine that ran the check.
    static func shown(included path: String) -> String {
        let here = currentFolder()
        guard here != "/", path.hasPrefix(here + "/") else { return path }
        return String(path.dropFirst(here.count + 1))
    }

    mutating func scan(_ scanner: ZoneScanStream, mapped: MappedFile, shown: String, chain: [String],
                       problems: inout [Diagnostic]) {
        // The per-record path holds no closure and copies no reference: a closure making the
        // record's location captured `shown` and `mapped`, and reaching `collector` and `count`
        // through `self` in the mutating calls below retained them, six retain/release pairs per
        // record (a quarter of a billion instructions on a 1,000,000-record zone). The references
        // are read once here and handed down as arguments (borrowed, never retained), and a
        // location is made only for a record that is kept or refused (`location`).
        let collector = self.collector, count = self.count
        let depth = chain.count
        while true {
            let event = scanner.next()
            let start = scanner.start, lineBefore = scanner.lineBefore
            mapped.release(upTo: start)
            switch event {
            case .record:
                guard let serial = count.next() else { return }
                if depth == 1, !started, !begin(scanner, mapped: mapped, shown: shown, problems: &problems) { return }
                // The stream says when the `$ORIGIN` moved: only then is it compared and noted.
                if scanner.originChanged {
                    noteOrigin(scanner, top: depth == 1, collector: collector, at: SourceLocation(file: shown, line: lineBefore))
                }
                if originUnset, let relative = relativeName(scanner) {
                    let location = Self.location(shown: shown, mapped: mapped, start: start, lineBefore: lineBefore)
                    problems.append(noOrigin(relative, at: location, scanner: scanner))
                    refused = true
                    return
                }
                guard scanner.rrClass == 1 else { continue }  // class IN only: other classes are other data
                take(scanner, serial: serial, collector: collector, shown: shown, mapped: mapped, start: start, lineBefore: lineBefore)
            case .error(let code, let line, let fatal):
                dropIndex()  // read whole by a later pass: the scanner's state after an error is its own
                problems.append(Self.problem(code, line: line, scanner: scanner, shown: shown))
                if fatal { return }
            case .include(let line):
                dropIndex()  // read whole by a later pass: a chunk cannot start inside an included file
                let file = scanner.includeFile, includeOrigin = scanner.includeOrigin
                if depth == 1, !started, !begin(scanner, mapped: mapped, shown: shown, problems: &problems) { return }
                let location = SourceLocation(file: shown, line: line)
                var nested = problems
                read(path: file, origin: includeOrigin, defaultTTL: scanner.defaultTTL, chain: chain, problems: &nested)
                problems = nested.map { p in
                    // Problems opening the included file belong to the $INCLUDE line.
                    p.location.file == file && p.location.line == nil ? Diagnostic(p.message, at: location, suggestion: p.suggestion) : p
                }
                if refused || count.stopped { return }
                noteOrigin(scanner, top: depth == 1, force: true, collector: collector, at: location)  // RFC 1035 §5.1: the includer's origin again
            case .end:
                return
            }
        }
    }

    /// A syntax error in Knot's words, with what to do about the common ones.
    static func problem(_ code: Int32, line: Int, scanner: ZoneScanStream, shown: String) -> Diagnostic {
        let text = scanner.text(ofLine: line).trimmingCharacters(in: .whitespaces)
        let location = SourceLocation(file: shown, line: line)
        if text.lowercased().hasPrefix("$generate") {
            return Diagnostic("$GENERATE is not supported (BIND expands it; Knot and NSD do not)", at: location,
                              suggestion: "write the records out, or expand them with `named-compilezone -s full`")
        }
        let reason = ZoneScanner.reason(code)
        return Diagnostic("\(reason): \(text)", at: location,
                          suggestion: "compare the record with its RFC 1035 master-file form")
    }

    /// Tells the collector when `$ORIGIN` changed (the trailing-dot check needs it), and
    /// remembers a top-level file's first `$ORIGIN` as its zone when it has no SOA. `top`: the
    /// top-level file is being read (not an `$INCLUDE`d one); `at`: the line of the record or
    /// `$INCLUDE`, made only when the origin is the zone's.
    mutating func noteOrigin(_ scanner: ZoneScanStream, top: Bool, force: Bool = false, collector: ZoneCollector,
                             at location: @autoclosure () -> SourceLocation) {
        let current = scanner.origin
        let same = current.count == origin.count && origin.withUnsafeBufferPointer {
            current.count == 0 || Bytes.equal(current.baseAddress!, $0.baseAddress!, current.count)
        }
        guard force || !same else { return }
        origin = Array(current)
        let text = WireName.string(current)
        originUnset = origin == ZoneFileReader.unsetOriginWire
        if top, firstOrigin == nil, !originUnset, text != startOrigin {
            firstOrigin = text
            if zoneLocation == nil { zoneLocation = location() }
        }
        collector.setOrigin(originUnset ? nil : text)
    }

    /// At the top-level file's first record or `$INCLUDE`: notes a `$ORIGIN` written before it,
    /// and refuses the file when that contradicts the `--origin` given for it (the option was
    /// surely meant for another file). False when the file is refused.
    mutating func begin(_ scanner: ZoneScanStream, mapped: MappedFile, shown: String, problems: inout [Diagnostic]) -> Bool {
        started = true
        guard let line = ZoneText.lastDirectiveLine("$ORIGIN", before: scanner.offset, in: mapped.bytes) else { return true }
        let value = WireName.string(scanner.origin)
        leadingDirective = (line, value)
        if let given, given != value {
            problems.append(Diagnostic(
                "this file sets $ORIGIN \(value) here, but --origin \(given) was given for it",
                at: SourceLocation(file: shown, line: line),
                suggestion: "drop the --origin after --zone-file \(shown), or correct it (an --origin names the zone of the --zone-file before it)"))
            refused = true
            return false
        }
        return true
    }

    /// What of the current record was read relative to the unset origin: the owner, else a name in
    /// the data (the unset origin's wire form cannot occur in data by chance).
    func relativeName(_ scanner: ZoneScanStream) -> String? {
        let unset = ZoneFileReader.unsetOriginWire
        let owner = scanner.owner
        if owner.count >= unset.count, unset.withUnsafeBufferPointer({
            memcmp(owner.baseAddress! + owner.count - unset.count, $0.baseAddress!, unset.count) == 0
        }) {
            return owner.count == unset.count ? "`@` stands for the origin" : "the owner is a relative name"
        }
        let rdata = scanner.rdata
        if rdata.count >= unset.count, unset.withUnsafeBufferPointer({ u in
            (0...(rdata.count - u.count)).contains { rdata[$0] == u[0] && memcmp(rdata.baseAddress! + $0, u.baseAddress!, u.count) == 0 }
        }) {
            return "a name in the data is relative"
        }
        return nil
    }

    /// The refusal for a relative name when nothing says what it is relative to.
    func noOrigin(_ what: String, at location: SourceLocation, scanner: ZoneScanStream) -> Diagnostic {
        let text = scanner.text(ofLine: location.line ?? 1).trimmingCharacters(in: .whitespaces)
        let name = display == "-" ? "it is standard input" : "its name is not a zone's name (<zone>, <zone>.zone, <zone>.db, db.<zone>)"
        return Diagnostic(
            "\(what), and nothing says what the origin is: the file sets no $ORIGIN before it, no --origin was given for it, and \(name): \(text)",
            at: location,
            suggestion: "put `$ORIGIN <zone>.` at the top of the file, or name the zone after it: --zone-file \(display) --origin <zone>")
    }

    /// The line of the record's first token (it takes a look at the text): made only for the
    /// records kept or refused, not for each of a million.
    static func location(shown: String, mapped: MappedFile, start: Int, lineBefore: Int) -> SourceLocation {
        SourceLocation(file: shown, line: ZoneText.firstContentLine(from: start, line: lineBefore, in: mapped.bytes))
    }

    mutating func take(_ scanner: ZoneScanStream, serial: Int, collector: ZoneCollector,
                       shown: String, mapped: MappedFile, start: Int, lineBefore: Int) {
        let type = scanner.type
        if type == 6, soaOwner == nil {  // SOA
            soaOwner = WireName.string(scanner.owner)
            zoneLocation = Self.location(shown: shown, mapped: mapped, start: start, lineBefore: lineBefore)
        }
        let decision = collector.decide(owner: scanner.lowercasedOwner, type: type, serial: serial)
        // A pattern, not `!=`: this runs for every record, and comparing enums with payloads
        // through Equatable costs more.
        if case .skip = decision { return }
        // An RRSIG at a zone's apex is kept only when it covers DNSKEY (its first field, 48).
        if case .keySignature = decision {
            let rdata = scanner.rdata
            guard rdata.count >= 2, rdata[0] == 0, UInt16(rdata[1]) == ZoneCollector.TypeCode.dnskey else { return }
        }
        let (record, wire) = scanner.record(at: Self.location(shown: shown, mapped: mapped, start: start, lineBefore: lineBefore),
                                            keepingWire: collector.wantsWire(decision))
        collector.add(record, as: decision, serial: serial, wire: wire)
    }
}

/// A zone file mapped into memory, so that the scanner reads it in place and line numbers can
/// be found in the same bytes. Pages already read are given
/// back to the kernel as the stream moves on, so memory stays flat for any file size.
final class MappedFile {
    let base: UnsafeMutableRawPointer?
    let count: Int
    let realPath: String
    private var released = 0

    struct Failure: Error {
        let reason: String
        static func errno() -> Failure { Failure(reason: String(cString: strerror(Glibc.errno))) }
    }

    init(path: String) throws(Failure) {
        // O_NONBLOCK: opening a FIFO named by a hostile `$INCLUDE` must not wait for a writer.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .errno() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .errno() }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw Failure(reason: "it is not a regular file but a directory, device or pipe")
        }
        count = Int(info.st_size)
        if count > 0 {
            guard let pointer = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0), pointer != MAP_FAILED else { throw .errno() }
            base = pointer
            _ = madvise(pointer, count, MADV_SEQUENTIAL)
        } else {
            base = nil
        }
        if let resolved = realpath(path, nil) {
            realPath = String(cString: resolved)
            free(resolved)
        } else {
            realPath = path
        }
    }

    deinit { if let base { munmap(base, count) } }

    /// The line of the first NUL byte, if there is one.
    /// The scan touches every page: it goes a megabyte at a time and gives each back at once
    /// (the scanner maps them in again as it reads); all at once, the whole file would count in
    /// the peak memory for a moment.
    var firstNUL: (offset: Int, line: Int)? {
        guard let base else { return nil }
        let chunk = 1 << 20
        var start = 0
        var found: UnsafeMutableRawPointer?
        while start < count, found == nil {
            let length = min(chunk, count - start)
            found = memchr(base + start, 0, length)
            _ = madvise(base + start, length, MADV_DONTNEED)
            start += length
        }
        guard let found else { return nil }
        let offset = base.distance(to: found)
        let bytes = UnsafeRawBufferPointer(start: base, count: offset)
        return (offset, 1 + bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Gives back the pages before `offset` (less a margin for the record being read).
    func release(upTo offset: Int) {
        let chunk = 1 << 20  // small: every resident page of the mapping counts in the peak
        guard let base, offset - released > 2 * chunk else { return }
        let end = (offset - chunk) & ~(Int(getpagesize()) - 1)
        _ = madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }
}

func currentFolder() -> String {
    guard let cwd = getcwd(nil, 0) else { return "." }
    defer { free(cwd) }
    return String(cString: cwd)
}

/// Standard input copied to a temporary file (TMPDIR, else /tmp), for `--zone-file -`.
final class StandardInputCopy {
    private(set) var path: String?
    private(set) var failure: String?

    init() {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/fedplan-stdin-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            failure = String(cString: strerror(errno))
            return
        }
        defer { close(fd) }
        path = String(cString: template)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                failure = String(cString: strerror(errno))
                return
            }
            if n == 0 { return }
            var offset = 0
            while offset < n {
                let w = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, n - offset) }
                if w < 0 && errno == EINTR { continue }
                if w <= 0 {
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += w
            }
        }
    }

    func remove() {
        if let path { unlink(path) }
    }
}
