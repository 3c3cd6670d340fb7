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

    @Test func registeredServicesStandForNoPlannedName() {
        #expect(Self.intended("_xmpps-server._tcp.contoso.com.") == nil)
        #expect(Self.intended("_xmpp-client._tcp.contoso.com.") == nil)
        #expect(Self.intended("_xmpps-server._tcp.conference.contoso.com.") == nil)
        #expect(Self.intended("_sipfederationtls._tls.contoso.com.") == nil)
        let lync = ["_sip._tls.contoso.com.", "_sipinternaltls._tcp.contoso.com."]
        for owner in ["_sip._tcp.contoso.com.", "_sip._udp.contoso.com.", "_sips._tcp.contoso.com.",
                      "_sipinternal._tcp.contoso.com."] {
            #expect(Self.intended(owner, planned: lync) == nil, "\(owner)")
        }
        // The same services misspelt are still near misses.
        #expect(Self.intended("_tcp._sipfederationtls.contoso.com.") == "_sipfederationtls._tcp.contoso.com.")
        #expect(Self.intended("_xmpps_server._tcp.contoso.com.") == nil)  // two slips: an added letter and a separator
        #expect(Self.intended("_xmpp-server_tcp.contoso.com.") == "_xmpp-server._tcp.contoso.com.")
        #expect(Self.intended("_sip.tls.contoso.com.", planned: lync) == "_sip._tls.contoso.com.")
        #expect(Self.intended("_tls._sip.contoso.com.", planned: lync) == "_sip._tls.contoso.com.")
    }

    @Test func domainsAreTheParentsOfTheServiceParts() {
        let domains = Set(NearMissIndex(plannedNames: Self.planned).domains.map { String(decoding: $0, as: UTF8.self) })
        #expect(domains == ["contoso.com.", "conference.contoso.com.", "edge.fabrikam.com."])
        // Names without a domain under them, or not absolute, have no service part.
        #expect(NearMissIndex(plannedNames: ["com.", "sip.contoso.com"]).domains.isEmpty)
        func domainsOf(_ names: [String]) -> [String] {
            NearMissIndex(plannedNames: names).domains.map { String(decoding: $0, as: UTF8.self) }.sorted()
        }
        // Every leading `_` label is service; one label at least stays for the domain.
        #expect(domainsOf(["_a._b._c.com."]) == ["com."])
        #expect(domainsOf(["_a._b."]) == ["_b."])
        #expect(domainsOf(["_sip.host.contoso.com.", "host.contoso.com."]) == ["contoso.com.", "host.contoso.com."])
        #expect(domainsOf(["sip.contoso.com.", "sip.contoso.com.", "xmpp.contoso.com."]) == ["contoso.com."])
        #expect(Self.intended("_a._c._b.com.", planned: ["_a._b._c.com."]) == "_a._b._c.com.")
        #expect(Self.intended("_c.com.", planned: ["_a._b._c.com."]) == nil)
        #expect(Self.intended("_aa._b.", planned: ["_a._b."]) == nil)  // planned part `_a`: under three bytes
        #expect(Self.intended("a_._b.", planned: ["_a._b."]) == "_a._b.")
        #expect(Self.intended("_sop.host.contoso.com.", planned: ["_sip.host.contoso.com."]) == "_sip.host.contoso.com.")
    }

    // MARK: each heuristic alone

    @Test func separatorsAreIgnored() {
        func same(_ a: String, _ b: String) -> Bool {
            bytes(a).withUnsafeBufferPointer { a in bytes(b).withUnsafeBufferPointer { b in
                NearMissIndex.equalIgnoringSeparators(a, b)
            } }
        }
        #expect(same("_sipfederationtls_tcp", "_sipfederationtls._tcp"))
        #expect(same("_xmpp_server", "_xmpp-server"))
        #expect(same("xmpp-server.", "_xmpp_server"))
        #expect(same("-_.", ""))
        #expect(same("", ""))
        #expect(!same("_xmpp-servers", "_xmpp-server"))
        #expect(!same("_xmpp-server", "_xmpp-servers"))
        #expect(!same("_xmpp-sevrer", "_xmpp-server"))
        #expect(!same("a", ""))
    }

    @Test func labelsInAnotherOrder() {
        func same(_ a: String, _ b: String) -> Bool {
            bytes(a).withUnsafeBufferPointer { a in bytes(b).withUnsafeBufferPointer { b in
                NearMissIndex.sameLabels(a, b)
            } }
        }
        #expect(same("_tcp._sipfederationtls", "_sipfederationtls._tcp"))
        #expect(same("_xmpp-server.conference._tcp", "_xmpp-server._tcp.conference"))
        #expect(same("a.b.c", "c.b.a"))
        #expect(same("aa.bb.aa", "aa.aa.bb"))
        #expect(!same("aa.aa.bb", "aa.bb.bb"))  // counted, not only looked up
        #expect(!same("a.b", "a.b.c"))
        #expect(!same("a.b.c", "a.b"))
        #expect(!same("ab.c", "a.bc"))  // the same bytes, other labels
        #expect(!same("_tcp._sip", "_tcp._sips"))
    }

    @Test func oneEdit() {
        func one(_ a: String, _ b: String) -> Bool {
            bytes(a).withUnsafeBufferPointer { a in bytes(b).withUnsafeBufferPointer { b in
                NearMissIndex.editDistanceIsOne(a, b)
            } }
        }
        #expect(one("sop", "sip"))  // changed
        #expect(one("sp", "sip"))  // dropped
        #expect(one("sipp", "sip"))  // added
        #expect(one("isp", "sip"))  // swapped neighbours
        #expect(one("spi", "sip"))  // swapped at the end
        #expect(one("xsip", "sip"))  // added in front
        #expect(one("", "a"))
        #expect(!one("sip", "sip"))  // distance 0
        #expect(!one("pis", "sip"))  // a swap of letters that are not neighbours: two edits
        #expect(!one("sopp", "sip"))
        #expect(!one("s", "sip"))
        #expect(!one("abcd", "bacx"))
        #expect(!one("_sipfederationtls._udp", "_sipfederationtls._tcp"))
    }

    // MARK: registered service labels

    /// Real services written next to planned ones: each is `_service._proto` with a registered
    /// service, so none is a misspelling of the planned label it resembles.
    static let registered: [(String, String)] = [
        ("_xmpps-server._tcp", "_xmpp-server._tcp"),
        ("_xmpp-server._udp", "_xmpp-server._tcp"),
        ("_xmpp-client._tcp", "_xmpp-server._tcp"),
        ("_xmpps-client._tcp", "_xmpp-server._tcp"),
        ("_sip._tcp", "_sip._tls"),
        ("_sip._udp", "_sip._tls"),
        ("_sips._tcp", "_sip._tls"),
        ("_sip._sctp", "_sip._tls"),
        ("_sips._tcp", "_sip._tcp"),
        ("_sipinternaltls._tcp", "_sipinternal._tcp"),
        ("_sipinternal._tcp", "_sipinternaltls._tcp"),
        ("_sipinternaltls._tcp", "_sipfederationtls._tcp"),
        ("_sipfederationtls._tls", "_sipfederationtls._tcp"),
        ("_sipfederationtls._tcp", "_sipfederationtls._tls"),
        ("_stuns._tcp", "_stun._tcp"),
        ("_turns._tcp", "_turn._tcp"),
        ("_turn._udp", "_turn._tcp"),
    ]

    @Test func registeredServicesAreNotNearMisses() {
        for (written, planned) in Self.registered {
            #expect(!Self.near(written, planned), "\(written) is a service of its own, not a misspelling of \(planned)")
            #expect(bytes(written).withUnsafeBufferPointer(NearMissIndex.isRegisteredService), "\(written)")
        }
    }

    @Test func mistakesAroundRegisteredServicesStayNearMisses() {
        // Not of the registered `_service._proto` form: the labels in the wrong order, a
        // separator lost or changed, a service name or protocol that is not registered.
        for (written, planned) in [
            ("_tcp._sipfederationtls", "_sipfederationtls._tcp"),
            ("_tcp._xmpp-server", "_xmpp-server._tcp"),
            ("_tls._sip", "_sip._tls"),
            ("_sipfederationtls_tcp", "_sipfederationtls._tcp"),
            ("_sipfederationtls.tcp", "_sipfederationtls._tcp"),
            ("_xmpp_server._tcp", "_xmpp-server._tcp"),
            ("_xmpp-sever._tcp", "_xmpp-server._tcp"),
            ("_xmpp-server._tpc", "_xmpp-server._tcp"),
            ("_xmpp-server._tc", "_xmpp-server._tcp"),
            ("_sipfederationtls._tcpp", "_sipfederationtls._tcp"),
            ("_sipfederatontls._tcp", "_sipfederationtls._tcp"),
        ] {
            #expect(Self.near(written, planned), "\(written) for \(planned)")
        }
    }

    @Test func registeredForm() {
        func registered(_ s: String) -> Bool { bytes(s).withUnsafeBufferPointer(NearMissIndex.isRegisteredService) }
        #expect(registered("_xmpps-server._tcp"))
        #expect(registered("_sip._sctp"))
        #expect(registered("_autodiscover._tcp"))
        #expect(!registered("_xmpp_server._tcp"))  // not a registered name
        #expect(!registered("_tcp._sip"))  // the protocol first
        #expect(!registered("sip._tcp"))  // no underscore
        #expect(!registered("_sip.tcp"))
        #expect(!registered("_sip._tcpx"))
        #expect(!registered("_sip._quic"))
        #expect(!registered("_sip"))
        #expect(!registered("_sip._tcp.conference"))  // more than `_service._proto`
        #expect(!registered("_sip._tcp._tcp"))
        #expect(!registered("_sipx._tcp"))
        #expect(!registered("_si._tcp"))
        #expect(!registered(""))
    }
}

private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
