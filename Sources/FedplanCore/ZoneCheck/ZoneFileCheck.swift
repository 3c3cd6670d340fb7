/// `dns check --zone-file`: the live checks run on what the zone files hold (answers built from
/// the collected records, as an authoritative server would give them), plus the mistakes only
/// files make: names written without their final dot, records at misspelt names, a CNAME beside
/// other data, and duplicate records. Every finding points at the file line it is about.
public enum ZoneFileCheck {
    public static func report(plan: Plan, description: String, files: [String], collector: ZoneCollector) -> CheckReport {
        let answers = ZoneAnswers(collector: collector)
        var outcomes: [Question: QueryOutcome] = [:]
        let questions = RecordChecker.questions(for: plan)
        outcomes.reserveCapacity(questions.count)
        for question in questions { outcomes[question] = answers.outcome(question) }
        let followUps = RecordChecker.followUps(for: plan, outcomes: outcomes)
        outcomes.reserveCapacity(questions.count + followUps.count)
        for question in followUps { outcomes[question] = answers.outcome(question) }
        let source = files.joined(separator: ", ")
        let check = RecordChecker.check(plan: plan, server: source, outcomes: outcomes, fromZoneFiles: true)
        var report = CheckReport.combine(description: description, plan: plan, checks: [check], outcomes: [(source, outcomes)])

        var fileFindings = suspectFindings(collector, plan: plan, checked: report.findings)
        fileFindings += dataFindings(collector, answers: answers, plan: plan)
        // A file finding says what is wrong at its line better than what follows from it there
        // (a target written without its final dot also has no address), and a misplaced record
        // explains the planned record that is missing.
        let explained = Set((fileFindings + report.findings.filter { $0.rule == "name-missing-trailing-dot" }).compactMap(\.location))
        let replaced = Set(fileFindings.compactMap { f -> String? in f.expected.map { "\($0) \(f.type ?? "")" } })
        report.findings.removeAll { f in
            (f.rule != "name-missing-trailing-dot" && f.location.map(explained.contains) ?? false
                && f.location?.file != description)
                || (f.rule == "record-missing" && replaced.contains("\(f.name) \(f.type ?? "")"))
        }
        for f in fileFindings {
            for i in report.records.indices where report.records[i].record.name.description == f.name {
                report.records[i].status = min(report.records[i].status, RecordStatus(f.severity))
            }
        }
        return CheckReport.merge([report], extraFindings: fileFindings, description: description)
    }

    /// Records at misspelt or origin-appended names. A misspelling is reported when the planned
    /// record it stands for is missing; an appended origin always is (it is never meant).
    static func suspectFindings(_ collector: ZoneCollector, plan: Plan, checked: [Finding]) -> [Finding] {
        let missing = Set(checked.filter { $0.rule == "record-missing" }.map { "\($0.name) \($0.type ?? "")" })
        return collector.suspects.compactMap { suspect in
            let r = suspect.record
            let owner = r.owner.dnsLowercased
            switch suspect.suspicion {
            case .missingTrailingDot(let intended):
                let stands = missing.contains("\(intended) \(r.type)")
                return Finding(rule: "name-missing-trailing-dot", severity: .error, name: owner, type: r.type,
                               message: "\(owner) is \(intended) written without its final dot, so the origin was appended",
                               expected: stands ? intended : nil, observed: owner, location: r.location,
                               fix: "write the owner as `\(intended)` (with the final dot)")
            case .nearMiss(let intended):
                guard missing.contains("\(intended) \(r.type)") else { return nil }
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
        let planned = Set(plan.records.map { $0.name.description })
        var findings: [Finding] = []
        for owner in collector.kept.keys.sorted() {
            let records = collector.kept[owner]!
            for cname in records where cname.type == "CNAME" {
                guard let target = cname.rdata.first?.dnsLowercased, let zone = answers.zone(of: owner),
                      target.hasSuffix("." + zone) else { continue }
                let written = String(target.dropLast(zone.count))
                if planned.contains(written) || written.hasSuffix("." + zone) {
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
            var first: [String: DNSRecord] = [:]
            for r in records where records.count > 1 {
                let key = "\(r.type) \(r.rdata.joined(separator: " ").lowercased())"
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
        return findings
    }
}

