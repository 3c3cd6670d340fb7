#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Service labels that name a real service of their own, so a record at them is never a
/// misspelling of a planned label, however close the spelling: `_xmpps-server._tcp` is XMPP
/// server-to-server over direct TLS on port 5270 (XEP-0368), not a slip for `_xmpp-server._tcp`;
/// `_sip._tcp`, `_sip._udp` and `_sips._tcp` are SIP's own transports (RFC 3263), not slips for
/// Lync's `_sip._tls`. Reporting them as near misses would advise renaming a working record onto
/// the planned one, and hide the planned record's `record-missing` behind that advice.
extension NearMissIndex {
    /// Service names from IANA's Service Name and Transport Protocol Port Number Registry
    /// (RFC 6335) that federation, conferencing and mail zones hold beside the planned records,
    /// and the names Microsoft's Lync / Skype for Business and Exchange clients look up in the
    /// same `_service._proto` form. Without the leading `_`, lower case.
    static let registeredServiceNames: [StaticString] = [
        // SIP (RFC 3263) and Lync / Skype for Business: federation, internal clients.
        "sip", "sips", "sipfederationtls", "sipinternal", "sipinternaltls",
        // XMPP (RFC 6120) and XMPP over direct TLS (XEP-0368).
        "xmpp-server", "xmpp-client", "xmpps-server", "xmpps-client", "jabber",
        // NAT traversal for media: STUN (RFC 5389, RFC 7064), TURN (RFC 5766, RFC 7065).
        "stun", "stuns", "turn", "turns",
        // H.323 (H.225.0 Annex O): call signalling, location, registration.
        "h323cs", "h323ls", "h323rs",
        // Directory, authentication, mail, calendars and contacts, the web.
        "autodiscover", "ldap", "ldaps", "kerberos", "kpasswd", "imap", "imaps", "pop3", "pop3s",
        "submission", "submissions", "caldav", "caldavs", "carddav", "carddavs", "http", "https",
    ]

    /// The protocol labels of RFC 2782 SRV names seen in these zones (`_tls` is Lync's `_sip._tls`).
    static let serviceProtocols: [StaticString] = ["_tcp", "_udp", "_tls", "_sctp"]

    /// Registered services: a written part of exactly the form `_service._proto`, with a
    /// registered service and one of the protocol labels. Catches the opposite mistake of the
    /// heuristics: taking a real, different service for a misspelling. The protocol first
    /// (`_tcp._sip`), a lost separator (`_xmpp_server._tcp`) or an unknown service name are not
    /// of this form and stay near misses.
    static func isRegisteredService(_ written: NameBytes) -> Bool {
        guard written.count > 1, written[0] == UInt8(ascii: "_") else { return false }
        var dot = 1
        while dot < written.count && written[dot] != UInt8(ascii: ".") { dot += 1 }
        guard dot < written.count else { return false }
        let service = NameBytes(rebasing: written[1..<dot])
        let proto = NameBytes(rebasing: written[(dot + 1)...])
        return contains(serviceProtocols, proto) && contains(registeredServiceNames, service)
    }

    private static func contains(_ table: [StaticString], _ s: NameBytes) -> Bool {
        guard !s.isEmpty else { return false }
        for entry in table where entry.utf8CodeUnitCount == s.count {
            if memcmp(entry.utf8Start, s.baseAddress!, s.count) == 0 { return true }
        }
        return false
    }
}
