import ArgumentParser
import FedplanCore
import Foundation

enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a description: syntax, types, names, addresses and the rules that need no DNS.",
        discussion: """
        Examples:
          fedplan validate
          fedplan validate edge.yaml --strict
          fedplan validate --format json | jq .findings
          fedplan init -o - | fedplan validate -

        Every key of the description, with its type, allowed values, default and an example: \
        docs/description.md (the .deb installs it as /usr/share/doc/fedplan/docs/description.md, and the examples in \
        /usr/share/doc/fedplan/examples/).
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @OptionGroup var report: ReportOptions

    @Flag(help: "Print nothing but errors.")
    var quiet = false

    func run() throws {
        try withExitCode {
            let (deployment, plan) = try input.load(json: format == .json)
            let findings = RuleCatalog.check(deployment, plan: plan)
            switch format {
            case .json:
                Console.out(JSONDocuments.encode(JSONDocuments.planDocument(
                    file: input.file, deployment: deployment, plan: plan, findings: findings)))
            case .text:
                let shown = quiet ? findings.filter { $0.severity == .error } : findings
                Console.out(report.render(shown, to: STDOUT_FILENO))
                if !quiet {
                    Console.out("\(input.file): \(count(deployment.sipDomains.count, "SIP domain")), \(count(deployment.edge.servers.count, "Edge server")), \(count(plan.records.count, "record")) in \(count(plan.zones.count, "zone")); \(FindingRenderer.counts(findings))\n")
                }
            }
            return report.exitCode(findings)
        }
    }
}

/// `1 zone`, `3 zones`.
func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
