import ArgumentParser
import FedplanCore
import Foundation

/// `fedplan dns diff OLD NEW`: the records added, changed and removed between two descriptions,
/// in the order that keeps federation working through the change.
struct DiffCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, nsupdate, zone, octodns
    }

    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "The records added, changed and removed between two descriptions, in a safe order.",
        discussion: """
        The cut-over has four steps: 1. lower to 300 seconds the TTL of every RRset whose data \
        will change or that will go, then wait out the old TTL; 2. add; 3. change; 4. remove. \
        Addresses are added before what points at them and removed after it; a CNAME that \
        replaces other records (a Teams Only move) takes them away in its own update.

        --format nsupdate writes one atomic update per step and zone; zone writes the records \
        after the change with what to remove as comments; octodns needs -o DIR and writes \
        DIR/1-lower-ttl/<zone>.yaml and DIR/2-cut-over/<zone>.yaml, two octoDNS configurations \
        to sync one after the other.

        Examples:
          fedplan dns diff fedplan.yaml fedplan-teams.yaml
          fedplan dns diff old.yaml new.yaml --format nsupdate > cutover.nsupdate
          fedplan dns diff old.yaml new.yaml --format octodns -o stages/
        """
    )

    @Argument(help: "The description in force now.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var old: String

    @Argument(help: "The description after the change.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var new: String

    @Option(help: "Output format: text, json, nsupdate, zone or octodns.")
    var format: Format = .text

    @Option(name: [.short, .customLong("output")], help: "octodns: the folder for the two stages.", completion: .directory)
    var output: String?

    @Flag(help: "Replace existing files whose content changes (octodns).")
    var force = false

    func validate() throws {
        if format == .octodns, output == nil { throw ValidationError("--format octodns needs -o DIR (it writes two folders of zone files)") }
        if format != .octodns, output != nil { throw ValidationError("-o is for --format octodns; the other formats go to standard output") }
    }

    func run() throws {
        try withExitCode {
            var before = DescriptionOptions()
            before.file = old
            var after = DescriptionOptions()
            after.file = new
            let (oldDeployment, oldPlan) = try before.load(json: format == .json)
            let (newDeployment, newPlan) = try after.load(json: format == .json)
            let diff = PlanDiff.between(oldPlan, newPlan)
            // The rules of the description the change leads to: an error there is one the
            // cut-over would publish.
            let findings = RuleCatalog.check(newDeployment, plan: newPlan)
            if !findings.isEmpty { Console.error(FindingRenderer.text(findings, color: Console.useColor(.auto, fd: STDERR_FILENO))) }
            switch format {
            case .text: Console.out(DiffRenderer.text(diff, old: old, new: new))
            case .json: Console.out(DiffRenderer.json(diff, old: old, new: new))
            case .nsupdate: Console.out(DiffRenderer.nsupdate(diff, old: old, new: new))
            case .zone: Console.out(DiffRenderer.zoneText(diff, old: old, new: new))
            case .octodns: try writeStages(diff, old: (oldDeployment, oldPlan), new: (newDeployment, newPlan))
            }
            return ExitStatus.code(for: findings, strict: false)
        }
    }

    /// One octoDNS zone file; a failed serialisation ends the command before anything is written.
    private func octoDNS(_ zone: ZonePlan, deployment: Deployment) throws -> String {
        do {
            return try ExportRenderer.octoDNS(zone, deployment: deployment)
        } catch {
            Console.error("fedplan dns diff: internal error: \(error); nothing was written")
            throw Exit(code: ExitStatus.badInput)
        }
    }

    /// octoDNS is declarative: stage 1 is the old zones with the TTLs lowered, stage 2 the new
    /// zones; syncing one, waiting, then the other is the cut-over.
    private func writeStages(_ diff: PlanDiff, old: (Deployment, Plan), new: (Deployment, Plan)) throws {
        let folder = output!.hasSuffix("/") ? output! : output! + "/"
        // Every zone of either plan, in both stages: octoDNS reads each zone its configuration
        // lists, and a stage without one would stop the sync.
        var zones: [DomainName] = []
        for z in old.1.zones.map(\.zone) + new.1.zones.map(\.zone) where !zones.contains(z) { zones.append(z) }
        let lowered = Set(diff.changes.filter { $0.action == .lowerTTL }.map { "\($0.current.name) \($0.current.type.rawValue)" })
        var files: [(path: String, text: String)] = []
        for zone in zones {
            let before = old.1.zone(zone) ?? ZonePlan(zone: zone, records: [])
            let records = before.records.map { r in
                lowered.contains("\(r.name) \(r.type.rawValue)")
                    ? PlannedRecord(name: r.name, ttl: PlanDiff.loweredTTL, data: r.data, zone: r.zone, why: r.why,
                                    server: r.server, source: r.source, origin: r.origin)
                    : r
            }
            files.append((folder + "1-lower-ttl/" + ExportFormat.octodns.fileName(for: zone),
                          try octoDNS(ZonePlan(zone: zone, records: records), deployment: old.0)))
            let after = new.1.zone(zone) ?? ZonePlan(zone: zone, records: [])
            files.append((folder + "2-cut-over/" + ExportFormat.octodns.fileName(for: zone),
                          try octoDNS(after, deployment: new.0)))
        }
        for stage in ["1-lower-ttl", "2-cut-over"] {
            try? FileManager.default.createDirectory(atPath: folder + stage, withIntermediateDirectories: true)
        }
        do {
            for (file, outcome) in zip(files, try OutputFiles.write(files, force: force)) {
                Console.error("\(outcome == .wrote ? "wrote" : "unchanged") \(Escape.text(file.path))")
            }
            // A zone file left from another cut-over would be synced with this one.
            let written = Set(files.map(\.path))
            for stage in ["1-lower-ttl/", "2-cut-over/"] {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + stage)) ?? []
                for name in names.sorted() where name.hasSuffix(".yaml") && !written.contains(folder + stage + name) {
                    Console.error("warning: \(Escape.text(folder + stage + name)) is not part of this cut-over; remove it before syncing")
                }
            }
        } catch {
            Console.error("fedplan dns diff: \(error)")
            throw Exit(code: ExitStatus.badInput)
        }
    }
}
