import CLDNS
@testable import FedplanDNS
import Glibc
import Testing

/// Records made by ldns from their presentation text, and their wire forms: what the verifier
/// tests hand to the live path (ldns records) and to the zone-file path (wire forms).
protocol RecordText {}

extension RecordText {
    func rr(_ text: String) throws -> OwnedRR {
        var rr: UnsafeMutablePointer<ldns_rr>?
        #expect(ldns_rr_new_frm_str(&rr, text, 0, nil, nil) == LDNS_STATUS_OK, "\(text)")
        return OwnedRR(try #require(rr))
    }

    func wire(_ rr: OwnedRR) throws -> [UInt8] {
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        #expect(ldns_rr2wire(&bytes, rr.pointer, Int32(LDNS_SECTION_ANSWER.rawValue), &size) == LDNS_STATUS_OK)
        let start = try #require(bytes)
        defer { free(start) }
        return Array(UnsafeBufferPointer(start: start, count: size))
    }
}
