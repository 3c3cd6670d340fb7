import ArgumentParser
import FedplanCore
import Foundation

@main
struct Fedplan: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "fedplan",
        abstract: "Plan, export and verify the public DNS records of SIP and XMPP federation.",
        discussion: """
        fedplan reads one deployment description (fedplan.yaml) of a Lync Server 2013 / Skype for \
        Business Edge and works out every DNS record federation needs, with the reason for each.

        Exit codes: 0 all good, 1 error findings (or warnings with --strict), 2 bad usage or \
        invalid input, 3 some records or certificates could not be verified. Ctrl-C ends a \
        command as interrupted (a live check prints what it verified first).
        """,
        version: version,
        subcommands: [InitCommand.self, ValidateCommand.self, DNSCommand.self, CertCommand.self, PortsCommand.self, RulesCommand.self]
    )

    /// Spec §5 wants exit code 2 for bad usage; ArgumentParser uses 64, so map it here.
    static func main() {
        // A closed pipe (`fedplan dns plan | head -1`) ends output quietly instead of killing us.
        signal(SIGPIPE, SIG_IGN)
        Interrupt.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Fedplan.exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.error(message) }
            if code == .validationFailure || error is ValidationError { Foundation.exit(ExitStatus.badInput) }
            Foundation.exit(code.rawValue)
        }
    }
}

struct DNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Plan, export and check the federation DNS records.",
        subcommands: [PlanCommand.self, ExportCommand.self, CheckCommand.self]
    )
}
