/// An SRV target such as `xmpp.tailspintoys.com.wingtiptoys.com.` in the wingtiptoys.com zone
/// is almost always `xmpp.tailspintoys.com.` written without its final dot: the zone file's
/// origin was appended to what the server read as a relative name (RFC 1035 §5.1).
enum RelativeTarget {
    /// The absolute name the target probably meant, or nil when it does not look like one.
    /// `planned` are the plan's targets for the record; `zone` is the record's zone, both in
    /// presentation form with the final dot.
    static func meant(_ target: String, planned: [String], zone: String) -> String? {
        let target = target.dnsLowercased, zone = zone.dnsLowercased
        guard zone != ".", target.count > zone.count + 1, target.hasSuffix("." + zone) else { return nil }
        let relative = String(target.dropLast(zone.count + 1))  // `xmpp.tailspintoys.com`
        if let plannedTarget = planned.first(where: { $0.dnsLowercased == relative + "." }) { return plannedTarget }
        // Not the planned target, but a name of its own: at least two labels, ending in the
        // zone's top-level label (`….com` inside a `.com` zone).
        let labels = relative.split(separator: ".")
        guard labels.count >= 2, let last = labels.last,
              let zoneTop = zone.split(separator: ".").last, last == zoneTop else { return nil }
        return relative + "."
    }
}
