/// `dns check --zone-file`: the live checks run on what the zone files hold (answers built from
/// the collected records, as an authoritative server would give them), plus the mistakes only
/// files make: names written without their final dot, records at misspelt names, a CNAME beside
/// other data, and duplicate records. Every finding points at the file line it is about.
public enum ZoneFileCheck {
    /// One pass: the answers, then the file findings (they need only the answers), then the
    /// checker, told which of its findings the file findings already say better, then one
    /// combination. Nothing is removed or patched afterwards.
    /// `signatures`: how RRSIGs are verified and when (nil: DNSSEC is not judged, and records
    /// have no `dnssec` status). Each planned RRset's verdict is made with its answer, in the
    /// same loop, and judged by the checker as a live answer's is.
    /// `releasingCollector`: the collector's records are dropped once the answers and the file
    /// findings are made (`ZoneCollector.releaseRecords`), before the checker and the report,
    /// where a large check reaches its peak memory; for callers that do not look at them after.
    public static func report(plan: Plan, description: String, files: [CheckReport.ZoneFileRead],
                              collector: ZoneCollector, signatures: SignatureCheckOptions? = nil,
                              releasingCollector: Bool = false) -> CheckReport {
        let answers = ZoneAnswers(collector: collector)
        let rrsets = PlanRRsets(plan)
        var outcomes: [Question: QueryOutcome] = [:]
        outcomes.reserveCapacity(rrsets.sets.count)
        // DNSSEC (docs/zone-files.md): an unsigned zone is judged once per zone (insecure), as a
        // live check judges one; in signed zones each answer from the zones carries its verdict.
        // The checker makes the findings and the records' statuses from them, as live.
        let dnssecCheck = signatures.map { ZoneSignatures(collector: collector, answers: answers, options: $0) }
        let signedZones = dnssecCheck?.anySigned ?? false
        let everyZone = dnssecCheck != nil && !signedZones ? DNSSECVerdict(status: .insecure) : nil
        // Beside this thread (SecondThread.swift: the other core is idle once reading is done):
        // the file findings about the kept records, which only read the collector, as the
        // answers do. (Answers made there too would come from another malloc arena, whose pages
        // the check's later allocations cannot reuse: 2–3 MiB more at the peak, measured.)
        let sets = rrsets.sets
        final class Side: @unchecked Sendable { var data: [Finding] = [] }
        let made = Side()
        let side = SecondThread { made.data = dataFindings(collector, answers: answers, plan: plan) }
        var fromZones = false
        for set in sets {
            let outcome = answers.outcome(set.question, fromZones: &fromZones)
            if signedZones, fromZones, case .answer(var a) = outcome, let verdict = dnssecCheck!.verdict(set.question, a) {
                a.dnssec = verdict
                outcomes[set.question] = .answer(a)
            } else {
                outcomes[set.question] = consume outcome  // moved into the table, not copied
            }
        }
        side.join()
        let followUps = RecordChecker.followUps(for: plan, outcomes: outcomes, rrsets: rrsets)
        outcomes.reserveCapacity(rrsets.sets.count + followUps.count)
        for question in followUps { outcomes[question] = answers.outcome(question) }

        let fileFindings = suspectFindings(collector, outcomes: outcomes) + made.data
        // Each zone's DNSKEY set once, at its apex, as live (those the answers came from). Judged
        // and placed before the collector lets its records go: the place is the apex's DNSKEY.
        let keySets: (verdicts: [String: DNSSECVerdict], places: [String: SourceLocation]) = signedZones ? dnssecCheck!.reportedKeySets() : ([:], [:])
        if releasingCollector { collector.releaseRecords() }
        // A file finding says what is wrong at its line better than what follows from it there
        // (a target written without its final dot also has no address), and a misplaced record
        // explains the planned record that is missing.
        var explained = RecordChecker.Explained()
        for f in fileFindings {
            if let location = f.location { explained.locations.insert(location) }
            if let expected = f.expected, let type = f.type { explained.missing.insert(Question(expected, type)) }
        }
        let source = files.map(\.file).joined(separator: ", ")
        let check = RecordChecker.check(plan: plan, server: source, outcomes: outcomes, fromZoneFiles: true, rrsets: rrsets,
                                        explained: explained, clock: signatures?.clock ?? SignatureClock(),
                                        everyZoneDNSSEC: everyZone, keySets: keySets.verdicts, keySetPlaces: keySets.places)
        var report = CheckReport.combine(description: description, plan: plan, checks: [check], outcomes: [(source, outcomes)],
                                         extraFindings: fileFindings)
        report.zoneFiles = files
        // The answers and the checker's working tables are not needed any more: let go of on a
        // thread of their own, beside the rendering (`SecondThread.release`).
        SecondThread.release((consume outcomes, consume check, consume rrsets))
        return report
    }

    /// Whether the planned RRset asked by `question` is absent from the answers: a misspelt
    /// record stands in for it only then.
    static func missing(_ question: Question, in outcomes: [Question: QueryOutcome]) -> Bool {
        guard case .answer(let a)? = outcomes[question], a.referral == nil else { return false }
        let seen = Observed(answer: a, name: question.name)
        return seen.brokenChain == nil && seen.records(question.type).isEmpty
    }

    /// Records at misspelt or origin-appended names. A misspelling is reported when the planned
    /// record it stands for is missing; an appended origin always is (it is never meant).
    static func suspectFindings(_ collector: ZoneCollector, outcomes: [Question: QueryOutcome]) -> [Finding] {
        collector.suspects.compactMap { suspect in
            let r = suspect.record
            let owner = r.owner.dnsLowercased
            switch suspect.suspicion {
            case .missingTrailingDot(let intended):
                let stands = missing(Question(intended, r.type), in: outcomes)
                return Finding(rule: "name-missing-trailing-dot", severity: .error, name: owner, type: r.type,
                               message: "\(owner) is \(intended) written without its final dot, so the origin was appended",
                               expected: stands ? intended : nil, observed: owner, location: r.location,
                               fix: "write the owner as `\(intended)` (with the final dot)")
            case .nearMiss(let intended):
                guard missing(Question(intended, r.type), in: outcomes) else { return nil }
                return Finding(rule: "name-near-miss", severity: .error, name: owner, type: r.type,
                               message: "the \(r.type) record sits at \(owner), a misspelling of the planned \(intended), which has none",
                               expected: intended, observed: owner, location: r.location,
                               fix: "rename the owner to `\(intended)`")
            }
        }
    }

    /// Mistakes in the records kept: CNAME targets written without their final dot, a CNAME
    /// beside other data (RFC 1034 §3.6.2), the same record twice.
    static func dataFindings(_ collector: ZoneCollector, answers: ZoneAnswers, plan: Plan) -> [Finding] {
        // Planned names, only if some CNAME target could be one (most zones: none).
        var planned: Set<String>?
        var findings: [Finding] = []
        // In no order (a large zone keeps 20,000 owners; sorting them all costs more than the
        // rest): the findings, a few, are put in order of owner at the end.
        for (owner, records) in collector.kept {
            for cname in records where cname.type == "CNAME" {
                guard let target = cname.rdata.first?.dnsLowercased, let zone = answers.zone(of: owner),
                      target.hasSuffix("." + zone) else { continue }
                let written = String(target.dropLast(zone.count))
                if planned == nil { planned = Set(plan.records.map { $0.name.description }) }
                if planned!.contains(written) || written.hasSuffix("." + zone) {
                    findings.append(Finding(
                        rule: "name-missing-trailing-dot", severity: .error, name: owner, type: "CNAME",
                        message: "the CNAME target \(target) is \(written) written without its final dot, so the origin was appended",
                        observed: target, location: cname.location, fix: "write the target as `\(written)` (with the final dot)"))
                }
            }
            if let cname = records.first(where: { $0.type == "CNAME" }),
               case let others = Set(records.map(\.type)).subtracting(["CNAME", "RRSIG", "NSEC", "NSEC3"]), !others.isEmpty {
                findings.append(Finding(
                    rule: "cname-and-other-data", severity: .error, name: owner, type: "CNAME",
                    message: "\(owner) has a CNAME and also \(others.sorted().joined(separator: ", ")) records; a name with a CNAME can have no other data (RFC 1034 §3.6.2), so servers refuse the zone or answer unpredictably",
                    observed: "CNAME \(cname.rdata.joined(separator: " ")) + \(others.sorted().joined(separator: ", "))",
                    location: cname.location, fix: "keep either the CNAME or the other records at \(owner)"))
            }
            // Data below a DNAME (RFC 6672 §2.4): NSD and Knot refuse to load such a zone, and
            // servers that load it answer from the DNAME's target, never with these records.
            // Only when the zones hold a DNAME or a cut at all: the walk over every kept owner's
            // ancestors was 59 million instructions for a 10,000-domain plan's zone with neither.
            if answers.hasCutsOrDNAMEs, let zone = answers.zone(of: owner),
               let above = answers.cutsAndDNAMEs(atOrAbove: owner, in: zone).first(where: { ancestor in
                   ancestor != owner && (collector.kept[ancestor]?.contains { $0.type == "DNAME" } ?? false)
               }),
               let dname = collector.kept[above]?.first(where: { $0.type == "DNAME" }), let first = records.first {
                let target = dname.rdata.first ?? "?"
                findings.append(Finding(
                    rule: "name-below-dname", severity: .error, name: owner, type: first.type,
                    message: "\(owner) lies below the DNAME \(above) → \(target)\(dname.location.map { " at \($0)" } ?? ""): NSD and Knot refuse to load a zone with data below a DNAME, and servers that load it answer from \(target) instead (RFC 6672 §2.4)",
                    observed: first.presentation, location: first.location,
                    fix: "move the records at \(owner) to \(owner.dnameSubstituted(below: above, by: target)) (below the DNAME's target), or remove the DNAME \(above)"))
            }
            // The same record twice in one file's zone. A delegation's NS set in the parent's
            // file and again at the child's apex is two zones' data (RFC 1034 §4.2.1,
            // RFC 2181 §6.1), not a duplicate.
            let files = collector.keptFrom[owner]?.map(\.file) ?? []
            var first: [String: DNSRecord] = [:]
            for (k, r) in records.enumerated() where records.count > 1 {
                let key = "\(k < files.count ? files[k] : 0) \(r.type) \(r.rdata.joined(separator: " ").lowercased())"
                if let earlier = first[key] {
                    findings.append(Finding(
                        rule: "duplicate-record", severity: .warning, name: owner, type: r.type,
                        message: "the same record is written twice (first at \(earlier.location?.description ?? "?")); servers keep one",
                        observed: r.presentation, location: r.location, fix: "remove one of the two"))
                } else {
                    first[key] = r
                }
            }
        }
        // Sorted by owner, and in file order at one owner (the sort is stable).
        return findings.enumerated().sorted { ($0.element.name, $0.offset) < ($1.element.name, $1.offset) }.map(\.element)
    }
}

