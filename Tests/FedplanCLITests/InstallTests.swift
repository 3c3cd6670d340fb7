import Foundation
import Testing

/// fedplan as an admin gets it: scripts/install.sh into a prefix and the Debian package, each
/// run from what it installed with an empty environment (no Swift toolchain on the path, no
/// library path). Both use the one release build in .build/installed, which scripts/test.sh
/// builds before the tests and marks ready (FEDPLAN_RELEASE_READY, scripts/lib/release.sh), so
/// neither builds anything and they run side by side.
@Suite(.ownThread) struct InstallTests {
    static let description = packageRoot.appendingPathComponent("examples/single-edge/fedplan.yaml").path

    /// The installed binary works with `env -i` and needs no Swift library.
    func checkInstalledBinary(_ binary: String) throws {
        let version = try run("/usr/bin/env", ["-i", binary, "--version"])
        #expect(version.code == 0, "\(version.stderr)")
        #expect(version.stdout.contains("GPL-3.0-or-later"))
        let validate = try run("/usr/bin/env", ["-i", binary, "validate", Self.description])
        #expect(validate.code == 0, "\(validate.stdout)\(validate.stderr)")
        let libraries = try run("ldd", [binary]).stdout
        #expect(!libraries.contains("libswift") && !libraries.contains("not found"), "\(libraries)")
    }

    @Test func installScriptPutsEverythingUnderThePrefix() throws {
        let prefix = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: prefix) }
        let result = try run(packageRoot.appendingPathComponent("scripts/install.sh").path, ["--prefix", prefix.path])
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
        for file in ["bin/fedplan", "share/man/man1/fedplan.1", "share/man/man1/fedplan.dns.check.1",
                     "share/bash-completion/completions/fedplan", "share/zsh/site-functions/_fedplan",
                     "share/fish/vendor_completions.d/fedplan.fish", "share/doc/fedplan/README.md",
                     "share/doc/fedplan/LICENSE"] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(file).path), "\(file)")
        }
        try checkInstalledBinary(prefix.appendingPathComponent("bin/fedplan").path)
        let manual = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/fedplan.dns.export.1"), encoding: .utf8)
        #expect(manual.hasPrefix(".\\\"") || manual.contains(".TH"), "a roff page")
        #expect(manual.contains("force"))
        let completion = try String(contentsOf: prefix.appendingPathComponent("share/bash-completion/completions/fedplan"), encoding: .utf8)
        #expect(completion.contains("complete") && completion.contains("export"))
    }

    @Test func debianPackageInstallsAndRuns() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // xz at level 0: the same format as a release's package, six times faster to make.
        let built = try run("/usr/bin/env", ["FEDPLAN_DEB_XZ_LEVEL=0",
                                             packageRoot.appendingPathComponent("scripts/package-deb.sh").path, folder.path])
        #expect(built.code == 0, "\(built.stdout)\(built.stderr)")
        let package = built.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(package.hasSuffix(".deb") && FileManager.default.fileExists(atPath: package), "\(built.stdout)")
        let fields = try run("dpkg-deb", ["--field", package, "Depends", "Version"]).stdout
        for library in ["libldns", "libzscanner", "libidn2", "libssl", "libc6"] {
            #expect(fields.contains(library), "Depends names \(library): \(fields)")
        }
        let root = folder.appendingPathComponent("root")
        let unpacked = try run("dpkg", ["-x", package, root.path])
        #expect(unpacked.code == 0, "\(unpacked.stderr)")
        for file in ["usr/share/doc/fedplan/copyright", "usr/share/doc/fedplan/README.md",
                     "usr/share/doc/fedplan/docs/description.md", "usr/share/doc/fedplan/examples/single-edge/fedplan.yaml",
                     "usr/share/doc/fedplan/examples/dns-lb-pool/demo/fabrikam.com.zone",
                     "usr/share/man/man1/fedplan.1.gz", "usr/share/bash-completion/completions/fedplan"] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file)")
        }
        try checkInstalledBinary(root.appendingPathComponent("usr/bin/fedplan").path)
        let lintian = try run("lintian", [package])
        let tags = lintian.stdout.split(separator: "\n").filter { $0.hasPrefix("E:") || $0.hasPrefix("W:") }
        #expect(tags.isEmpty, "lintian: \(tags.joined(separator: "\n"))")
    }
}
