import COpenSSL
import FedplanCore
import FedplanDNS
import Glibc

/// Connects to one endpoint, negotiates TLS (directly, or after XMPP STARTTLS), and reads the
/// certificate chain the server presents. Every step is non-blocking and bounded by one
/// deadline, so a server that stalls or trickles bytes costs `timeout` at most.
public enum TLSProbe {
    public struct Options: Sendable {
        /// Seconds for the whole exchange with one endpoint.
        public var timeout: Double = 5
        /// Trust these CA certificates (PEM) instead of the system's store.
        public var caFile: String?

        public init() {}
    }

    public static func probe(_ endpoint: CertificateEndpoint, options: Options) -> TLSOutcome {
        let deadline = SocketAddress.now() + options.timeout
        guard let address = IPAddress(endpoint.connectTo) else {
            return .failed("\(endpoint.connectTo) is not an IP address")
        }
        let connection: Connection
        switch Connection.open(address, port: endpoint.port, deadline: deadline) {
        case .success(let c): connection = c
        case .failure(let problem): return .failed(problem.reason)
        }
        defer { connection.close() }
        if endpoint.service == .xmpp {
            if let problem = XMPPStartTLS.negotiate(connection, domain: xmppDomain(endpoint), deadline: deadline) {
                return .failed(problem)
            }
        }
        return handshake(connection, serverName: endpoint.host, options: options, deadline: deadline)
    }

    /// The stream's `to`: the first XMPP domain the Edge federates for (else the proxy's name).
    static func xmppDomain(_ endpoint: CertificateEndpoint) -> String {
        for name in endpoint.expectedNames {
            if case .xmppDomain(let domain) = name.role { return domain }
        }
        return endpoint.host
    }

    static func handshake(_ connection: Connection, serverName: String, options: Options, deadline: Double) -> TLSOutcome {
        guard let context = SSL_CTX_new(TLS_client_method()) else { return .failed("OpenSSL: cannot create a TLS context") }
        defer { SSL_CTX_free(context) }
        if let caFile = options.caFile {
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else {
                return .failed("cannot read CA certificates from \(caFile)")
            }
        } else {
            SSL_CTX_set_default_verify_paths(context)
        }
        // Dates are judged by the checker: a broken chain must show even on an expired certificate.
        X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(context), UInt(X509_V_FLAG_NO_CHECK_TIME))
        // Finish the handshake whatever the verdict: the verdict is what we report.
        SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        guard let ssl = SSL_new(context) else { return .failed("OpenSSL: cannot create a TLS session") }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, connection.fd)
        _ = fedplan_ssl_set_server_name(ssl, serverName)
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { break }
            let error = SSL_get_error(ssl, result)
            let events: Int16
            switch error {
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            default: return .failed("the TLS handshake failed (\(openSSLError()))")
            }
            guard connection.wait(events, deadline: deadline) else {
                return .failed("no TLS handshake within the timeout")
            }
        }
        let chain = SSL_get_peer_cert_chain(ssl)
        let certificates = (0..<fedplan_chain_count(chain)).compactMap { fedplan_chain_at(chain, $0) }.map(CertificateReader.read)
        guard !certificates.isEmpty else { return .failed("the server sent no certificate") }
        let verdict = SSL_get_verify_result(ssl)
        let trust: ChainTrust = switch Int32(verdict) {
        // A leaf without the server EKU fails OpenSSL's purpose check; that is cert-eku-missing's
        // to report, not a broken chain.
        case X509_V_OK, X509_V_ERR_INVALID_PURPOSE: .trusted
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: .selfSigned
        default: .incomplete(String(cString: X509_verify_cert_error_string(verdict)))
        }
        return .presented(chain: certificates, trust: trust)
    }

    static func openSSLError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buffer, buffer.count)
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return Escape.text(String(decoding: bytes, as: UTF8.self))
    }

}

/// X509 → `PresentedCertificate`. The C helpers escape every name byte outside printable ASCII.
enum CertificateReader {
    static func read(_ cert: OpaquePointer) -> PresentedCertificate {
        let names = take(fedplan_dns_names(cert)).map { text in
            text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.lowercased() }
        }
        return PresentedCertificate(
            subject: take(fedplan_name_text(X509_get_subject_name(cert))) ?? "",
            issuer: take(fedplan_name_text(X509_get_issuer_name(cert))) ?? "",
            dnsNames: names,
            notBefore: Int64(fedplan_time(X509_get0_notBefore(cert))),
            notAfter: Int64(fedplan_time(X509_get0_notAfter(cert))),
            hasEKU: fedplan_has_eku(cert) != 0, serverAuth: fedplan_eku_server(cert) != 0,
            clientAuth: fedplan_eku_client(cert) != 0, selfSigned: fedplan_self_signed(cert) != 0, der: der(cert))
    }

    /// The certificate's DER encoding (i2d_X509, asked for its length first).
    static func der(_ cert: OpaquePointer) -> [UInt8] {
        let length = i2d_X509(cert, nil)
        guard length > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var p = buffer.baseAddress
            return i2d_X509(cert, &p)
        }
        return written == length ? bytes : []
    }

    /// A malloc'd C string from the shim, freed here.
    static func take(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
