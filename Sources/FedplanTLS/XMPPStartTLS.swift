/// RFC 6120 §5.4 STARTTLS for a server-to-server stream: open the stream, read the features,
/// ask for TLS, wait for `<proceed/>`. Only what is needed to reach the handshake; the XML is
/// looked at for these few elements, never parsed into a tree.
enum XMPPStartTLS {
    static let limit = 65_536

    /// nil when the server said proceed; else what went wrong.
    static func negotiate(_ connection: Connection, domain: String, deadline: Double) -> String? {
        let header = "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
            + "xmlns:stream='http://etherx.jabber.org/streams' to='\(domain)' version='1.0'>"
        guard connection.send(header, deadline: deadline) else { return "cannot open an XMPP stream" }
        guard let features = connection.receive(until: { $0.contains("</stream:features>") || $0.contains("<stream:error") },
                                                 limit: limit, deadline: deadline) else {
            return "no XMPP stream features within the timeout"
        }
        guard features.contains("<starttls") else {
            return features.contains("<stream:error") ? "the XMPP server refused the stream" : "the XMPP server does not offer STARTTLS"
        }
        guard connection.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", deadline: deadline) else {
            return "cannot ask for STARTTLS"
        }
        guard let answer = connection.receive(until: { $0.contains("<proceed") || $0.contains("<failure") },
                                              limit: limit, deadline: deadline) else {
            return "no answer to STARTTLS within the timeout"
        }
        return answer.contains("<proceed") ? nil : "the XMPP server refused STARTTLS"
    }
}
