@testable import FedplanCore
import Foundation
import Testing

/// What a new user met in the first hour (issue 27): suggestions that name the right thing,
/// each mistake reported once, fixes that say what removes a warning, and wording.
@Suite struct FirstHourTests {
    static let twoDomains = """
        version: 1
        sip_domains: [tailspintoys.com, wingtiptoys.com]
        zones: [tailspintoys.com]
        edge:
          access_edge: sip.tailspintoys.com
          servers:
            - {name: edge01, access_ip: [131.107.155.10]}
        """

    /// `_sipfederationtls._tcp.wingtiptoys.com` outside `zones:`: the zone to add is the SIP
    /// domain, not `_tcp.wingtiptoys.com`.
    @Test func zoneSuggestionNamesTheZone() {
        let found = diagnostics(Self.twoDomains)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.suggestion == "add wingtiptoys.com (or the zone that holds it) to zones", "\(found)")
        #expect(!found.description.contains("_tcp.wingtiptoys.com (or"), "\(found)")
    }

    /// A misspelt nested key is reported once, as the misspelling (docs/description.md says so),
    /// not again as the key that is missing.
    @Test func misspeltNestedKeysAreReportedOnce() {
        let found = diagnostics("""
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              web_conferencing: webcon.contoso.com
              av: av.contoso.com
              servers:
                - name: edge01
                  acess_ip: [131.107.155.10]
                  webconferencing_ip: [131.107.155.11]
                  av_ips: [131.107.155.12]
            federation:
              sip:
                partners:
                  - {domain: fabrikam.com, kind: allowed_server, egde: sip.fabrikam.com}
            """)
        let messages = found.map(\.message)
        #expect(messages == ["unknown key 'acess_ip' in an edge server", "unknown key 'webconferencing_ip' in an edge server",
                             "unknown key 'av_ips' in an edge server", "unknown key 'egde' in a SIP partner"], "\(found)")
    }

    /// The XMPP partner defaults (TLS and SASL required, dialback on) are warned about; the fix
    /// says that `dialback: false` removes the warning.
    @Test func xmppDefaultsWarningSaysWhatRemovesIt() throws {
        let deployment = try load("""
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
            federation:
              xmpp:
                partners:
                  - domain: jabber.example.org
            """)
        let findings = XMPPNegotiationWarningRule.check(deployment, plan: try Planner.plan(deployment))
        #expect(findings.count == 1)
        #expect(findings.first?.fix == "set `dialback: false` for this partner (or `sasl: optional`): either removes the warning", "\(findings)")
        // `validate` shows it under the warning.
        #expect(FindingRenderer.text(findings).contains("\n    fix: set `dialback: false` for this partner"))
    }

    /// Every combination that is warned about or invalid gets a fix, and applying it gives a
    /// valid combination.
    @Test func everyNegotiationFixLeadsToAValidCell() throws {
        for (cell, outcome) in XMPPNegotiationMatrix.cells {
            if case .valid = outcome {
                #expect(XMPPNegotiationMatrix.fix(for: cell) == nil)
                continue
            }
            #expect(XMPPNegotiationMatrix.fix(for: cell) != nil)
            let choices = XMPPNegotiationMatrix.fixes(for: cell)
            #expect(!choices.isEmpty, "\(cell.text)")
            for choice in choices {
                var changed = cell
                for part in choice.components(separatedBy: " and ") {
                    let kv = part.trimmingCharacters(in: CharacterSet(charactersIn: "`")).components(separatedBy: ": ")
                    switch kv[0] {
                    case "tls": changed.tls = try #require(Negotiation(rawValue: kv[1]))
                    case "sasl": changed.sasl = try #require(Negotiation(rawValue: kv[1]))
                    case "dialback": changed.dialback = kv[1] == "true"
                    default: Issue.record("unexpected key in \(choice)")
                    }
                }
                guard case .valid = XMPPNegotiationMatrix.cells[changed] else {
                    Issue.record("\(cell.text): \(choice) gives \(changed.text), not a valid cell")
                    continue
                }
            }
        }
    }

    @Test func failoverWordingIsGrammatical() throws {
        let deployment = try load("""
            version: 1
            sip_domains: [contoso.com]
            edge:
              access_edge: sip.contoso.com
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
                - {name: edge02, access_ip: [131.107.155.11]}
            federation:
              sip:
                partners:
                  - {domain: adatum.com, legacy_ocs: true}
              xmpp: {}
            """)
        let message = try #require(DNSLoadBalancingFailoverRule.check(deployment, plan: try Planner.plan(deployment)).first).message
        #expect(message == "2 Edge servers behind DNS load balancing: failover is lost for OCS 2007 partners (adatum.com) and XMPP federation; consider hardware load balancing")
    }

    @Test func articleBeforeAddressKind() throws {
        #expect(try #require(IPAddress("::ffff:203.0.113.5")).unreachableSentence
                == "::ffff:203.0.113.5 is an IPv4-mapped (not routable as IPv6) address that federation partners cannot reach")
        #expect(try #require(IPAddress("::")).unreachableSentence?.hasPrefix(":: is an unspecified address") == true)
        #expect(try #require(IPAddress("fd00::5")).unreachableSentence?.hasPrefix("fd00::5 is a unique local") == true)
        #expect(try #require(IPAddress("10.0.0.5")).unreachableSentence?.hasPrefix("10.0.0.5 is a private") == true)
        #expect(try #require(IPAddress("131.107.155.10")).unreachableSentence == nil)
    }

    /// SARIF messages end values with one full stop: an absolute name keeps its own dot only.
    @Test func sarifMessagesHaveNoDoubledDots() {
        let finding = Finding(rule: "srv-target-mismatch", severity: .error, name: "_sipfederationtls._tcp.tailspintoys.com.",
                              type: "SRV", message: "points at sip.example.com., the plan says sip.tailspintoys.com.",
                              expected: "sip.tailspintoys.com.", observed: "sip.example.com.", fix: "replace it")
        let sarif = SARIFRenderer.findings([finding], version: "0.1.0")
        #expect(sarif.contains("Expected: sip.tailspintoys.com. Observed: sip.example.com. Fix: replace it."), "\(sarif)")
        #expect(!sarif.contains(".."), "\(sarif)")
    }

    /// Failed queries grouped in text: the label is `unverified`, as the summary counts them
    /// (never `error` beside "0 errors"), and the counts are of queries and of the planned
    /// records they left unverified, the same number the summary gives.
    @Test func failedQueryGroupAgreesWithTheSummary() throws {
        let plan = try Planner.plan(try load("""
            version: 1
            sip_domains: [a.example, b.example, c.example, d.example, e.example, f.example]
            edge:
              access_edge: sip.a.example
              servers:
                - {name: edge01, access_ip: [131.107.155.10]}
                - {name: edge02, access_ip: [131.107.155.11]}
            """))
        let rows = plan.records.map { CheckReport.RecordResult(record: $0, status: .unverified, observed: nil) }
        let questions = Set(plan.records.map { "\($0.name.description) \($0.type.rawValue)" }).sorted()
        let findings = questions.map { q in
            let parts = q.split(separator: " ")
            return Finding(rule: "query-failed", severity: .error, name: String(parts[0]), type: String(parts[1]),
                           message: "could not verify: no answer within 2 s", server: "192.0.2.53")
        }
        let report = CheckReport(description: "fedplan.yaml", servers: ["192.0.2.53"], records: rows, findings: findings)
        let text = CheckRenderer.text(report)
        #expect(report.summary.unverified == 8 && report.summary.errors == 0)
        #expect(text.contains("  unverified 7 queries failed (8 records unverified): could not verify: no answer within 2 s [query-failed]\n"), "\(text)")
        #expect(text.contains("8 records: 0 ok, 0 errors, 0 warnings, 0 notices, 8 unverified"), "\(text)")
        #expect(!text.contains("  error "), "\(text)")
    }

    /// A target that is a planned name with the zone's origin appended is named as such.
    @Test func relativeTargetIsRecognised() {
        #expect(RelativeTarget.meant("xmpp.tailspintoys.com.wingtiptoys.com.", planned: ["xmpp.tailspintoys.com."],
                                     zone: "wingtiptoys.com.") == "xmpp.tailspintoys.com.")
        #expect(RelativeTarget.meant("sip.fabrikam.com.wingtiptoys.com.", planned: ["sip.wingtiptoys.com."],
                                     zone: "wingtiptoys.com.") == "sip.fabrikam.com.")
        #expect(RelativeTarget.meant("sip.wingtiptoys.com.", planned: ["sip.wingtiptoys.com."], zone: "wingtiptoys.com.") == nil)
        #expect(RelativeTarget.meant("edge.pool.wingtiptoys.com.", planned: ["sip.wingtiptoys.com."], zone: "wingtiptoys.com.") == nil)
    }

    /// A failed YAML serialisation is an error, never `{}`: from an empty octoDNS zone file
    /// octoDNS would plan to delete every record of the zone.
    @Test func octoDNSExportFailsLoudly() throws {
        let deployment = try load(Self.twoDomains.replacingOccurrences(of: "zones: [tailspintoys.com]\n", with: ""))
        let zone = try #require(try Planner.plan(deployment).zones.first)
        struct Broken: Error {}
        #expect(throws: ExportRenderer.Failure.self) {
            try ExportRenderer.octoDNS(zone, deployment: deployment, serialize: { _ in throw Broken() })
        }
        #expect(throws: ExportRenderer.Failure.self) {
            try ExportRenderer.octoDNS(zone, deployment: deployment, serialize: { _ in "" })
        }
        let good = try ExportRenderer.octoDNS(zone, deployment: deployment)
        #expect(good.contains("_sipfederationtls._tcp") && !good.hasSuffix("{}\n"))
    }
}
