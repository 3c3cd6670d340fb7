import Foundation
import Testing

/// File names complete for the description, `--zone-file`, `-o` and `--ca-file`: the bash
/// script `fedplan --generate-completion-script bash` writes is sourced and its function called
/// as bash calls it on TAB (COMP_WORDS, COMP_CWORD; command, current word, previous word).
@Suite(.ownThread) struct CompletionTests {
    /// What bash would offer for the last word of `words`, in a folder holding a description,
    /// a JSON one, a zone file, a text file and a subfolder.
    static func offered(_ words: [String], in folder: URL, script: URL) throws -> [String] {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let driver = """
            source '\(script.path)'
            COMP_WORDS=(\(quoted)); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
            _fedplan fedplan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try run("bash", ["--norc", "--noprofile", "-c", driver], in: folder)
        #expect(result.code == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func bashCompletesFileNames() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for file in ["fedplan.yaml", "partner.json", "db.contoso.com", "notes.txt"] {
            try "x\n".write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("zones"), withIntermediateDirectories: true)
        let generated = try fedplan("--generate-completion-script", "bash")
        #expect(generated.code == 0)
        let scripts = try temporaryFolder()  // not in the folder whose files are offered
        defer { try? FileManager.default.removeItem(at: scripts) }
        let path = scripts.appendingPathComponent("fedplan.bash")
        try generated.stdout.write(to: path, atomically: true, encoding: .utf8)

        let everything = ["db.contoso.com", "fedplan.yaml", "notes.txt", "partner.json", "zones"]
        // The description: YAML and JSON files, and folders to go into.
        let descriptions = ["fedplan.yaml", "partner.json", "zones"]
        for command in [["validate"], ["dns", "plan"], ["dns", "export"], ["dns", "check"], ["cert", "plan"], ["cert", "check"], ["ports", "plan"]] {
            #expect(try Self.offered(["fedplan"] + command + [""], in: folder, script: path) == descriptions, "\(command)")
        }
        #expect(try Self.offered(["fedplan", "validate", "f"], in: folder, script: path) == ["fedplan.yaml"])
        // Any file for --zone-file (db.contoso.com has no extension), every time it is given.
        #expect(try Self.offered(["fedplan", "dns", "check", "--zone-file", ""], in: folder, script: path) == everything)
        #expect(try Self.offered(["fedplan", "dns", "check", "fedplan.yaml", "--zone-file", "db.contoso.com", "--zone-file", "d"],
                                 in: folder, script: path) == ["db.contoso.com"])
        // -o / --output of export and init, --ca-file of cert check.
        for words in [["dns", "export", "-o"], ["dns", "export", "--output"], ["init", "-o"], ["cert", "check", "--ca-file"]] {
            #expect(try Self.offered(["fedplan"] + words + [""], in: folder, script: path) == everything, "\(words)")
        }
        // An option whose value is not a file offers none.
        #expect(try Self.offered(["fedplan", "dns", "check", "--zone", ""], in: folder, script: path).isEmpty)
    }

    /// zsh and fish get the same: `_files` (with the description's patterns) and `-rF`.
    @Test func zshAndFishCompleteFileNames() throws {
        let zsh = try fedplan("--generate-completion-script", "zsh").stdout
        #expect(zsh.contains("'*--zone-file[Check this zone file instead of live DNS (repeatable).]:file:_files'"))
        #expect(zsh.contains("{-o,--output}'[A file, or a directory for one file per zone.]:output:_files'"))
        #expect(zsh.contains(":file:_files -g '\\''*.yaml *.yml *.json'\\''"))
        let fish = try fedplan("--generate-completion-script", "fish").stdout
        #expect(fish.contains("-l 'zone-file' -d 'Check this zone file instead of live DNS (repeatable).' -rF"))
        #expect(fish.contains("-s 'o' -l 'output' -d 'A file, or a directory for one file per zone.' -rF"))
        #expect(fish.contains("\"fedplan dns check\" -eq 1' -fa '(set -l exts \\'yaml\\' \\'yml\\' \\'json\\'"))
    }
}
