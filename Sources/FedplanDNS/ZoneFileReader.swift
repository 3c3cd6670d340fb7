import CLDNS
import FedplanCore
import Glibc

/// Streams zone files through ldns (`ldns_rr_new_frm_fp_l`) into a `ZoneCollector`: `$ORIGIN`,
/// `$TTL`, `$INCLUDE` (relative to the including file, loops refused), relative names,
/// inherited owners, parentheses and comments are ldns's work. Every record keeps its file and
/// line. Only records the collector asks for are converted; the owner is looked at in wire form
/// first, because turning every owner into text would double the time of a large zone.
public enum ZoneFileReader {
    /// How deep `$INCLUDE` may nest.
    static let includeDepth = 8

    /// Reads every file into the collector (again, for names that became interesting late, at
    /// most twice more) and returns every syntax problem of the first pass.
    public static func read(_ paths: [String], origin: String?, into collector: ZoneCollector) -> [Diagnostic] {
        var problems = readAll(paths, origin: origin, collector: collector)
        var passes = 1
        while passes < 3 && collector.beginLatePass() {
            _ = readAll(paths, origin: origin, collector: collector)
            passes += 1
        }
        problems.sort { ($0.location.file, $0.location.line ?? 0) < ($1.location.file, $1.location.line ?? 0) }
        return problems
    }

    static func readAll(_ paths: [String], origin: String?, collector: ZoneCollector) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for path in paths {
            var file = FileRun(display: path, collector: collector)
            file.read(path: path, origin: origin, defaultTTL: 3600, chain: [], problems: &problems)
            if !file.opened { continue }  // already reported
            if let zone = file.soaOwner ?? origin ?? file.firstOrigin {
                collector.declareZone(zone, at: file.zoneLocation ?? SourceLocation(file: path, line: 1))
            } else {
                problems.append(Diagnostic(
                    "cannot tell which zone this file holds: it has no SOA record and no $ORIGIN",
                    at: SourceLocation(file: path), suggestion: "name the zone with --origin ZONE"))
            }
        }
        return problems
    }
}

/// One top-level file and the files it includes.
private struct FileRun {
    let display: String
    let collector: ZoneCollector
    var soaOwner: String?
    var firstOrigin: String?
    var zoneLocation: SourceLocation?
    /// Whether the top-level file could be opened at all.
    var opened = false
    /// Reused for every owner name.
    var nameBuffer: [UInt8] = []

    init(display: String, collector: ZoneCollector) {
        self.display = display
        self.collector = collector
    }

    mutating func read(path: String, origin: String?, defaultTTL: UInt32, chain: [String], problems: inout [Diagnostic]) {
        let shown = chain.isEmpty ? display : path
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
        let state = ParserState()
        state.defaultTTL = defaultTTL
        if let origin { state.origin = ldns_dname_new_frm_str(origin) }
        collector.setOrigin(origin)
        mapped.withStream { file, bytes in
            stream(file, bytes: bytes, mapped: mapped, state: state, shown: shown, path: path,
                   chain: chain + [real], problems: &problems)
        }
        collector.setOrigin(origin)  // RFC 1035 §5.1: the includer's origin again
    }

    mutating func stream(_ file: UnsafeMutablePointer<FILE>, bytes: UnsafeRawBufferPointer, mapped: MappedFile,
                         state: ParserState, shown: String, path: String, chain: [String], problems: inout [Diagnostic]) {
        while feof(file) == 0 {
            let offset = ftell(file)
            mapped.release(upTo: offset)
            let location = SourceLocation(file: shown, line: ZoneText.firstContentLine(from: offset, line: Int(state.line) + 1,
                                                                                          in: bytes))
            var rr: UnsafeMutablePointer<ldns_rr>?
            let status = ldns_rr_new_frm_fp_l(&rr, file, &state.defaultTTL, &state.origin, &state.previous, &state.line)
            switch status {
            case LDNS_STATUS_OK:
                guard let rr else { continue }
                take(OwnedRR(rr), at: location)
            case LDNS_STATUS_SYNTAX_ORIGIN:
                let origin = state.origin.map { LDNSMemory.takeString(ldns_rdf2str($0)).lowercased() }
                if firstOrigin == nil, chain.count == 1 { firstOrigin = origin }
                if zoneLocation == nil, chain.count == 1 { zoneLocation = location }
                collector.setOrigin(origin)
            case LDNS_STATUS_SYNTAX_EMPTY, LDNS_STATUS_SYNTAX_TTL:
                continue
            case LDNS_STATUS_SYNTAX_INCLUDE:
                include(Array(bytes[offset..<min(bytes.count, ftell(file))]), state: state, from: path, at: location,
                        chain: chain, problems: &problems)
            default:
                if feof(file) != 0 && status == LDNS_STATUS_SYNTAX_ERR { break }
                let text = Array(bytes[offset..<min(bytes.count, ftell(file))])
                if let swapped = ClassBeforeTTL.swapped(text), let rr = swapped.withCString({ line -> OwnedRR? in
                    var rr: UnsafeMutablePointer<ldns_rr>?
                    let retried = ldns_rr_new_frm_str(&rr, line, state.defaultTTL, state.origin, &state.previous)
                    return retried == LDNS_STATUS_OK ? rr.map(OwnedRR.init) : nil
                }) {
                    take(rr, at: location)
                    continue
                }
                let reason = String(cString: ldns_get_errorstr_by_id(status))
                problems.append(Diagnostic("ldns: \(reason)", at: location,
                                           suggestion: "compare the record with its RFC 1035 master-file form"))
            }
        }
    }

    mutating func take(_ rr: OwnedRR, at location: SourceLocation) {
        if ldns_rr_get_type(rr.pointer) == LDNS_RR_TYPE_SOA, soaOwner == nil {
            soaOwner = LDNSConvert.lowercasedName(ldns_rr_owner(rr.pointer))
            zoneLocation = location
        }
        let collector = collector
        let decision = LDNSConvert.withLowercasedName(ldns_rr_owner(rr.pointer), buffer: &nameBuffer) {
            collector.decide(owner: $0)
        }
        if decision != .skip { collector.add(LDNSConvert.record(rr.pointer, location: location), as: decision) }
    }

    /// `$INCLUDE file [origin]`: ldns recognises the directive but leaves it to the caller.
    mutating func include(_ line: [UInt8], state: ParserState, from path: String, at location: SourceLocation,
                          chain: [String], problems: inout [Diagnostic]) {
        let text = String(decoding: line, as: UTF8.self)
        let words = text.split { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }.prefix { !$0.hasPrefix(";") }
        guard words.count >= 2 else {
            problems.append(Diagnostic("$INCLUDE needs a file name", at: location))
            return
        }
        var name = String(words[1])
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        if !name.hasPrefix("/"), let slash = path.lastIndex(of: "/") { name = String(path[...slash]) + name }
        let current = state.origin.map { LDNSMemory.takeString(ldns_rdf2str($0)) }
        let origin = words.count >= 3 ? String(words[2]) : current
        var nested = problems
        read(path: name, origin: origin, defaultTTL: state.defaultTTL, chain: chain, problems: &nested)
        problems = nested.map { p in
            // Problems opening the included file belong to the $INCLUDE line.
            p.location.file == name && p.location.line == nil ? Diagnostic(p.message, at: location, suggestion: p.suggestion) : p
        }
        collector.setOrigin(current)
    }
}

/// A zone file mapped into memory and read through a stdio stream (`fmemopen`), so that ldns
/// can read it and line numbers can be found in the same bytes. Pages already read are given
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
    var firstNUL: (offset: Int, line: Int)? {
        guard let base, let found = memchr(base, 0, count) else { return nil }
        let offset = base.distance(to: found)
        let bytes = UnsafeRawBufferPointer(start: base, count: offset)
        return (offset, 1 + bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) })
    }

    func withStream(_ body: (UnsafeMutablePointer<FILE>, UnsafeRawBufferPointer) -> Void) {
        guard let base, let file = fmemopen(base, count, "r") else { return }
        defer { fclose(file) }
        body(file, UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Gives back the pages before `offset` (less a margin for the record being read).
    func release(upTo offset: Int) {
        let chunk = 8 << 20
        guard let base, offset - released > 2 * chunk else { return }
        let end = (offset - chunk) & ~(Int(getpagesize()) - 1)
        _ = madvise(base + released, end - released, MADV_DONTNEED)
        released = end
    }
}

/// RFC 1035 §5.1 allows `<class> <TTL>` as well as `<TTL> <class>`; ldns 1.8 reads only the
/// second. When ldns refuses a record, the two words are swapped and ldns reads it again.
enum ClassBeforeTTL {
    static let classes: Set<String> = ["IN", "CH", "HS", "CS"]

    /// The record text with `<class> <TTL>` turned round, or nil when it does not have them.
    static func swapped(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        let inherited = text.first == " " || text.first == "\t"
        var words = text.split(separator: " ", omittingEmptySubsequences: true).flatMap { $0.split(separator: "\t") }
        let first = inherited ? 0 : 1
        guard words.count > first + 1, classes.contains(words[first].uppercased()),
              let digit = words[first + 1].first, digit.isNumber else { return nil }
        words.swapAt(first, first + 1)
        return (inherited ? " " : "") + words.joined(separator: " ")
    }
}
