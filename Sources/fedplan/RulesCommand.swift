import ArgumentParser
import FedplanCore

struct RulesCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown }

    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List every finding fedplan can report, with its severity and source.",
        discussion: "Example: fedplan rules --format markdown > docs/rules.md"
    )

    @Option(help: "Output format: text or markdown.")
    var format: Format = .text

    func run() {
        switch format {
        case .text: Console.out(RulesRenderer.text(RuleCatalog.all))
        case .markdown: Console.out(RulesRenderer.markdown(RuleCatalog.all))
        }
    }
}
