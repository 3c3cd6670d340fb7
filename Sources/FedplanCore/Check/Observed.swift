/// Reading what a server said: the helpers the checker needs on top of `DNSAnswer`.
struct Observed {
    let answer: DNSAnswer
    let name: String

    /// The name's records of `type`, after following CNAMEs inside the answer (at most 8).
    func records(_ type: String) -> [DNSRecord] {
        let final = canonicalName
        return answer.records.filter { $0.type == type && $0.owner.lowercased() == final }
    }

    /// The CNAME chain from the name, in order (empty when the name is not an alias).
    var aliases: [String] {
        var chain: [String] = []
        var current = name
        for _ in 0..<8 {
            guard let cname = answer.records.first(where: { $0.type == "CNAME" && $0.owner.lowercased() == current }),
                  let target = cname.rdata.first?.lowercased() else { break }
            chain.append(target)
            current = target
        }
        return chain
    }

    var canonicalName: String { aliases.last ?? name }

    /// `NXDOMAIN: the name does not exist` or `NODATA: …` when nothing of `type` is there.
    func absence(_ type: String) -> (short: String, long: String) {
        answer.rcode == "NXDOMAIN"
            ? ("NXDOMAIN", "the name does not exist (NXDOMAIN)")
            : ("NODATA", "the name exists but has no \(type) record (NODATA)")
    }
}

/// An SRV record's data, parsed from its presentation fields.
struct ObservedSRV: Hashable {
    let priority: Int, weight: Int, port: Int
    let target: String
    let ttl: UInt32
    let location: SourceLocation?

    init?(_ record: DNSRecord) {
        guard record.rdata.count == 4, let p = Int(record.rdata[0]), let w = Int(record.rdata[1]),
              let port = Int(record.rdata[2]) else { return nil }
        priority = p
        weight = w
        self.port = port
        target = record.rdata[3].lowercased()
        ttl = record.ttl
        location = record.location
    }

    var text: String { "\(priority) \(weight) \(port) \(target)" }
}
