import Foundation
import Testing

/// `dns check --zone-file` on a zone that holds real services beside a missing planned one
/// (Tests/Fixtures/zones/registered-xmpps.zone: `_xmpps-server._tcp`, XMPP over direct TLS, where
/// `_xmpp-server._tcp` is planned): the planned record is reported missing, and no other service is
/// taken for its misspelling.
@Suite(.ownThread) struct RegisteredServiceTests {
    @Test func otherServicesBesideAMissingRecordAreNotNearMisses() throws {
        let folder = packageRoot.appendingPathComponent("Tests/Fixtures/zones")
        let path = folder.appendingPathComponent("registered-xmpps.zone").path
        let result = try fedplan("dns", "check", folder.appendingPathComponent("fedplan.yaml").path,
                                 "--zone-file", path, "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                "\(result.stderr)")
        let findings = (json["findings"] as? [[String: Any]] ?? []).map { "\($0["rule"] as! String) \($0["name"] as! String)" }
        #expect(findings.contains("record-missing _xmpp-server._tcp.contoso.com."), "\(findings)")
        #expect(!findings.contains { $0.hasPrefix("name-near-miss") }, "\(findings)")
        #expect(result.code == 1)
    }
}
