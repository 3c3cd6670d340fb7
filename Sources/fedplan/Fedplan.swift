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
        version: """
            \(version)
            Licence: GPL-3.0-or-later (fedplan links Knot DNS's zone scanner, which is GPL-3.0-or-later).
            This is free software: you are free to change and redistribute it. There is NO WARRANTY,
            to the extent permitted by law.
            """,
        subcommands: [InitCommand.self, ValidateCommand.self, DNSCommand.self, CertCommand.self, PortsCommand.self, RulesCommand.self]
    )

    /// The exit-code contract wants 2 for bad usage; ArgumentParser uses 64, so map it here.
    static func main() {
        // A closed pipe (`fedplan dns plan | head -1`) ends output quietly instead of killing us.
        signal(SIGPIPE, SIG_IGN)
        Interrupt.install()
        refuseUnknownSubcommand(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            refuseMissingSubcommand(type(of: command))
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

extension Fedplan {
    /// `fedplan` or `fedplan dns` alone does nothing: the help on standard error and exit 2, as
    /// for any other incomplete command line (argparse and dig-like tools do the same), so a
    /// script that lost its arguments fails instead of passing. `--help` is still exit 0.
    static func refuseMissingSubcommand(_ command: any ParsableCommand.Type) {
        let names = command.configuration.subcommands.map { $0._commandName }
        guard !names.isEmpty else { return }
        let path = command == Fedplan.self ? "fedplan" : "fedplan \(command._commandName)"
        Console.error(Fedplan.helpMessage(for: command))
        Console.error("\(path): name a command (\(names.joined(separator: ", "))); `\(path) --help` describes them")
        Foundation.exit(ExitStatus.badInput)
    }

    /// `fedplan dns chek` would otherwise be "2 unexpected arguments": name the word that is not
    /// a command, and the command it probably is.
    static func refuseUnknownSubcommand(_ arguments: [String]) {
        var level: [any ParsableCommand.Type] = configuration.subcommands
        for word in arguments.prefix(2) {
            if word.hasPrefix("-") || word == "help" || level.isEmpty { return }
            let names = level.map { $0._commandName }
            guard let found = level.first(where: { $0._commandName == word }) else {
                let hint = Suggestion.closest(to: word, in: names).map { "; did you mean '\($0)'?" } ?? ""
                Console.error("fedplan: '\(Escape.text(word))' is not a command\(hint) (commands here: \(names.joined(separator: ", ")))")
                Foundation.exit(ExitStatus.badInput)
            }
            level = found.configuration.subcommands
        }
    }
}

struct DNSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dns",
        abstract: "Plan, export and check the federation DNS records.",
        subcommands: [PlanCommand.self, ExportCommand.self, CheckCommand.self, DiffCommand.self]
    )
}
