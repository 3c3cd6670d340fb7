import ArgumentParser
import FedplanCore
import FedplanDNS
import Foundation

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the planned records as zone snippets, an nsupdate script, JSON or octoDNS YAML.",
        discussion: """
        Without -o (or with -o -) the export goes to standard output. -o DIR (an existing folder, or a path \
        ending in /) writes one file per zone: <zone>.zone, <zone>.nsupdate, <zone>.json or \
        <zone>.yaml (octoDNS). Only regular files are ever replaced, atomically, and only with \
        --force when their content changes (they keep their mode and owner); all files are \
        written or none: a failed or interrupted run leaves every existing file as it was.

        octoDNS: export into a folder of its own (config/fedplan/), not the folder of your own \
        zone files (config/zones/), and list both as sources of the zone (see the README).

        Examples:
          fedplan dns export
          fedplan dns export --zone contoso.com -o contoso.com.fedplan.zone
          fedplan dns export --format octodns -o config/fedplan/
          fedplan dns export --format nsupdate --zone contoso.com | nsupdate -k key.conf
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "Output format: zone, nsupdate, json or octodns.")
    var format: ExportFormat = .zone

    @Option(help: "Export only this zone.")
    var zone: String?

    @Option(name: [.short, .customLong("output")], help: "A file, or a directory for one file per zone.", completion: .file())
    var output: String?

    @Flag(help: "Replace existing files whose content changes.")
    var force = false

    func run() throws {
        try withExitCode {
            let (deployment, plan) = try input.load()
            let findings = RuleCatalog.check(deployment, plan: plan)
            let zones = try selectZones(plan)
            let files = try outputs(zones, deployment: deployment, plan: plan, findings: findings)
            try verifyZoneText(files)
            try write(files)
            if !findings.isEmpty { Console.error(FindingRenderer.text(findings, color: Console.useColor(.auto, fd: STDERR_FILENO))) }
            return ExitStatus.code(for: findings, strict: false)
        }
    }

    private func selectZones(_ plan: Plan) throws -> [ZonePlan] {
        switch plan.selecting(zones: zone.map { [$0] } ?? []) {
        case .success(let selected): return selected.zones
        case .failure(let unknown):
            Console.error("fedplan dns export: \(unknown.message)")
            throw Exit(code: ExitStatus.badInput)
        }
    }

    /// What to write: (path, text) pairs, path nil for standard output.
    private func outputs(_ zones: [ZonePlan], deployment: Deployment, plan: Plan,
                         findings: [Finding]) throws -> [(path: String?, text: String)] {
        let perZone: [String]
        do {
            perZone = try zones.map { zone throws(ExportRenderer.Failure) in try ExportRenderer.render(format, zone: zone, deployment: deployment) }
        } catch {
            Console.error("fedplan dns export: internal error: \(error)")
            throw Exit(code: ExitStatus.badInput)
        }
        let whole = format == .json
            ? JSONDocuments.encode(JSONDocuments.planDocument(file: input.file, deployment: deployment, plan: plan,
                                                              zones: zones, findings: findings))
            : perZone.joined(separator: "\n")
        guard let output, output != "-" else { return [(nil, whole)] }  // `-o -`: standard output
        var isDirectory: ObjCBool = false
        if output.hasSuffix("/") || (FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue) {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            } catch {
                Console.error("fedplan dns export: cannot create the folder \(output): \(error.localizedDescription)")
                throw Exit(code: ExitStatus.badInput)
            }
            return zip(zones, perZone).map { (URL(fileURLWithPath: output).appendingPathComponent(format.fileName(for: $0.zone)).path, $1) }
        }
        if zones.count > 1 && (format == .zone || format == .octodns) {
            Console.error("fedplan dns export: the plan has \(zones.count) zones (\(zones.map(\.zone.text).joined(separator: ", "))) and -o names one file; add --zone, or give a folder (-o zones/) for one file per zone")
            throw Exit(code: ExitStatus.badInput)
        }
        return [(output, whole)]
    }

    /// Reads our own zone text back through ldns before anything is written: a snippet that
    /// ldns cannot load is a bug, and must not reach a DNS server.
    private func verifyZoneText(_ files: [(path: String?, text: String)]) throws {
        guard format == .zone else { return }
        for file in files {
            if case .failure(let problems) = ZoneText.parse(file.text, name: file.path ?? "<stdout>") {
                Console.error("fedplan dns export: internal error, the generated zone text does not parse:\n\(problems)")
                throw Exit(code: ExitStatus.badInput)
            }
        }
    }

    /// Writes every file or none (see `OutputFiles`); standard output when there is no path.
    private func write(_ files: [(path: String?, text: String)]) throws {
        if files.count == 1, files[0].path == nil {
            Console.out(files[0].text)
            return
        }
        let targets = files.compactMap { f in f.path.map { (path: $0, text: f.text) } }
        do {
            for (target, outcome) in zip(targets, try OutputFiles.write(targets, force: force)) {
                Console.error("\(outcome == .wrote ? "wrote" : "unchanged") \(Escape.text(target.path))")
            }
        } catch {
            Console.error("fedplan dns export: \(error)")
            throw Exit(code: ExitStatus.badInput)
        }
    }
}
