import CLDNS
import FedplanCore
import Foundation

/// The trust anchors DNSSEC validation starts from: DS or DNSKEY records in master-file text
/// (`--trust-anchor FILE`, or Debian's dns-root-data `/usr/share/dns/root.key`), read by Knot's
/// zone scanner as zone files are, kept as ldns records by zone.
public final class TrustAnchors: @unchecked Sendable {
    /// Debian's dns-root-data: the root zone's key, as Unbound's and BIND's packages use it.
    public static let rootKeyFile = "/usr/share/dns/root.key"
    /// A trust-anchor file holds a few keys; more is not a trust-anchor file.
    static let largestFile = 1 << 20

    /// Zone (lower-cased, with its final dot) → its DS and DNSKEY records.
    let byZone: [String: [OwnedRR]]
    /// Where they were read, for messages.
    public let file: String

    init(byZone: [String: [OwnedRR]], file: String) {
        self.byZone = byZone
        self.file = file
    }

    /// The zones that have an anchor.
    public var zones: [String] { byZone.keys.sorted() }

    /// No anchor at all (the default file is not installed).
    public static func none(_ why: String) -> TrustAnchors { TrustAnchors(byZone: [:], file: why) }

    /// Reads `path`: every DS and DNSKEY record in it (other types are refused, as Unbound's
    /// `trust-anchor-file` does not take them either). A file that cannot be read, does not
    /// parse, or holds no DS or DNSKEY is refused with its place.
    public static func load(_ path: String) throws(DiagnosticList) -> TrustAnchors {
        let place = SourceLocation(file: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticList([Diagnostic("cannot read the trust-anchor file", at: place,
                                             suggestion: "give a file of DS or DNSKEY records (zone-file text), such as /usr/share/dns/root.key")])
        }
        guard data.count <= largestFile else {
            throw DiagnosticList([Diagnostic("the trust-anchor file is larger than \(largestFile / 1024) KiB", at: place,
                                             suggestion: "give a file of a few DS or DNSKEY records")])
        }
        var byZone: [String: [OwnedRR]] = [:]
        var problems: [Diagnostic] = []
        let directory = (path as NSString).deletingLastPathComponent
        data.withUnsafeBytes { bytes in
            guard let scanner = ZoneScanner(bytes: bytes, origin: ".", ttl: 3600, directory: directory.isEmpty ? "." : directory) else {
                problems.append(Diagnostic("cannot start the zone scanner", at: place))
                return
            }
            loop: while true {
                switch scanner.next() {
                case .record:
                    let at = SourceLocation(file: path, line: scanner.line, column: 1)
                    guard scanner.type == 43 || scanner.type == 48 else {
                        problems.append(Diagnostic("a trust anchor is a DS or DNSKEY record; this is type \(scanner.type)", at: at,
                                                   suggestion: "keep only the DS or DNSKEY records of the zones to trust"))
                        continue
                    }
                    guard let rr = WireRecord.rr(owner: scanner.owner, type: scanner.type, rrClass: scanner.rrClass,
                                                 ttl: scanner.ttl, rdata: scanner.rdata) else {
                        problems.append(Diagnostic("ldns cannot read this record's data", at: at))
                        continue
                    }
                    byZone[WireName.string(scanner.owner), default: []].append(rr)
                case .error(let code, let line, let fatal):
                    problems.append(Diagnostic(ZoneScanner.reason(code), at: SourceLocation(file: path, line: line, column: 1),
                                               suggestion: "write DS or DNSKEY records as a zone file does: `example. 3600 IN DS 12345 13 2 <hex>`"))
                    if fatal { break loop }
                case .include(_, _, let line):
                    problems.append(Diagnostic("$INCLUDE is not taken in a trust-anchor file", at: SourceLocation(file: path, line: line, column: 1)))
                case .end:
                    break loop
                }
            }
        }
        if problems.isEmpty, byZone.isEmpty {
            problems.append(Diagnostic("the trust-anchor file holds no DS or DNSKEY record", at: place,
                                       suggestion: "give the DS or DNSKEY records of the zone to trust (`ldns-key2ds`, `dig DNSKEY`)"))
        }
        guard problems.isEmpty else { throw DiagnosticList(problems) }
        return TrustAnchors(byZone: byZone, file: path)
    }

    /// The anchor's zone closest to `zone` at or above it, if any.
    func closest(to zone: String) -> String? {
        var name = zone.dnsLowercased
        while true {
            if byZone[name] != nil { return name }
            if name == "." { return nil }
            guard let dot = name.firstIndex(of: ".") else { return nil }
            let rest = name[name.index(after: dot)...]
            name = rest.isEmpty ? "." : String(rest)
        }
    }
}
