import Foundation
import Glibc
import Testing

/// Exports that cannot clobber: what exists is never taken for absent, only regular files are
/// replaced, a new file has one creator, a replaced file keeps its mode and owner, and a
/// folder export is all or nothing.
@Suite(.ownThread) struct ExportSafetyTests {
    private func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func onlyRegularFilesAreEverReplacedEvenWithForce() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var targets: [(String, mode_t)] = []
        let fifo = folder.appendingPathComponent("fifo.zone").path
        #expect(mkfifo(fifo, 0o644) == 0)
        targets.append((fifo, S_IFIFO))
        let dangling = folder.appendingPathComponent("dangling.zone").path
        #expect(symlink(folder.appendingPathComponent("nowhere").path, dangling) == 0)
        targets.append((dangling, S_IFLNK))
        let real = folder.appendingPathComponent("real.zone")
        try "; the admin's file\n".write(to: real, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link.zone").path
        #expect(symlink(real.path, link) == 0)
        targets.append((link, S_IFLNK))
        if geteuid() == 0 {  // only root can make a device node; as root, -o /dev/full was replaced
            let device = folder.appendingPathComponent("device.zone").path
            let full = dev_t(1 << 8 | 7)  // major 1, minor 7: what /dev/full is
            #expect(mknod(device, S_IFCHR | 0o644, full) == 0)
            targets.append((device, S_IFCHR))
        }
        for (path, type) in targets {
            for force in [false, true] {
                let args = ["dns", "export", example("single-edge"), "-o", path] + (force ? ["--force"] : [])
                let result = try run(fedplanBinary, args)
                #expect(result.code == 2, "\(path) force=\(force): \(result.stderr)")
                #expect(result.stderr.contains("only ever replaces regular files"), "\(result.stderr)")
                #expect(kind(path) == type, "\(path) is still what it was")
            }
        }
        #expect(try String(contentsOf: real, encoding: .utf8) == "; the admin's file\n")
        let debris = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(debris.isEmpty, "\(debris)")
    }

    /// Sixteen exports of different content race for one new file without --force: exactly one
    /// creates it, the others fail and say why, and the file holds the winner's text.
    @Test func raceForANewFileHasOneWinner() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("new.zone").path
        let zones = (1...16).map { String(format: "tenant%03d.example", $0) }
        final class Results: @unchecked Sendable {
            let lock = NSLock()
            var codes: [String: Int32] = [:]
        }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: zones.count) { i in
            // All of them pause with their file complete, then move it into place together.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: fedplanBinary)
            process.arguments = ["dns", "export", example("hosting"), "--zone", zones[i], "-o", target]
            process.environment = ProcessInfo.processInfo.environment.merging(["FEDPLAN_TEST_PAUSE_BEFORE_RENAME": "1"]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
            results.lock.lock()
            results.codes[zones[i]] = process.terminationStatus
            results.lock.unlock()
        }
        let winners = results.codes.filter { $0.value == 0 }.map(\.key)
        #expect(winners.count == 1, "\(results.codes)")
        #expect(results.codes.values.filter { $0 == 2 }.count == zones.count - 1)
        if let winner = winners.first {
            let expected = try fedplan("dns", "export", example("hosting"), "--zone", winner).stdout
            #expect(try String(contentsOfFile: target, encoding: .utf8) == expected)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["new.zone"])
    }

    @Test func forceKeepsModeAndOwner() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("contoso.zone").path
        try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
        #expect(chmod(target, 0o640) == 0)
        let owner: (uid_t, gid_t) = geteuid() == 0 ? (65534, 65534) : (geteuid(), getegid())
        #expect(chown(target, owner.0, owner.1) == 0)
        let result = try fedplan("dns", "export", example("single-edge"), "-o", target, "--force")
        #expect(result.code == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(target, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o640)
        #expect(info.st_uid == owner.0 && info.st_gid == owner.1)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("_sipfederationtls"))
    }

    /// 301 zone files replaced at once: a target that cannot be replaced stops the run before
    /// any file changes, and Ctrl-C with every new file staged leaves every old file.
    @Test func folderExportIsAllOrNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try fedplan("dns", "export", example("hosting"), "-o", folder.path + "/")
        #expect(first.code == 0, "\(first.stderr)")
        var names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names.count > 300)
        for name in names { try "old\n".write(to: folder.appendingPathComponent(name), atomically: false, encoding: .utf8) }
        let blocker = folder.appendingPathComponent(names[names.count / 2])
        try FileManager.default.removeItem(at: blocker)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        let refused = try fedplan("dns", "export", example("hosting"), "-o", folder.path + "/", "--force")
        #expect(refused.code == 2 && refused.stderr.contains("is a folder"), "\(refused.stderr)")
        try FileManager.default.removeItem(at: blocker)
        names.removeAll { $0 == blocker.lastPathComponent }
        func unchanged() throws -> Bool {
            try names.allSatisfy { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) == "old\n" }
        }
        #expect(try unchanged())

        let export = try SignalledRun(["dns", "export", example("hosting"), "-o", folder.path + "/", "--force"], in: folder,
                                      environment: ["FEDPLAN_TEST_PAUSE_BEFORE_RENAME": "30"])
        try export.waitForStderr("pausing")
        let staged = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        #expect(staged.count == names.count + 1, "every file is staged before any is moved")
        let result = try export.interrupt()
        #expect(result.signalled)
        #expect(try unchanged())
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == names, "no debris")
    }

    @Test func dashMeansStandardOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try fedplan("dns", "export", example("single-edge"), "-o", "-", in: folder)
        #expect(result.code == 0)
        #expect(result.stdout.contains("_sipfederationtls._tcp.contoso.com."))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "no file named -")
    }
}
