import ArgumentParser
import FedplanCore
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter fedplan.yaml.",
        discussion: """
        Examples:
          fedplan init
          fedplan init --domain contoso.com
          fedplan init --domain contoso.com -o edge/fedplan.yaml --force
          fedplan init -o - | less

        `-o -` writes the starter file to standard output. Every key the description can \
        hold, with its type, allowed values, default and an example: docs/description.md \
        (the .deb installs it as /usr/share/doc/fedplan/docs/description.md, and the examples in \
        /usr/share/doc/fedplan/examples/).
        """
    )

    @Option(help: "The main SIP domain; the Access Edge is named sip.<domain>.")
    var domain: String = "contoso.com"

    @Option(name: [.short, .customLong("output")], help: "Where to write the description; - for standard output.", completion: .file())
    var output: String = "fedplan.yaml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        guard case .success(let name) = DomainName.parse(domain) else {
            if case .failure(let problem) = DomainName.parse(domain) {
                Console.error("fedplan init: --domain '\(Escape.text(domain))' is not a valid domain name: \(problem.message)")
            }
            throw ExitCode(ExitStatus.badInput)
        }
        if output == "-" {
            // `-` is standard output, as for every other fedplan output: never a file named `-`.
            Console.out(StarterDescription.text(domain: name))
            return
        }
        do {
            // Any existing path (a dangling link too) counts: without --force nothing is replaced.
            var info = stat()
            if lstat(output, &info) == 0 && !force {
                Console.error("fedplan init: \(Escape.text(output)) already exists; it was left unchanged (use --force to overwrite)")
                throw ExitCode(ExitStatus.badInput)
            }
            _ = try OutputFiles.write([(output, StarterDescription.text(domain: name))], force: force)
        } catch let error as OutputFiles.Failure {
            Console.error("fedplan init: \(error)")
            throw ExitCode(ExitStatus.badInput)
        }
        Console.error("wrote \(Escape.text(output)); edit it, then run `fedplan validate \(output)`")
    }
}
