import ArgumentParser
import FedplanCore
import Foundation

struct CertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Plan the external Edge certificate.",
        subcommands: [CertPlanCommand.self]
    )
}

extension ServerVersion: ExpressibleByArgument {}

struct CertPlanCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, markdown, openssl }

    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "The external Edge certificate the description needs: subject, every SAN with its reason, EKUs.",
        discussion: """
        The SANs: the Access Edge FQDN, the web conferencing FQDN, sip.<domain> for every SIP \
        domain, the XMPP proxy FQDN, and the XMPP names (Lync Server 2013: each XMPP domain; Skype \
        for Business Server 2015: xmpp.<domain> and *.<domain>). The client EKU is added only \
        for public IM with AOL.

        --format openssl writes an OpenSSL request configuration:
          fedplan cert plan --format openssl > edge.cnf
          openssl req -new -config edge.cnf -newkey rsa:2048 -nodes -keyout edge.key -out edge.csr

        Examples:
          fedplan cert plan
          fedplan cert plan --server-version sfb2015 --format markdown > certificate.md
        """
    )

    @OptionGroup var input: DescriptionOptions

    @Option(help: "The Edge's release, which decides the XMPP names: lync2013 or sfb2015.")
    var serverVersion: ServerVersion = .lync2013

    @Option(help: "Output format: table, json, markdown or openssl.")
    var format: Format = .table

    func run() throws {
        try withExitCode {
            let (deployment, _) = try input.load(json: format == .json)
            let plan = CertificatePlanner.plan(deployment, version: serverVersion)
            switch format {
            case .table: Console.out(CertificateRenderer.table(plan))
            case .markdown: Console.out(CertificateRenderer.markdown(plan))
            case .json: Console.out(CertificateRenderer.json(plan, file: input.file))
            case .openssl: Console.out(CertificateRenderer.openSSLConfig(plan))
            }
            return 0
        }
    }
}
