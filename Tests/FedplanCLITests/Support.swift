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

/// A free TCP/UDP port on 127.0.0.1: bind to port 0 and read back what the kernel chose.
func freePort() -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(fd, $0, length)
            _ = getsockname(fd, $0, &length)
        }
    }
    return UInt16(bigEndian: address.sin_port)
}
