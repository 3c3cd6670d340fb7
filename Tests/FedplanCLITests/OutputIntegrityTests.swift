import FedplanCore
import Foundation
import Testing

/// What other programs read from fedplan is what fedplan meant: octoDNS (PyYAML, YAML 1.1)
/// reads exports back unchanged, `openssl req` accepts every configuration, an `$INCLUDE`d
/// snippet changes nothing around it, and the description cannot smuggle control characters
/// or ambiguous numbers in.
@Suite(.ownThread) struct OutputIntegrityTests {
    /// Strings YAML 1.1 would retype if written plain: a name of digits with a leading zero
    /// (octal), `on` (a boolean), an IPv6 address of decimal-looking groups (sexagesimal).
    static let yaml11Traps = """
        version: 1
        organization: Contoso
        ttl: 3600
        sip_domains:
          - contoso.com
          - on.example
          - null.example
        edge:
          access_edge: 010.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10, "2001:10:20:30:40:50:1:2"]
        """

    static func write(_ text: String, in folder: URL, name: String = "fedplan.yaml") throws -> String {
        let file = folder.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// The octoDNS installed by scripts/test.sh (pip, in a virtual environment under .build).
    static var octoDNSPython: String {
        packageRoot.appendingPathComponent(".build/octodns-venv/bin/python").path
    }

    static let octoDNSReader = """
        import json, sys, warnings
        warnings.simplefilter("ignore")
        from octodns.provider.yaml import YamlProvider
        from octodns.zone import Zone
        zone = Zone(sys.argv[2], [])
        YamlProvider("fedplan", sys.argv[1]).populate(zone)
        out = []
        for r in zone.records:
            for v in (r.values if hasattr(r, "values") else [r.value]):
                text = v.to_rdata_text() if hasattr(v, "to_rdata_text") else str(v)
                out.append(f"{r.fqdn} {r.ttl} {r._type} {text}")
        print(json.dumps(sorted(out)))
        """

    static let pyYAMLReader = """
        import json, sys, yaml
        print(json.dumps(yaml.safe_load(open(sys.argv[1])), sort_keys=True, default=repr))
        """

    @Test func octoDNSReadsTheExportAsWritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = try Self.write(Self.yaml11Traps, in: folder)
        let out = folder.appendingPathComponent("zones")
        let export = try fedplan("dns", "export", description, "--format", "octodns", "-o", out.path + "/")
        #expect(export.code == 0, "\(export.stderr)")
        let plan = try fedplan("dns", "plan", description, "--format", "json")
        let doc = try JSONDecoder().decode(JSONDocuments.PlanDocument.self, from: Data(plan.stdout.utf8))
        #expect(doc.zones.count == 3)
        let reader = folder.appendingPathComponent("octodns_read.py")
        try Self.octoDNSReader.write(to: reader, atomically: true, encoding: .utf8)
        let yamlReader = folder.appendingPathComponent("pyyaml_read.py")
        try Self.pyYAMLReader.write(to: yamlReader, atomically: true, encoding: .utf8)
        for zone in doc.zones {
            let read = try run(Self.octoDNSPython, [reader.path, out.path, zone.zone])
            #expect(read.code == 0, "octoDNS could not read \(zone.zone): \(read.stderr)")
            let records = try JSONDecoder().decode([String].self, from: Data(read.stdout.utf8))
            let planned = zone.records.map { "\($0.name) \($0.ttl) \($0.type) \($0.data)" }
            #expect(records == planned.sorted(), "\(zone.zone)")
            // PyYAML alone: every name and value is a string, nothing became a number or boolean.
            let loaded = try run("python3", [yamlReader.path, out.appendingPathComponent("\(zone.zone)yaml").path])
            #expect(loaded.code == 0, "\(loaded.stderr)")
            let tree = try #require(try JSONSerialization.jsonObject(with: Data(loaded.stdout.utf8)) as? [String: Any])
            #expect(tree.keys.allSatisfy { !$0.hasPrefix("'") }, "keys stay strings: \(tree.keys)")
            #expect(!loaded.stdout.contains("true") && !loaded.stdout.contains("null"), "\(loaded.stdout)")
        }
    }

    /// The layout the README gives octoDNS users: the admin's own zone file in config/zones,
    /// fedplan's export in config/fedplan, both sources of the zone. octoDNS merges them.
    @Test func octoDNSMergesTheExportWithTheAdminsOwnRecords() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let own = folder.appendingPathComponent("config/zones")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try "---\nwww:\n  type: A\n  value: 192.0.2.80\n".write(to: own.appendingPathComponent("contoso.com.yaml"), atomically: true, encoding: .utf8)
        let export = try fedplan("dns", "export", example("single-edge"), "--format", "octodns",
                                 "-o", folder.appendingPathComponent("config/fedplan").path + "/")
        #expect(export.code == 0, "\(export.stderr)")
        let script = folder.appendingPathComponent("merge.py")
        try """
            import json, sys, warnings
            warnings.simplefilter("ignore")
            from octodns.provider.yaml import YamlProvider
            from octodns.zone import Zone
            zone = Zone("contoso.com.", [])
            for name in ("zones", "fedplan"):
                YamlProvider(name, sys.argv[1] + "/config/" + name).populate(zone)
            print(json.dumps(sorted(f"{r.fqdn} {r._type}" for r in zone.records)))
            """.write(to: script, atomically: true, encoding: .utf8)
        let merged = try run(Self.octoDNSPython, [script.path, folder.path])
        #expect(merged.code == 0, "\(merged.stderr)")
        let records = try JSONDecoder().decode([String].self, from: Data(merged.stdout.utf8))
        #expect(records == ["_sipfederationtls._tcp.contoso.com. SRV", "sip.contoso.com. A", "www.contoso.com. A"])
    }

    @Test(arguments: ["organization: \"Contoso\\e[2J\"", "organization: \"Contoso\\u2028# more\"",
                      "organization: \"two\\nlines\""])
    func controlCharactersInTheDescriptionAreRefused(line: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Self.yaml11Traps.replacingOccurrences(of: "organization: Contoso", with: line)
        let description = try Self.write(text, in: folder)
        for format in ["table", "json", "markdown", "mermaid", "dot"] {
            let result = try fedplan("dns", "plan", description, "--format", format)
            #expect(result.code == 2, "\(format): \(result.stderr)")
            // JSON carries the error in its document, the other formats on standard error.
            #expect((result.stdout + result.stderr).contains("organization contains U+"), "\(result.stderr)")
            if format != "json" { #expect(result.stderr.contains("fedplan.yaml:2:15: error: organization")) }
            #expect(!(result.stdout + result.stderr).unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{2028}" })
        }
        let server = Self.yaml11Traps.replacingOccurrences(of: "name: edge01", with: "name: \"edge\\a01\"")
        let result = try fedplan("dns", "plan", try Self.write(server, in: folder))
        #expect(result.code == 2 && result.stderr.contains("server.name contains U+0007"), "\(result.stderr)")
    }

    @Test(arguments: [String(repeating: "Contoso Worldwide Holdings ", count: 3), "   "])
    func opensslAcceptsTheConfigurationWhateverTheOrganization(organization: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Self.yaml11Traps.replacingOccurrences(of: "organization: Contoso", with: "organization: \"\(organization)\"")
        let config = try fedplan("cert", "plan", try Self.write(text, in: folder), "--format", "openssl")
        #expect(config.code == 0 || config.code == 1, "\(config.stderr)")
        let file = folder.appendingPathComponent("edge.cnf")
        try config.stdout.write(to: file, atomically: true, encoding: .utf8)
        let made = try run("openssl", ["req", "-new", "-config", file.path, "-newkey", "rsa:2048", "-nodes",
                                       "-keyout", folder.appendingPathComponent("edge.key").path,
                                       "-out", folder.appendingPathComponent("edge.csr").path])
        #expect(made.code == 0, "openssl req: \(made.stderr)\n\(config.stdout)")
        #expect(!config.stdout.contains("\nO = "), "the organization is left out")
    }

    @Test(arguments: [("ttl: 010", "leading zero"), ("ttl: 0x10", "decimal digits"), ("ttl: 1:00", "decimal digits"),
                      ("ttl: 0b11", "decimal digits"), ("ttl: 3600.0", "decimal digits"), ("ttl: +3600", "decimal digits")])
    func integersAreDecimalDigitsOnly(line: String, why: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Self.yaml11Traps.replacingOccurrences(of: "ttl: 3600", with: line)
        let result = try fedplan("dns", "export", try Self.write(text, in: folder))
        #expect(result.code == 2, "\(line): \(result.stdout)")
        #expect(result.stderr.contains("fedplan.yaml:3:6: error: ttl") && result.stderr.contains(why), "\(result.stderr)")
    }

    @Test func quotedDecimalIntegerIsANumber() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = Self.yaml11Traps.replacingOccurrences(of: "ttl: 3600", with: "ttl: '1800'")
        let result = try fedplan("dns", "export", try Self.write(text, in: folder), "--zone", "contoso.com")
        #expect(result.code == 0 || result.code == 1, "\(result.stderr)")
        #expect(result.stdout.contains(" 1800 IN A "))
    }

    /// The README suggests `$INCLUDE`: the parent's `$TTL` and origin must still hold after it.
    @Test func includedSnippetChangesNothingAroundIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let snippet = folder.appendingPathComponent("fedplan.zone")
        let export = try fedplan("dns", "export", example("single-edge"), "-o", snippet.path)
        #expect(export.code == 0, "\(export.stderr)")
        let parent = folder.appendingPathComponent("contoso.com.zone")
        try """
            $ORIGIN contoso.com.
            $TTL 300
            @ IN SOA ns1 hostmaster 2026112201 3600 900 604800 300
            @ IN NS ns1
            ns1 IN A 192.0.2.53
            $INCLUDE \(snippet.path)
            mail IN A 192.0.2.25

            """.write(to: parent, atomically: true, encoding: .utf8)
        let compiled = folder.appendingPathComponent("compiled.zone")
        let bind = try run("named-compilezone", ["-q", "-o", compiled.path, "contoso.com", parent.path])
        #expect(bind.code == 0, "\(bind.stdout)\(bind.stderr)")
        let lines = try String(contentsOf: compiled, encoding: .utf8).split(separator: "\n")
            .map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }
        #expect(lines.contains("mail.contoso.com. 300 IN A 192.0.2.25"), "\(lines)")
        #expect(lines.contains("sip.contoso.com. 3600 IN A 131.107.155.10"), "\(lines)")
        let nsd = try run("nsd-checkzone", ["contoso.com", parent.path])
        #expect(nsd.code == 0, "\(nsd.stdout)\(nsd.stderr)")
    }
}
