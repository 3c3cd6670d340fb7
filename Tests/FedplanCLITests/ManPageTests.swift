import Foundation
import Testing

/// The man pages scripts/man-pages.sh writes (what scripts/install.sh and the .deb install):
/// a NAME line whatis reads cleanly, the real exit codes, and every default.
@Suite(.ownThread) struct ManPageTests {
    @Test func namesExitCodesAndDefaults() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let made = try run(packageRoot.appendingPathComponent("scripts/man-pages.sh").path, [fedplanBinary, folder.path])
        #expect(made.code == 0, "\(made.stderr)")
        let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".1") }.sorted()
        #expect(pages.contains("fedplan.1") && pages.contains("fedplan.dns.check.1") && pages.count >= 12, "\(pages)")
        for page in pages {
            let name = String(page.dropLast(2))
            let path = folder.appendingPathComponent(page).path
            // whatis: `fedplan.dns.check - Verify the plan …`, no quote, no final full stop.
            let whatis = try run("lexgrog", [path]).stdout
            #expect(whatis.hasPrefix("\(path): \"\(name) - ") && whatis.hasSuffix("\"\n"), "\(whatis)")
            let line = whatis.dropFirst("\(path): \"\(name) - ".count).dropLast(2)
            #expect(!line.contains("\"") && !line.hasSuffix(".") && !line.isEmpty, "\(whatis)")
            let troff = try String(contentsOfFile: path, encoding: .utf8)
            #expect(!troff.contains(".Ex -std") && !troff.contains("\n\n"), "\(page)")
            // Rendered as `man` shows it: the exit codes 0 to 3, each explained; groff has nothing to say.
            let shown = try run("/usr/bin/env", ["MANWIDTH=200", "man", "--warnings", "-l", path])
            #expect(shown.code == 0 && shown.stderr.isEmpty, "\(page): \(shown.stderr)")
            let status = shown.stdout.components(separatedBy: "EXIT STATUS").last ?? ""
            for code in ["0       All good", "1       At least one error finding (or a warning, with --strict)",
                         "2       The command could not start: bad usage", "3       Nothing wrong was found, but some records"] {
                #expect(status.contains(code), "\(page): \(status)")
            }
            #expect(!status.contains(">0 if an error occurs"), "\(page)")
        }
        let check = try run("/usr/bin/env", ["MANWIDTH=200", "man", "-l", folder.appendingPathComponent("fedplan.dns.check.1").path]).stdout
        for expected in ["Seconds to wait for each answer. (default: 2)", "Further tries after a timeout. (default: 1)",
                         "and grows back). (default: 64)", "queries still waiting then are query-failed. (default: 120)",
                         "The deployment description (YAML or JSON). (default: fedplan.yaml)", "(default: text)",
                         "-q, --quiet", "--debug", "--zone zone...", "-4", "-6"] {
            #expect(check.contains(expected), "\(expected)")
        }
        let initPage = try run("/usr/bin/env", ["MANWIDTH=200", "man", "-l", folder.appendingPathComponent("fedplan.init.1").path]).stdout
        #expect(initPage.contains("Where to write the description; - for standard output. (default: fedplan.yaml)"), "\(initPage)")
        let certCheck = try run("/usr/bin/env", ["MANWIDTH=200", "man", "-l", folder.appendingPathComponent("fedplan.cert.check.1").path]).stdout
        #expect(certCheck.contains("(default: 5)") && certCheck.contains("(default: 120)"), "\(certCheck)")
    }
}
