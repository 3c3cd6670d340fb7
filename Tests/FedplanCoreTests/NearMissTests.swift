@testable import FedplanCore
import Testing

/// Near misses: which written owners are taken for a misspelling of a planned name. A near miss
/// is reported only when the planned record is missing, so a wrong "yes" hides the real
/// `record-missing` behind a wrong rename advice, and a wrong "no" loses the advice.
@Suite struct NearMissTests {
    static func near(_ written: String, _ planned: String) -> Bool {
        NearMissIndex.isNear(Array(written.utf8), Array(planned.utf8))
    }

    /// Verdicts pinned before the comparisons were rewritten without allocations: every pair
    /// keeps its verdict (written, planned, near).
    static let pinned: [(String, String, Bool)] = [
        // separators
        ("_sipfederationtls_tcp", "_sipfederationtls._tcp", true),
        ("_sipfederationtls.tcp", "_sipfederationtls._tcp", true),
        ("sipfederationtls.tcp", "_sipfederationtls._tcp", true),
        ("_sip-federationtls._tcp", "_sipfederationtls._tcp", true),
        ("_sipfederationtls__tcp", "_sipfederationtls._tcp", true),
        ("_xmpp_server._tcp", "_xmpp-server._tcp", true),
        ("_xmppserver._tcp", "_xmpp-server._tcp", true),
        ("a-b", "ab", true),
        ("x-m-p-p", "xmpp", true),
        ("x-m-p-p-", "xmpp", false),  // four bytes longer: too far whatever the heuristic
        // label order
        ("_tcp._sipfederationtls", "_sipfederationtls._tcp", true),
        ("_tcp._xmpp-server", "_xmpp-server._tcp", true),
        ("_xmpp-server.conference._tcp", "_xmpp-server._tcp.conference", true),
        ("aa.bb.aa", "aa.aa.bb", true),
        ("aa.aa.bb", "aa.bb.bb", false),  // the same labels, not as many times each
        ("bb.aa.aa", "aa.bb.bb", false),
        ("_tcp._tcp", "_tcp._sip", false),
        // one edit
        ("_sipfederatontls._tcp", "_sipfederationtls._tcp", true),
        ("_sipfedreationtls._tcp", "_sipfederationtls._tcp", true),
        ("_sipfederationtlss._tcp", "_sipfederationtls._tcp", true),
        ("_sipfederationtms._tcp", "_sipfederationtls._tcp", true),
        ("_sipfederationtls._tpc", "_sipfederationtls._tcp", true),
        ("_xmpp-sever._tcp", "_xmpp-server._tcp", true),
        ("sop", "sip", true),
        ("sip1", "sip", true),
        ("si", "sip", true),
        ("isp", "sip", true),
        ("spi", "sip", true),
        ("xmp", "xmpp", true),
        ("xmpp", "xmp", true),
        ("ab", "a", false),  // planned parts under three bytes: one edit is too likely by chance
        ("ba", "ab", false),
        ("b", "ab", false),
        // not near
        ("sip", "sip", false),
        ("_sipfederationtls._tcp", "_sipfederationtls._tcp", false),
        ("www", "sip", false),
        ("mail", "xmpp", false),
        ("h1", "sip", false),
        ("h12", "sip", false),
        ("sipp1", "sip", false),
        ("abcd", "bacx", false),
        ("_sipfederationtls._udp", "_sipfederationtls._tcp", false),
        ("_sip._tcp", "_sipfederationtls._tcp", false),
        ("_xmpp-server._tcp.x", "_xmpp-server._tcp", false),
        ("_sipinternaltls._tcp", "_sipfederationtls._tcp", false),
    ]

    @Test func pinnedVerdicts() {
        for (written, planned, expected) in Self.pinned {
            #expect(Self.near(written, planned) == expected, "\(written) for \(planned)")
        }
    }

    // MARK: the index: which planned name an owner stands for

    static let planned = [
        "_sipfederationtls._tcp.contoso.com.", "_xmpp-server._tcp.contoso.com.", "sip.contoso.com.",
        "_xmpp-server._tcp.conference.contoso.com.", "xmpp.edge.fabrikam.com.",
    ]

    /// What the index says for `owner`, through the same suffix table the collector fills.
    static func intended(_ owner: String, planned: [String] = planned) -> String? {
        let index = NearMissIndex(plannedNames: planned)
        let suffixes = NameSuffixes()
        defer { suffixes.deallocate() }
        return Array(owner.utf8).withUnsafeBufferPointer { bytes in
            suffixes.compute(bytes)
            return index.intended(for: bytes, suffixes: suffixes)
        }
    }

    @Test func ownersAndTheNamesTheyStandFor() {
        #expect(Self.intended("_sipfederationtls.tcp.contoso.com.") == "_sipfederationtls._tcp.contoso.com.")
        #expect(Self.intended("_sipfederationtls_tcp.contoso.com.") == "_sipfederationtls._tcp.contoso.com.")
        #expect(Self.intended("_tcp._xmpp-server.contoso.com.") == "_xmpp-server._tcp.contoso.com.")
        #expect(Self.intended("_xmpp_server._tcp.contoso.com.") == "_xmpp-server._tcp.contoso.com.")
        #expect(Self.intended("_xmpp-server._tcp.conferense.contoso.com.") == nil)  // another domain
        #expect(Self.intended("_xmp-server._tcp.conference.contoso.com.") == "_xmpp-server._tcp.conference.contoso.com.")
        #expect(Self.intended("xmp.edge.fabrikam.com.") == "xmpp.edge.fabrikam.com.")
        // Near two planned names: the first planned wins.
        #expect(Self.intended("sop.contoso.com.") == "sip.contoso.com.")
        #expect(Self.intended("sop.contoso.com.", planned: ["sip.contoso.com.", "sup.contoso.com."]) == "sip.contoso.com.")
        #expect(Self.intended("sop.contoso.com.", planned: ["sup.contoso.com.", "sip.contoso.com."]) == "sup.contoso.com.")
        // Planned names themselves, unrelated names, other domains.
        #expect(Self.intended("sip.contoso.com.") == nil)
        #expect(Self.intended("_sipfederationtls._tcp.contoso.com.") == nil)
        #expect(Self.intended("www.contoso.com.") == nil)
        #expect(Self.intended("h1.contoso.com.") == nil)
        #expect(Self.intended("sop.fabrikam.com.") == nil)
        #expect(Self.intended("sop.contoso.org.") == nil)
        #expect(Self.intended("contoso.com.") == nil)
        #expect(Self.intended("com.") == nil)
        // Up to three labels above the domain.
        #expect(Self.intended("a.b.sop.contoso.com.") == nil)
        #expect(Self.intended("x.sip.contoso.com.") == nil)
    }

    @Test func domainsAreTheParentsOfTheServiceParts() {
        let domains = Set(NearMissIndex(plannedNames: Self.planned).domains.map { String(decoding: $0, as: UTF8.self) })
        #expect(domains == ["contoso.com.", "conference.contoso.com.", "edge.fabrikam.com."])
        // Names without a domain under them, or not absolute, have no service part.
        #expect(NearMissIndex(plannedNames: ["com.", "sip.contoso.com"]).domains.isEmpty)
    }
}
