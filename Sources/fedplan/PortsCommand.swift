import ArgumentParser
import FedplanCore
import Foundation

struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "Plan the Edge's firewall rules.",
        subcommands: [PortsPlanCommand.self]
    )
}

struct PortsPlanCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, csv }

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The firewall rules of the Edge's external and internal interfaces, each with its reason.",
        discussion: """
        Only the scenarios the description enables: SIP federation (5061), remote access (443), \
        web conferencing, A/V media relay (3478, 443, 50000-59999), XMPP (5269, and 23456 inside), \
        DNS for partner lookups, and the internal interface (5061, 4443, 5062).

        Examples:
          fedplan ports plan
          fedplan ports plan --format csv > edge-firewall.csv
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "Output format: table, json, markdown or csv.")
    var format: Format = .table

    func run() throws {
        try withExitCode {
            let (deployment, _) = try input.load(json: format == .json)
            let rules = PortPlanner.plan(deployment)
            switch format {
            case .table: Console.out(PortRenderer.table(rules))
            case .markdown: Console.out(PortRenderer.markdown(rules))
            case .json: Console.out(PortRenderer.json(rules, file: input.file))
            case .csv: Console.out(PortRenderer.csv(rules))
            }
            return 0
        }
    }
}
