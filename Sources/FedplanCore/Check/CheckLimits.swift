/// How much of what servers (or zone files) send fedplan follows and keeps. A broken or hostile
/// server can return a thousand SRV records per name, or a thousand name servers; without
/// bounds a check grows without end in memory, queries and output (docs/security.md).
public enum CheckLimits {
    /// SRV targets per SRV name whose addresses are asked for and checked. More than this many
    /// targets is itself a finding (`srv-too-many-targets`).
    public static let targetsPerName = 16

    /// Follow-up questions (A and AAAA of SRV targets) per server in all: the planned targets
    /// always, other targets until this many.
    public static func followUps(plannedQuestions: Int) -> Int { max(1_024, 2 * plannedQuestions) }

    /// Findings kept per rule and name; the rest are counted (`omitted` in the report, in the
    /// summary's counts too) and not listed.
    public static let findingsPerName = 16

    /// `--authoritative`: name servers asked per zone, and addresses asked per name server.
    public static let nameServersPerZone = 16
    public static let addressesPerNameServer = 4

    /// `cert check`: distinct addresses tried per host.
    public static let addressesPerHost = 8
}
