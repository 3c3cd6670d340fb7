import Foundation
import Testing

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct Output {
    let code: Int32
    let stdout: String
    let stderr: String
}

/// The `fedplan` binary next to the test bundle (SwiftPM builds it first: the test target
/// depends on it), or FEDPLAN_BIN.
let fedplanBinary: String = {
    if let path = ProcessInfo.processInfo.environment["FEDPLAN_BIN"] { return path }
    let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    var folder = bundle
    for _ in 0..<4 where !FileManager.default.fileExists(atPath: folder.appendingPathComponent("fedplan").path) {
        folder.deleteLastPathComponent()
    }
    return folder.appendingPathComponent("fedplan").path
}()

/// Runs a program to completion and captures its output.
@discardableResult
func run(_ program: String, _ arguments: [String], in directory: URL? = nil, input: String? = nil) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : try which(program))
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    // Read both pipes while the process runs so a large output cannot block it.
    final class Box: @unchecked Sendable { var data = Data() }
    let outBox = Box()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outBox.data = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let outData = outBox.data
    process.waitUntilExit()
    return Output(code: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                  stderr: String(decoding: errData, as: UTF8.self))
}

func fedplan(_ arguments: String..., in directory: URL? = nil) throws -> Output {
    try run(fedplanBinary, arguments, in: directory)
}

/// The full path of a program; system tools live in /usr/sbin too.
func which(_ name: String) throws -> String {
    for folder in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw MissingTool(name: name)
}

struct MissingTool: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) is not installed; run scripts/setup.sh (the README's test command does)" }
}

/// A fresh temporary folder, removed by the caller with `cleanup`.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func example(_ name: String) -> String {
    packageRoot.appendingPathComponent("examples/\(name)/fedplan.yaml").path
}

/// A port on 127.0.0.1 free for both UDP and TCP, not handed out before in this run (`PortPool`).
func freePort() -> UInt16 {
    while true {
        let port = PortPool.next()
        if PortPool.bindable(port, SOCK_DGRAM) && PortPool.bindable(port, SOCK_STREAM) { return port }
    }
}

/// Where `freePort` takes its ports. The command-line tests run several at a time, and each
/// server binds UDP and TCP on one port: a port the kernel handed out for a moment (port 0)
/// could be taken again at once, by another test or as the local port of an outgoing TCP
/// connection, and the server then fails to bind it. So ports come from below Linux's
/// ephemeral range (32768–60999, where outgoing connections take theirs), each handed out
/// once in this process, from a random start so that two test processes rarely meet, and
/// each checked free for both UDP and TCP.
enum PortPool {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var last = UInt16.random(in: 20_000...30_000)

    static func next() -> UInt16 {
        lock.lock()
        defer { lock.unlock() }
        last = last >= 32_700 ? 20_000 : last + 1
        return last
    }

    static func bindable(_ port: UInt16, _ type: __socket_type) -> Bool {
        let fd = socket(AF_INET, Int32(type.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var on: Int32 = 1
        // As the servers bind theirs: a TCP port left in TIME_WAIT by a test before is usable.
        if type == SOCK_STREAM { _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
