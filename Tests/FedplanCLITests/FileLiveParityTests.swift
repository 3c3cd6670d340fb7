import Foundation
import Testing

/// The file check answers as a server loading the file would: the same zone served by NSD and
/// checked live gives the same findings (rule, name, type) as the file check, but for the rules
/// only a file can show (a name written without its final dot, a misspelt owner, duplicates), and
/// a delegation, which the file check names (`name-below-delegation`) and a live check cannot
/// verify (`query-failed`, a referral).
@Suite(.ownThread) struct FileLiveParityTests {
    static let folder = packageRoot.appendingPathComponent("Tests/Fixtures/zones")
    static let description = folder.appendingPathComponent("fedplan.yaml").path
    static let cases = [
        "good.zone", "address-missing.zone", "address-unexpected.zone", "address-private.zone", "record-missing.zone",
        "srv-port.zone", "srv-target.zone", "srv-extra-target.zone", "srv-disabled.zone", "srv-no-address.zone",
        "srv-priority.zone", "ttl.zone", "wildcard-answers.zone", "wildcard-shadowed.zone", "dname-above.zone",
        "delegated-host.zone", "delegated-tcp.zone",
    ]
    static let fileOnly: Set<String> = ["name-missing-trailing-dot", "name-near-miss", "duplicate-record", "cname-and-other-data"]

    struct Key: Hashable, CustomStringConvertible {
        var rule: String, name: String, type: String
        var description: String { "\(rule) \(name) \(type)" }
    }

    static func keys(_ stdout: String) throws -> Set<Key> {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
        return Set((json["findings"] as? [[String: Any]] ?? []).map { f in
            let rule = f["rule"] as! String
            return Key(rule: rule == "name-below-delegation" ? "query-failed" : rule, name: f["name"] as! String,
                       type: f["type"] as? String ?? "")
        }.filter { !fileOnly.contains($0.rule) })
    }

    @Test(arguments: cases)
    func sameFindingsFromTheFileAndFromNSD(_ file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let nsd = try NSDServer(zones: ["contoso.com": text])
        defer { nsd.stop() }
        let fromFile = try fedplan("dns", "check", Self.description, "--zone-file", path, "--format", "json")
        let live = try fedplan("dns", "check", Self.description, "--resolver", nsd.address, "--format", "json")
        let fileKeys = try Self.keys(fromFile.stdout), liveKeys = try Self.keys(live.stdout)
        #expect(fileKeys == liveKeys, "\(file): only in the file check \(fileKeys.subtracting(liveKeys)); only live \(liveKeys.subtracting(fileKeys))")
    }
}
