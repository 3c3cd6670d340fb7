import CLDNS
import FedplanCore

/// What a signed zone says about an answer synthesized from a wildcard. An RRSIG's Labels field
/// counts the labels of the name the records were signed under, without a leading `*`; when
/// that is fewer than the owner's labels, the records came from the wildcard `*.` followed by
/// the owner's rightmost Labels labels (RFC 4034 §3.1.3, RFC 4035 §5.3.4; ldns's verifier
/// rebuilds the owner the same way). The signature names the wildcard exactly, with no probe,
/// in NSEC and NSEC3 zones alike; the denial of the name itself (the NSEC or NSEC3 records in
/// the authority section) adds nothing to that, so it is not read.
///
/// The signature is not validated: it only changes what a finding says about where the
/// records come from, never whether they are right.
struct WildcardSignature {
    /// The owner, in the same presentation form as the records read with it.
    let owner: String
    /// The type of the records it signs.
    let covered: RRType
    /// `*.contoso.com.`
    let wildcard: String

    /// Nil when `rr` is not a signature of records synthesized from a wildcard.
    init?(_ rr: UnsafeMutablePointer<ldns_rr>, owner text: @autoclosure () -> String) {
        guard ldns_rr_get_type(rr) == LDNS_RR_TYPE_RRSIG, let owner = ldns_rr_owner(rr),
              let labelsField = ldns_rr_rrsig_labels(rr), ldns_rdf_size(labelsField) == 1,
              let coveredField = ldns_rr_rrsig_typecovered(rr), ldns_rdf_size(coveredField) == 2 else { return nil }
        let labels = ldns_rdf2native_int8(labelsField), count = ldns_dname_label_count(owner)
        // The wildcard's own records, asked for by its name, are not synthesized.
        guard labels < count, ldns_dname_is_wildcard(owner) == 0,
              let closest = LDNSMemory.takeName(ldns_dname_clone_from(owner, UInt16(count - labels))) else { return nil }
        self.owner = text()
        covered = RRType(rawValue: UInt16(truncatingIfNeeded: ldns_rdf2rr_type(coveredField).rawValue))
        wildcard = closest == "." ? "*." : "*.\(closest)"
    }

    /// The records with those this signature covers marked as the wildcard's.
    static func mark(_ records: inout [DNSRecord], with signatures: [WildcardSignature]) {
        for s in signatures {
            for k in records.indices where records[k].code == s.covered && records[k].owner.dnsLowercased == s.owner.dnsLowercased {
                records[k].wildcard = s.wildcard
            }
        }
    }
}
