import ArgumentParser
import FedplanCore
import Foundation

/// The positional description argument every command shares, and loading it.
struct DescriptionOptions: ParsableArguments {
    @Argument(help: "The deployment description (YAML or JSON).", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String = "fedplan.yaml"

    /// The description and its plan; input problems are printed and end the command with exit 2.
    func load(json: Bool = false) throws -> (Deployment, Plan) {
        let data: Data
        switch Self.read(file) {
        case .success(let bytes): data = bytes
        case .failure(let problem): throw report([problem], json: json)
        }
        let deployment: Deployment
        switch DescriptionLoader.load(data: data, file: file) {
        case .success(let d): deployment = d
        case .failure(let list): throw report(list.diagnostics, json: json)
        }
        do {
            return (deployment, try Planner.plan(deployment))
        } catch {
            throw report(error.diagnostics, json: json)
        }
    }

    /// The file's bytes: a regular file of at most `DescriptionLoader.maximumSize` (a FIFO or
    /// /dev/zero would otherwise be read forever).
    static func read(_ file: String) -> Result<Data, Diagnostic> {
        if file == "-" { return readStandardInput() }
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let why = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            let hint = errno == ENOENT && file == "fedplan.yaml" ? " (run `fedplan init` to create one)" : ""
            return .failure(Diagnostic("\(why)\(hint)", at: SourceLocation(file: file)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure(Diagnostic("not a regular file (a directory, device or pipe)", at: SourceLocation(file: file)))
        }
        guard Int(info.st_size) <= DescriptionLoader.maximumSize else {
            return .failure(DescriptionLoader.tooLarge(Int(info.st_size), file: file))
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
        do {
            // `readToEnd()` is nil for an empty file: that is an empty description (the loader
            // says so and suggests `fedplan init`), not a read error.
            return .success(try handle.readToEnd() ?? Data())
        } catch {
            return .failure(Diagnostic("cannot read it (\(String(cString: strerror(errno))))", at: SourceLocation(file: file)))
        }
    }

    /// `-`: the description from standard input (`kubectl ... | fedplan validate -`), up to the
    /// same size limit as a file, read in pieces so that an endless stream is cut off there.
    static func readStandardInput() -> Result<Data, Diagnostic> {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count <= DescriptionLoader.maximumSize {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 {
                return .failure(Diagnostic("cannot read standard input (\(String(cString: strerror(errno))))", at: SourceLocation(file: "-")))
            }
            if n == 0 { return .success(data) }
            data.append(contentsOf: buffer[..<n])
        }
        return .failure(DescriptionLoader.tooLarge(data.count, file: "-"))
    }

    /// The certificate's XMPP name rule (`--server-version`, else `product:`); a contradiction is
    /// an input problem, exit 2.
    func certificateVersion(_ deployment: Deployment, given: ServerVersion?, json: Bool) throws -> ServerVersion {
        do {
            return try CertificatePlanner.version(deployment, given: given)
        } catch {
            throw report(error.diagnostics, json: json)
        }
    }

    private func report(_ diagnostics: [Diagnostic], json: Bool) -> Exit {
        if json {
            Console.out(JSONDocuments.encode(JSONDocuments.planDocument(
                file: file, deployment: nil, plan: nil, findings: [], errors: diagnostics)))
        } else {
            Console.error(diagnostics.map(\.description).joined(separator: "\n"))
            let n = diagnostics.count
            Console.error("\(file): \(n) error\(n == 1 ? "" : "s"); nothing was planned")
        }
        return Exit(code: ExitStatus.badInput)
    }
}

/// How findings are judged and shown, shared by the commands that report them.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Fail (exit 1) on warnings too.")
    var strict = false

    @Option(help: "Colour: auto (on a terminal, unless NO_COLOR is set or TERM is dumb), always or never.")
    var color: ColorChoice = .auto

    @Flag(help: "The same as --color never.")
    var noColor = false

    var colorChoice: ColorChoice { noColor ? .never : color }

    /// Findings as text for `fd` (colour only when that stream is a terminal), and the exit code.
    func render(_ findings: [Finding], to fd: Int32) -> String {
        FindingRenderer.text(findings, color: Console.useColor(colorChoice, fd: fd))
    }

    func exitCode(_ findings: [Finding]) -> Int32 { ExitStatus.code(for: findings, strict: strict) }
}

/// Runs a command body and turns `Exit` into the process exit code.
func withExitCode(_ body: () throws -> Int32) throws {
    do {
        let code = try body()
        if code != 0 { throw ExitCode(code) }
    } catch let exit as Exit {
        throw ExitCode(exit.code)
    }
}

/// The `--resolver`s given, else the system's (`/etc/resolv.conf`); none at all is exit 2.
func resolversOrSystem(_ given: [ServerAddress], command: String) throws -> [ServerAddress] {
    if !given.isEmpty { return given }
    let text = (try? String(contentsOfFile: "/etc/resolv.conf", encoding: .utf8)) ?? ""
    let found = ServerAddress.fromResolvConf(text)
    guard !found.isEmpty else {
        Console.error("fedplan \(command): no nameserver in /etc/resolv.conf; name one with --resolver")
        throw Exit(code: ExitStatus.badInput)
    }
    return found
}
