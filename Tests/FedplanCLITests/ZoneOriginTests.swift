import Foundation
import Testing

/// Zone files as admins keep them: the origin in named.conf and the file's name, one origin per
/// file, a delegation written in parent and child, a DNAME above a planned name. Where a
/// reference tool has a verdict, it runs on the same file.
@Suite(.ownThread) struct ZoneOriginTests {
    static let tailspin = """
        version: 1
        organization: Tailspin
        ttl: 3600
        sip_domains:
          - tailspintoys.com
        edge:
          access_edge: sip.tailspintoys.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10]
        zones: [tailspintoys.com]

        """

    /// BIND's commonest layout: the origin is in named.conf, the file has `@`, relative names
    /// and no `$ORIGIN`.
    static let bindLayout = """
        $TTL 3600
        @ IN SOA ns1 hostmaster 2026120401 7200 3600 1209600 3600
        @ IN NS ns1
        ns1 IN A 192.0.2.1
        sip IN A 131.107.155.10
        _sipfederationtls._tcp IN SRV 0 0 5061 sip

        """

    func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func aFileNamedForItsZoneIsReadWithThatOrigin() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write(Self.tailspin, "fedplan.yaml", in: folder)
        for name in ["zones/tailspintoys.com.zone", "db.tailspintoys.com", "tailspintoys.com.db", "tailspintoys.com"] {
            let zone = try write(Self.bindLayout, name, in: folder)
            let result = try fedplan("dns", "check", plan, "--zone-file", zone)
            #expect(result.code == 0, "\(name): \(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("2 records: 2 ok, 0 errors"), "\(name): \(result.stdout)")
            #expect(result.stdout.contains("as tailspintoys.com. (origin tailspintoys.com. from the file name)"), "\(result.stdout)")
            let named = try run("named-checkzone", ["tailspintoys.com", zone])
            #expect(named.code == 0, "named-checkzone: \(named.stdout)")
        }
        let json = try fedplan("dns", "check", plan, "--zone-file", folder.appendingPathComponent("db.tailspintoys.com").path,
                               "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let read = try #require(document["zone_files_read"] as? [[String: Any]])
        #expect(read.count == 1)
        #expect(read.first?["origin"] as? String == "tailspintoys.com." && read.first?["origin_from"] as? String == "file name"
                && read.first?["zone"] as? String == "tailspintoys.com.", "\(read)")
        // kzonecheck takes the origin from a `<zone>.zone` name the same way.
        let kz = try run("kzonecheck", [folder.appendingPathComponent("zones/tailspintoys.com.zone").path])
        #expect(kz.code == 0, "kzonecheck: \(kz.stdout)\(kz.stderr)")
    }

    @Test func aRelativeNameWithNoOriginIsRefusedAtItsLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write(Self.tailspin, "fedplan.yaml", in: folder)
        let zone = try write(Self.bindLayout, "zone.txt", in: folder)
        let refused = try fedplan("dns", "check", plan, "--zone-file", zone)
        #expect(refused.code == 2)
        #expect(refused.stderr.contains("\(zone):2: error: `@` stands for the origin, and nothing says what the origin is"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--zone-file \(zone) --origin <zone>"))
        for format in ["json", "sarif", "junit", "github"] {  // a document in every format, as for any refused file
            let r = try fedplan("dns", "check", plan, "--zone-file", zone, "--format", format)
            #expect(r.code == 2 && r.stdout.contains("nothing says what the origin is"), "\(format): \(r.stdout)")
        }
        // A name in the data, not only the owner.
        let data = try write("$TTL 3600\ntailspintoys.com. IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n", "data.txt", in: folder)
        let inData = try fedplan("dns", "check", plan, "--zone-file", data)
        #expect(inData.code == 2 && inData.stderr.contains("\(data):2: error: a name in the data is relative"), "\(inData.stderr)")
        let given = try fedplan("dns", "check", plan, "--zone-file", zone, "--origin", "tailspintoys.com")
        #expect(given.code == 0 && given.stdout.contains("(origin tailspintoys.com. from --origin)"), "\(given.stdout)\(given.stderr)")
        // Every name absolute: no origin is needed, and none is guessed.
        let absolute = try write("""
            tailspintoys.com. 3600 IN SOA ns1.tailspintoys.com. hostmaster.tailspintoys.com. 1 7200 3600 1209600 3600
            sip.tailspintoys.com. 3600 IN A 131.107.155.10
            _sipfederationtls._tcp.tailspintoys.com. 3600 IN SRV 0 0 5061 sip.tailspintoys.com.

            """, "absolute.txt", in: folder)
        let ok = try fedplan("dns", "check", plan, "--zone-file", absolute)
        #expect(ok.code == 0 && ok.stdout.contains("as tailspintoys.com. (every name absolute)"), "\(ok.stdout)\(ok.stderr)")
    }

    /// An `--origin` names the zone of the `--zone-file` before it.
    @Test func oneOriginPerFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write("""
            version: 1
            organization: Tailwind
            ttl: 3600
            sip_domains:
              - tailwind.example
              - eu.tailwind.example
            edge:
              access_edge: sip.tailwind.example
              servers:
                - name: edge01
                  access_ip: [131.107.155.10]
            zones: [tailwind.example, eu.tailwind.example]

            """, "fedplan.yaml", in: folder)
        // The delegation's NS set is written in the parent and again at the child's apex
        // (RFC 1034 §4.2.1, RFC 2181 §6.1): two zones' data, not a duplicate.
        let parent = try write("""
            @ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
            @ 3600 IN NS ns1
            ns1 3600 IN A 192.0.2.1
            eu 3600 IN NS ns1.eu
            ns1.eu 3600 IN A 192.0.2.2
            sip 3600 IN A 131.107.155.10
            _sipfederationtls._tcp 3600 IN SRV 0 0 5061 sip

            """, "parent.txt", in: folder)
        let child = try write("""
            @ 3600 IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
            @ 3600 IN NS ns1
            ns1 3600 IN A 192.0.2.2
            _sipfederationtls._tcp 3600 IN SRV 0 0 5061 sip.tailwind.example.

            """, "child.txt", in: folder)
        let result = try fedplan("dns", "check", plan, "--zone-file", parent, "--origin", "tailwind.example",
                                 "--zone-file", child, "--origin", "eu.tailwind.example", "--format", "json")
        #expect(result.code == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stdout.contains("duplicate-record"), "\(result.stdout)")
        #expect(result.stdout.contains("\"ok\" : 3"), "\(result.stdout)")
        for (zone, file) in [("tailwind.example", parent), ("eu.tailwind.example", child)] {
            #expect(try run("kzonecheck", ["-o", zone, file]).code == 0)
            #expect(try run("named-checkzone", [zone, file]).code == 0)
        }
        // The same record twice in one file still is a duplicate.
        let twice = try write(try String(contentsOfFile: child, encoding: .utf8) + "@ 3600 IN NS ns1\n", "twice.txt", in: folder)
        let dup = try fedplan("dns", "check", plan, "--zone-file", parent, "--origin", "tailwind.example",
                              "--zone-file", twice, "--origin", "eu.tailwind.example")
        #expect(dup.stdout.contains("[duplicate-record]") && dup.stdout.contains("twice.txt:5"), "\(dup.stdout)")

        // An --origin before any file, with several files: which file it is for cannot be told.
        let before = try fedplan("dns", "check", plan, "--origin", "tailwind.example", "--zone-file", parent,
                                 "--zone-file", child, "--origin", "eu.tailwind.example")
        #expect(before.code == 2 && before.stderr.contains("comes before any --zone-file"), "\(before.stderr)")
        // Several files that need an origin and a single --origin: the file that lacks one is named.
        let single = try fedplan("dns", "check", plan, "--zone-file", parent, "--zone-file", child, "--origin", "eu.tailwind.example")
        #expect(single.code == 2 && single.stderr.contains("\(parent):1: error:"), "\(single.stderr)")
        #expect(!single.stderr.contains("\(child):"), "\(single.stderr)")
        let two = try fedplan("dns", "check", plan, "--zone-file", parent, "--origin", "tailwind.example", "--origin", "x.example")
        #expect(two.code == 2 && two.stderr.contains("two origins for --zone-file"), "\(two.stderr)")
    }

    @Test func anOriginThatContradictsTheFilesOwnIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write(Self.tailspin, "fedplan.yaml", in: folder)
        let zone = try write("; tailspin\n$ORIGIN tailspintoys.com.\n" + Self.bindLayout, "zone.txt", in: folder)
        let wrong = try fedplan("dns", "check", plan, "--zone-file", zone, "--origin", "fabrikam.com")
        #expect(wrong.code == 2 && wrong.stderr.contains("\(zone):2: error: this file sets $ORIGIN tailspintoys.com. here, but --origin fabrikam.com. was given for it"),
                "\(wrong.stderr)")
        let own = try fedplan("dns", "check", plan, "--zone-file", zone)
        #expect(own.code == 0 && own.stdout.contains("(origin tailspintoys.com. from its $ORIGIN at line 2)"), "\(own.stdout)")
        let json = try fedplan("dns", "check", plan, "--zone-file", zone, "--format", "json")
        #expect(json.stdout.contains("\"origin_from\" : \"$ORIGIN\",\n      \"origin_line\" : 2,"), "\(json.stdout)")
    }

    /// A relative name in an included file is refused at its own line; an --origin that names
    /// another zone than the file's SOA is refused at the SOA; standard input is read once.
    @Test func includesSOAAndStandardInput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write(Self.tailspin, "fedplan.yaml", in: folder)
        let zone = try write("""
            $TTL 3600
            tailspintoys.com. IN SOA ns1.tailspintoys.com. hostmaster.tailspintoys.com. 1 7200 3600 1209600 3600
            sip.tailspintoys.com. IN A 131.107.155.10
            $INCLUDE inc/srv.inc

            """, "all-absolute.txt", in: folder)
        let included = try write("_sipfederationtls._tcp IN SRV 0 0 5061 sip\n", "inc/srv.inc", in: folder)
        let refused = try fedplan("dns", "check", plan, "--zone-file", zone)
        #expect(refused.code == 2 && refused.stderr.contains("\(included):1: error: the owner is a relative name"), "\(refused.stderr)")
        // Checked from the folder that holds it (a repository's root in CI), the included file
        // is named relative to it, as the top-level file is: annotations land on the file.
        let fromFolder = try fedplan("dns", "check", "fedplan.yaml", "--zone-file", "all-absolute.txt", in: folder)
        #expect(fromFolder.code == 2 && fromFolder.stderr.contains("\ninc/srv.inc:1: error: the owner is a relative name")
                || fromFolder.stderr.hasPrefix("inc/srv.inc:1: error: the owner is a relative name"), "\(fromFolder.stderr)")
        let wrong = try fedplan("dns", "check", plan, "--zone-file", zone, "--origin", "fabrikam.com")
        #expect(wrong.code == 2 && wrong.stderr.contains("\(zone):2: error: this file's SOA record is for tailspintoys.com., but --origin fabrikam.com. was given for it"),
                "\(wrong.stderr)")
        let right = try fedplan("dns", "check", plan, "--zone-file", zone, "--origin", "tailspintoys.com")
        #expect(right.code == 0, "\(right.stdout)\(right.stderr)")
        let twice = try run(fedplanBinary, ["dns", "check", plan, "--zone-file", "-", "--origin", "tailspintoys.com",
                                            "--zone-file", "-", "--origin", "fabrikam.com"], input: Self.bindLayout)
        #expect(twice.code == 2 && twice.stderr.contains("standard input (-) can be read only once"), "\(twice.stderr)")
    }

    /// RFC 6672 §2.4: nothing can sit below a DNAME. The finding names the DNAME and its line,
    /// and following its fix gives zones that NSD and Knot load and that fedplan finds correct.
    @Test func aDNAMEAbovePlannedNamesIsNamedAndItsFixLoads() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plan = try write("""
            version: 1
            organization: Fourth Coffee
            ttl: 3600
            sip_domains:
              - fourthcoffee.example
              - legacy.fourthcoffee.example
            edge:
              access_edge: sip.fourthcoffee.example
              servers:
                - name: edge01
                  access_ip: [131.107.155.10]
            zones: [fourthcoffee.example]

            """, "fedplan.yaml", in: folder)
        let parent = try write("""
            $TTL 3600
            @ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600
            @ IN NS ns1
            ns1 IN A 192.0.2.1
            sip IN A 131.107.155.10
            _sipfederationtls._tcp IN SRV 0 0 5061 sip
            legacy IN DNAME tailwindtoys.example.

            """, "fourthcoffee.example.zone", in: folder)
        let target = try write("$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ IN NS ns1\nns1 IN A 192.0.2.1\n",
                               "tailwindtoys.example.zone", in: folder)
        let result = try fedplan("dns", "check", plan, "--zone-file", parent, "--zone-file", target, "--format", "json")
        #expect(result.code == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == 1, "\(findings)")
        let f = try #require(findings.first)
        #expect(f["rule"] as? String == "record-missing")
        #expect((f["message"] as? String)?.contains("through the DNAME legacy.fourthcoffee.example. → tailwindtoys.example. at \(parent):7") == true, "\(f)")
        #expect((f["location"] as? [String: Any])?["line"] as? Int == 7)
        let fix = try #require(f["fix"] as? String)
        let record = try #require(fix.split(separator: "`").dropFirst().first.map(String.init))
        #expect(record.hasPrefix("_sipfederationtls._tcp.tailwindtoys.example. "), "\(fix)")
        #expect(!record.split(separator: " ")[0].hasSuffix(".legacy.fourthcoffee.example."))
        // Follow the fix: the record goes into the target's file; every tool loads both.
        try Data((try String(contentsOfFile: target, encoding: .utf8) + record + "\n").utf8).write(to: URL(fileURLWithPath: target))
        let fixed = try fedplan("dns", "check", plan, "--zone-file", parent, "--zone-file", target)
        #expect(fixed.code == 0 && fixed.stdout.contains("3 records: 3 ok"), "\(fixed.stdout)")
        for (zone, file) in [("fourthcoffee.example", parent), ("tailwindtoys.example", target)] {
            #expect(try run("kzonecheck", ["-o", zone, file]).code == 0)
            #expect(try run("nsd-checkzone", [zone, file]).code == 0)
        }
        // A finding about the SRV target's addresses keeps its own fix: only fixes that write a
        // record at the name move to the DNAME's target.
        let noSip = try write(try String(contentsOfFile: parent, encoding: .utf8)
                                .replacingOccurrences(of: "sip IN A 131.107.155.10\n", with: ""), "nosip/fourthcoffee.example.zone", in: folder)
        let targetless = try fedplan("dns", "check", plan, "--zone-file", noSip, "--zone-file", target, "--format", "json")
        let found = try #require((try JSONSerialization.jsonObject(with: Data(targetless.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        let throughDNAME = found.filter { $0["rule"] as? String == "srv-target-no-address" && ($0["name"] as? String)?.hasSuffix(".legacy.fourthcoffee.example.") == true }
        #expect(throughDNAME.count == 1, "\(found)")
        #expect(throughDNAME.first?["fix"] as? String == "publish A/AAAA records for sip.fourthcoffee.example.", "\(throughDNAME)")
        // A mistake in the target's file is listed under the zone files, not as a partner's.
        let doubled = try write(try String(contentsOfFile: target, encoding: .utf8) + "@ IN NS ns1\n", "doubled.zone", in: folder)
        let other = try fedplan("dns", "check", plan, "--zone-file", parent, "--zone-file", doubled, "--origin", "tailwindtoys.example")
        #expect(other.stdout.contains("other names in the zone files\n  warning tailwindtoys.example. NS"), "\(other.stdout)")
        #expect(!other.stdout.contains("federation partners"))
        // The fix the old report gave, a record below the DNAME, is what the servers refuse; so
        // does fedplan, at that record's line.
        let below = try write(try String(contentsOfFile: parent, encoding: .utf8)
                                + "_sipfederationtls._tcp.legacy IN SRV 0 0 5061 sip\n", "below.zone", in: folder)
        #expect(try run("kzonecheck", ["-o", "fourthcoffee.example", below]).code != 0)
        #expect(try run("nsd-checkzone", ["fourthcoffee.example", below]).code != 0)
        let refused = try fedplan("dns", "check", plan, "--zone-file", below, "--origin", "fourthcoffee.example",
                                  "--zone-file", target)
        #expect(refused.code == 1 && refused.stdout.contains("[name-below-dname]") && refused.stdout.contains("at: \(below):8"),
                "\(refused.stdout)")

        // Only the DNAME's zone given: what the target holds was not read, so the records
        // answered through it are not covered, not missing (a CNAME out of the zones alike).
        let alone = try write(try String(contentsOfFile: parent, encoding: .utf8)
                                .replacingOccurrences(of: "sip IN A 131.107.155.10", with: "sip IN CNAME edge.tailwindtoys.example."),
                              "alone/fourthcoffee.example.zone", in: folder)
        let partial = try fedplan("dns", "check", plan, "--zone-file", alone, "--format", "json")
        let records = try #require((try JSONSerialization.jsonObject(with: Data(partial.stdout.utf8)) as? [String: Any])?["records"] as? [[String: Any]])
        let status = Dictionary(uniqueKeysWithValues: records.map { ("\($0["name"]!) \($0["type"]!)", $0["status"] as? String ?? "") })
        #expect(status["_sipfederationtls._tcp.legacy.fourthcoffee.example. SRV"] == "not-covered", "\(status)")
        #expect(status["sip.fourthcoffee.example. A"] == "not-covered", "\(status)")
        #expect(!partial.stdout.contains("record-missing"), "\(partial.stdout)")
    }
}
