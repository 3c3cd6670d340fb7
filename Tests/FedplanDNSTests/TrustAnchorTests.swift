@testable import FedplanDNS
import CLDNS
import FedplanCore
import Foundation
import Testing

/// `--trust-anchor FILE`: DS and DNSKEY records read by the zone scanner, anything else refused
/// with its line; and Extended DNS Errors read from an OPT record through ldns.
@Suite struct TrustAnchorTests {
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anchor-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func dsAndDNSKEYRecordsAreAnchorsOfTheirZone() throws {
        let path = try Self.file("""
            ; the root's key-signing key, as /usr/share/dns/root.key holds it
            . 172800 IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            Example.TEST. IN DNSKEY 257 3 13 JhWx4kh7MKhdKoX1mFvJuc9EOOH+MJvnsWkl/xuGH8TRcFKtXQ1qS6/vR51ZWGXy+qZE8nBHNpDXLqvEO/Qtrg==
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let anchors = try TrustAnchors.load(path)
        #expect(anchors.zones == [".", "example.test."])
        #expect(anchors.closest(to: "sip.example.test.") == "example.test.")
        #expect(anchors.closest(to: "contoso.com.") == ".")
        #expect(TrustAnchors.none("none").closest(to: "contoso.com.") == nil)
    }

    @Test func otherRecordsSyntaxErrorsAndEmptyFilesAreRefusedWithTheirLine() throws {
        for (text, expected) in [
            ("example.test. 3600 IN A 192.0.2.1\n", ":1:1: error: a trust anchor is a DS or DNSKEY record; this is type 1"),
            ("example.test. 3600 IN DS 1 13 2 zz\n", ":1:1: error: "),
            ("; nothing\n", ": error: the trust-anchor file holds no DS or DNSKEY record"),
        ] {
            let path = try Self.file(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: DiagnosticList.self) { try TrustAnchors.load(path) }
            do {
                _ = try TrustAnchors.load(path)
            } catch {
                #expect(error.description.hasPrefix(path + expected.prefix { $0 != " " }), "\(error.description)")
                #expect(error.description.contains(expected.drop { $0 != " " }), "\(error.description)")
            }
        }
        #expect(throws: DiagnosticList.self) { try TrustAnchors.load("/nonexistent/root.key") }
    }

    /// RFC 8914 option 15 in an OPT record's data, read through ldns's EDNS option list: the
    /// code, the text up to a NUL, bounded; other options skipped.
    @Test func extendedErrorsComeFromTheOptRecord() throws {
        let text = Array("Signature Expired\u{0}junk".utf8)
        let ede: [UInt8] = [0, 15, 0, UInt8(2 + text.count), 0, 7] + text
        let cookie: [UInt8] = [0, 10, 0, 8] + Array(repeating: 1, count: 8)
        let data = cookie + ede
        // An OPT record: root owner, type 41, class 1232 (payload size), TTL 0, the data.
        let wire: [UInt8] = [0, 0, 41, 0x04, 0xD0, 0, 0, 0, 0, 0, UInt8(data.count)] + data
        var rr: UnsafeMutablePointer<ldns_rr>?
        var position = 0
        let status = wire.withUnsafeBufferPointer { ldns_wire2rr(&rr, $0.baseAddress, $0.count, &position, LDNS_SECTION_ADDITIONAL) }
        let owned = OwnedRR(try #require(status == LDNS_STATUS_OK ? rr : nil))
        let errors = ExtendedErrors.read(opt: owned.pointer)
        #expect(errors == [ExtendedDNSError(code: 7, text: "Signature Expired")])
        #expect(errors[0].description == "Extended DNS Error 7 (Signature Expired): \"Signature Expired\"")
    }
}
