import ArgumentParser
import FedplanCore
import Foundation

struct PlanCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, mermaid, dot }

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show every DNS record federation needs, grouped by zone, each with its reason.",
        discussion: """
        Findings of the description rules go to standard error (or into the JSON document).

        Examples:
          fedplan dns plan
          fedplan dns plan examples/dns-lb-pool/fedplan.yaml --format markdown > plan.md
          fedplan dns plan --format json | jq '.zones[].records[] | [.name, .type, .data]'
          fedplan dns plan --format dot | dot -Tsvg > topology.svg
          fedplan dns plan --format mermaid   (a picture GitHub renders in Markdown)
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "Output format: table, json, markdown, or a topology picture: mermaid or dot.")
    var format: Format = .table

    @OptionGroup var report: ReportOptions

    func run() throws {
        try withExitCode {
            let (deployment, plan) = try input.load(json: format == .json)
            let findings = RuleCatalog.check(deployment, plan: plan)
            switch format {
            case .table: Console.out(PlanRenderer.table(deployment, plan: plan))
            case .markdown: Console.out(PlanRenderer.markdown(deployment, plan: plan))
            case .mermaid: Console.out(TopologyRenderer.mermaid(deployment, plan: plan))
            case .dot: Console.out(TopologyRenderer.dot(deployment, plan: plan))
            case .json:
                Console.out(JSONDocuments.encode(JSONDocuments.planDocument(
                    file: input.file, deployment: deployment, plan: plan, findings: findings)))
            }
            if format != .json && !findings.isEmpty {
                Console.error(report.render(findings, to: STDERR_FILENO))
            }
            return report.exitCode(findings)
        }
    }
}
