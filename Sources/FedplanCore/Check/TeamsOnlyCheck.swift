/// A teams-only domain's records are Microsoft 365's published values, and nothing else: Microsoft
/// refuses the Teams Only move while any of them points elsewhere ("Update DNS entries to enable
/// your organization to be all Teams Only"). One RRset, one record: the value is Microsoft's.
extension Run {
    mutating func checkTeamsOnly(_ question: Question, _ indices: [Int]) {
        let name = question.name, type = question.type
        guard let seen = answer(question, records: indices) else { return }
        let i = indices[0]
        let planned = allRecords[i]
        // A CNAME question is answered with the alias itself; other types after following it.
        let published = type == "CNAME"
            ? seen.answer.records.filter { $0.code == .cname && $0.owner.dnsLowercased == name }
            : seen.records(type)
        let refused = "the Teams Only move is refused until it points at Microsoft 365"
        if published.isEmpty {
            let absent = seen.absence(type)
            observed[i] = absent.short
            if type == "CNAME", absent.short == "NODATA" {
                // The name exists with other data: the on-premises sip.<domain> A records,
                // which the follow-up questions read (RecordChecker.followUps).
                let held = [("A", RRType.a), ("AAAA", .aaaa)].flatMap { t, code -> [DNSRecord] in
                    guard case .answer(let a)? = outcomes[Question(name, t)] else { return [] }
                    return a.records.filter { $0.code == code && $0.owner.dnsLowercased == name }
                }
                let shown = held.isEmpty ? "other records" : held.map { "\($0.type) \($0.rdata.joined(separator: " "))" }.joined(separator: ", ")
                observed[i] = held.isEmpty ? absent.short : shown
                report("teams-only-not-ready", .error, name: name, type: type,
                       "\(name) still holds \(shown) instead of the CNAME to \(planned.data); \(refused)",
                       expected: planned.data.description, observed: held.isEmpty ? absent.short : shown,
                       fix: "replace the records at \(name) with `\(line(i))`", at: held.first?.location ?? seen.answer.zoneLocation,
                       records: [i])
            } else {
                report("record-missing", .error, name: name, type: type, "no \(type) record: \(absent.long)",
                       expected: planned.data.description, observed: absent.short, fix: "add `\(line(i))`",
                       at: seen.answer.zoneLocation, records: [i])
            }
            return
        }
        let matches = published.map { teamsValue($0, is: planned.data) }
        let others = zip(published, matches).filter { !$0.1 }.map(\.0)
        observed[i] = published.map { $0.rdata.joined(separator: " ") }.joined(separator: ", ")
        if others.isEmpty {
            observed[i] = planned.data.description
        } else if fromZoneFiles, let dotted = others.first(where: { missingDot($0, planned.data) }) {
            // `sipdir.online.lync.com` written without its final dot in the zone file.
            report("name-missing-trailing-dot", .error, name: name, type: type,
                   "\(dotted.rdata.joined(separator: " ")) is Microsoft 365's \(planned.data) written without its final dot, so the origin was appended",
                   expected: planned.data.description, observed: dotted.rdata.joined(separator: " "),
                   fix: "write the target with its final dot: `\(line(i))`", at: dotted.location, records: [i])
        } else {
            let elsewhere = others.map { $0.rdata.joined(separator: " ") }.joined(separator: ", ")
            let also = matches.contains(true) ? "also points at \(elsewhere) beside Microsoft 365's \(planned.data)"
                : "points at \(elsewhere), not Microsoft 365's \(planned.data)"
            report("teams-only-not-ready", .error, name: name, type: type, "\(also); \(refused)",
                   expected: planned.data.description, observed: elsewhere,
                   fix: matches.contains(true) ? "remove `\(name) IN \(type) \(others[0].rdata.joined(separator: " "))`"
                       : "replace it with `\(line(i))`",
                   at: others[0].location, wildcard: others[0].wildcard, records: [i])
        }
        checkTTL(name, type, observedTTL: published[0].ttl, authoritative: seen.answer.authoritative,
                 at: published[0].location, records: indices)
    }

    /// Whether a published record's target is the planned one with the zone's origin appended.
    private func missingDot(_ record: DNSRecord, _ planned: RecordData) -> Bool {
        let target: String
        switch planned {
        case .srv(let s): target = s.target.description
        case .cname(let t): target = t.description
        case .address: return false
        }
        let written: String
        switch record.fields {
        case .srv(_, _, _, let t), .name(let t): written = t
        case .address, .tlsa, .other: return false
        }
        return written.count > target.count && written.hasPrefix(target)
    }

    /// Whether a published record carries Microsoft's value: the same SRV target and port (the
    /// priority and weight do not decide where partners go), or the same alias target.
    private func teamsValue(_ record: DNSRecord, is planned: RecordData) -> Bool {
        switch planned {
        case .srv(let s):
            guard let srv = ObservedSRV(record) else { return false }
            return srv.target == s.target.description && srv.port == Int(s.port)
        case .cname(let target):
            return record.target == target.description
        case .address(let ip):
            return record.address == ip
        }
    }
}
