import CLDNS
import COpenSSL
import FedplanCore
import Glibc

/// DANE with ldns's DANE functions (ldns/dane.h) over OpenSSL certificates: the TLSA record
/// for a certificate or key (`cert plan --tlsa`), and whether published TLSA records match the
/// chain a server presented (`cert check`).
public enum DANE {
    public struct Problem: Error, Equatable {
        public let reason: String
    }

    /// What a PEM file held.
    public enum Source: String, Sendable {
        case certificate = "certificate", publicKey = "public key", privateKey = "private key"
    }

    /// `3 1 1 <SHA-256 of the SubjectPublicKeyInfo>` (DANE-EE, RFC 7671 §5.1) for the first
    /// certificate, public key or unencrypted private key in PEM text, made by
    /// `ldns_dane_create_tlsa_rr`. Anything else is a problem that says what was expected.
    public static func tlsa(pem bytes: [UInt8]) -> Result<(TLSAData, Source), Problem> {
        var kind: Int32 = 0
        let holder = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { fedplan_pem_key_holder($0.baseAddress, Int32(buffer.count), &kind) }
        }
        // A certificate exported from the Windows store is DER (`.cer`): read it as it is.
        if holder == nil, let cert = x509(bytes) {
            defer { X509_free(cert) }
            guard let data = spkiSHA256(cert) else {
                return .failure(Problem(reason: "ldns could not make a TLSA record from its public key"))
            }
            return .success((data, .certificate))
        }
        guard let holder else {
            let text = String(decoding: bytes, as: UTF8.self)
            if text.contains("ENCRYPTED") {
                return .failure(Problem(reason: "the private key is encrypted; give the certificate, or the public key (`openssl pkey -in KEY -pubout`)"))
            }
            return .failure(Problem(reason: text.contains("-----BEGIN")
                ? "no certificate or key that OpenSSL can read in its PEM blocks; expected a PEM certificate (BEGIN CERTIFICATE), public key (BEGIN PUBLIC KEY) or private key"
                : "not a certificate or key; expected a PEM certificate (BEGIN CERTIFICATE), a DER certificate (.cer), or a PEM public or private key; from a PKCS#12 file (.pfx) take the certificate with `openssl pkcs12 -in FILE.pfx -clcerts -nokeys -out edge.pem`"))
        }
        defer { X509_free(holder) }
        guard let data = spkiSHA256(holder) else {
            return .failure(Problem(reason: "ldns could not make a TLSA record from its public key"))
        }
        let source: Source = kind == 1 ? .certificate : kind == 2 ? .publicKey : .privateKey
        return .success((data, source))
    }

    /// `3 1 1 …` for a certificate as sent (DER): what to publish for it.
    public static func tlsa(der: [UInt8]) -> TLSAData? {
        guard let cert = x509(der) else { return nil }
        defer { X509_free(cert) }
        return spkiSHA256(cert)
    }

    static func spkiSHA256(_ cert: OpaquePointer) -> TLSAData? {
        var rr: UnsafeMutablePointer<ldns_rr>?
        let status = ldns_dane_create_tlsa_rr(&rr, LDNS_TLSA_USAGE_DANE_EE, LDNS_TLSA_SELECTOR_SPKI,
                                              LDNS_TLSA_MATCHING_TYPE_SHA2_256, cert)
        guard status == LDNS_STATUS_OK, let rr else { return nil }
        defer { ldns_rr_free(rr) }
        guard ldns_rr_rd_count(rr) == 4, let rdf = ldns_rr_rdf(rr, 3) else { return nil }
        return TLSAData(usage: 3, selector: 1, matchingType: 1,
                        data: Array(UnsafeBufferPointer(start: ldns_rdf_data(rdf), count: ldns_rdf_size(rdf))))
    }

    static func x509(_ der: [UInt8]) -> OpaquePointer? {
        der.withUnsafeBufferPointer { fedplan_x509_from_der($0.baseAddress, $0.count) }
    }

    /// Whether any usable record matches the chain (leaf first), by `ldns_dane_verify`: DANE-EE
    /// and DANE-TA as ldns does them with OpenSSL's DANE, PKIX-EE and PKIX-TA also needing a
    /// chain to a CA of the trust store (`caFile`, else the system's). No name checks (DANE-EE
    /// has none; the SANs are cert-name-missing's). nil when nothing can be compared.
    public static func verify(_ records: [TLSAData], chain: [[UInt8]], caFile: String?) -> DANEMatch? {
        let usable = records.filter(\.usable)
        guard !usable.isEmpty, let first = chain.first, let leaf = x509(first) else { return nil }
        defer { X509_free(leaf) }
        guard let list = ldns_rr_list_new() else { return nil }
        defer { ldns_rr_list_deep_free(list) }
        for record in usable {
            guard let rr = ldns_rr_new_frm_type(LDNS_RR_TYPE_TLSA) else { return nil }
            _ = ldns_rr_set_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, record.usage), 0)
            _ = ldns_rr_set_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, record.selector), 1)
            _ = ldns_rr_set_rdf(rr, ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8, record.matchingType), 2)
            _ = record.data.withUnsafeBytes { ldns_rr_set_rdf(rr, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_HEX, $0.count, $0.baseAddress), 3) }
            guard (0..<4).allSatisfy({ ldns_rr_rdf(rr, $0) != nil }) else {
                ldns_rr_free(rr)
                return nil
            }
            _ = ldns_rr_list_push_rr(list, rr)
        }
        guard let extra = fedplan_stack_new() else { return nil }
        defer { fedplan_stack_free(extra) }
        for der in chain.dropFirst() {
            if let cert = x509(der), fedplan_stack_push(extra, cert) <= 0 { X509_free(cert) }
        }
        guard let store = X509_STORE_new() else { return nil }
        defer { X509_STORE_free(store) }
        if let caFile {
            _ = X509_STORE_load_locations(store, caFile, nil)
        } else {
            _ = X509_STORE_set_default_paths(store)
        }
        let status = ldns_dane_verify(list, leaf, extra, store)
        ERR_clear_error()
        if status == LDNS_STATUS_OK { return .match }
        return .noMatch("ldns: " + String(cString: ldns_get_errorstr_by_id(status)))
    }
}
