import CLDNS
import FedplanCore
@testable import FedplanDNS
import Foundation
import Testing

/// The one verifier's dates and reasons, live (`TrustChain.verify`) and from a zone file
/// (`ZoneSignatureVerifier`) alike, on records signed here by ldns-signzone: RRSIG times after
/// 2038-01-19 (serial arithmetic, RFC 4034 §3.1.5; ldns's own date check reads them as before
/// 1970), inverted dates, a wrong signer name, a malformed signature, an unsupported algorithm.
@Suite struct SignatureReasonTests: RecordText {
    /// contoso.com's SRV RRset, its RRSIG and the key, signed with `algorithm` from `inception`
    /// to `expiration` (YYYYMMDDhhmmss).
    struct Signed {
        let key: String, srv: String, rrsig: String
    }

    static func sign(algorithm: String = "ECDSAP256SHA256", inception: String, expiration: String) throws -> Signed {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-sigreason-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func tool(_ name: String, _ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [name] + arguments
            process.currentDirectoryURL = folder
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(name) \(arguments)")
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try """
            $ORIGIN contoso.com.
            $TTL 3600
            @ SOA ns1 hostmaster 1 7200 3600 1209600 3600
            _sipfederationtls._tcp SRV 0 0 5061 sip.contoso.com.

            """.write(to: folder.appendingPathComponent("zone"), atomically: true, encoding: .utf8)
        let key = try tool("ldns-keygen", ["-a", algorithm, "-k", "contoso.com"])
        _ = try tool("ldns-signzone", ["-i", inception, "-e", expiration, "-o", "contoso.com", "zone", key])
        let lines = try String(contentsOf: folder.appendingPathComponent("zone.signed"), encoding: .utf8)
            .split(separator: "\n").map { String($0.split(separator: ";")[0]).replacingOccurrences(of: "\t", with: " ") }
        return Signed(key: try #require(lines.first { $0.contains(" DNSKEY ") }),
                      srv: try #require(lines.first { $0.contains(" SRV ") && !$0.contains(" RRSIG ") }),
                      rrsig: try #require(lines.first { $0.contains(" RRSIG SRV ") }))
    }

    /// YYYYMMDDhhmmss, `days` from now.
    static func stamp(days: Double) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMddHHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: Date().addingTimeInterval(days * 86_400))
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// The verdict, live and from a zone file, which must agree.
    func verdict(_ s: Signed, rrsig: String? = nil, key: String? = nil, at time: Int64 = now) throws -> DNSSECVerdict {
        let set = try rr(s.srv), k = try rr(key ?? s.key), sig = try rr(rrsig ?? s.rrsig)
        let chain = TrustChain(anchors: TrustAnchors(byZone: [:], file: ""), clock: SignatureClock(now: UInt32(truncatingIfNeeded: time)))
        let rrset = RRList(), keys = RRList()
        rrset.push(borrowed: set.pointer)
        keys.push(borrowed: k.pointer)
        let live = withExtendedLifetime((set, k, sig)) { chain.verify(rrset, signatures: [sig.pointer], with: keys) }
        let zone = ZoneSignatureVerifier().verdict(rrset: [try wire(set)], signatures: [try wire(sig)], keys: [try wire(k)], at: time)
        #expect(zone == live, "zone file \(zone), live \(live)")
        return live
    }

    /// RRSIG field `i` (0 type covered … 8 signature) of a presentation line, replaced.
    func replacing(field i: Int, in rrsig: String, with value: String) -> String {
        var parts = rrsig.split(separator: " ").map(String.init)
        parts[4 + i] = value  // owner TTL IN RRSIG, then the fields
        return parts.joined(separator: " ")
    }

    func field(_ i: Int, of rrsig: String) -> String { rrsig.split(separator: " ").map(String.init)[4 + i] }

    /// The trial's far2038b.zone (`-e 20380201`) and far2090.zone: secure, valid until their
    /// expiration. ldns's date check called them "expiration date earlier than inception date".
    @Test(arguments: ["20380201000000", "20900101000000"])
    func signaturesExpiringAfter2038AreSecure(expiration: String) throws {
        let s = try Self.sign(inception: Self.stamp(days: -1), expiration: expiration)
        let v = try verdict(s)
        #expect(v.status == .secure, "\(v)")
        let f = DateFormatter()
        f.dateFormat = "yyyyMMddHHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        let seconds = Int64(try #require(f.date(from: expiration)).timeIntervalSince1970)
        #expect(v.validUntil == UInt32(truncatingIfNeeded: seconds))
        // And they expire, in serial arithmetic: a day after the expiration, bogus with its date.
        let expired = try verdict(s, at: seconds + 86_400)
        #expect(expired == DNSSECVerdict(status: .bogus, problem: .signatureExpired(expiration: UInt32(truncatingIfNeeded: seconds))))
    }

    /// The trial's inverted.zone: inception after expiration.
    @Test func invertedDatesAreSaid() throws {
        let s = try Self.sign(inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        let inverted = replacing(field: 5, in: replacing(field: 4, in: s.rrsig, with: field(5, of: s.rrsig)), with: field(4, of: s.rrsig))
        let v = try verdict(s, rrsig: inverted)
        guard case .datesInverted? = v.problem else { Issue.record("\(v)"); return }
        #expect(v.problem!.sentence(SignatureClock()).contains("the dates are inverted"))
    }

    /// The trial's signer.zone: the signer name changed, the key with the tag is at the apex.
    @Test func aWrongSignerNameIsSaid() throws {
        let s = try Self.sign(inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        let v = try verdict(s, rrsig: replacing(field: 7, in: s.rrsig, with: "fabrikam.com."))
        let tag = try #require(UInt16(field(6, of: s.rrsig)))
        #expect(v.problem == .signerMismatch(signer: "fabrikam.com.", keyOwner: "contoso.com.", keyTag: tag), "\(v)")
    }

    /// The trial's short-sig.zone ("General memory error") and huge-sig.zone ("Error in SSL
    /// library", RSA): the size and the algorithm, not ldns's raw words.
    @Test func malformedSignaturesAreSaid() throws {
        let ecdsa = try Self.sign(inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        let short = try verdict(ecdsa, rrsig: replacing(field: 8, in: ecdsa.rrsig, with: "AA=="))
        #expect(short.problem == .malformedSignature(bytes: 1, algorithm: 13), "\(short)")
        let rsa = try Self.sign(algorithm: "RSASHA256", inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        #expect(try verdict(rsa).status == .secure)
        let huge = Data(repeating: 0x5A, count: 1000).base64EncodedString()
        let v = try verdict(rsa, rrsig: replacing(field: 8, in: rsa.rrsig, with: huge))
        #expect(v.problem == .malformedSignature(bytes: 1000, algorithm: 8), "\(v)")
        #expect(v.problem?.sentence(SignatureClock()) == "the RRSIG's signature is malformed (1000 bytes for algorithm 8, not the length of the key's modulus)")
        #expect(short.problem?.sentence(SignatureClock()) == "the RRSIG's signature is malformed (1 bytes for algorithm 13, whose signatures are 64 bytes)")
    }

    /// The trial's alg253.zone: an algorithm ldns does not support is insecure (RFC 4035 §5.2,
    /// RFC 6840 §5.2), live and in files.
    @Test func anUnsupportedAlgorithmIsInsecure() throws {
        let s = try Self.sign(inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        let key = s.key.replacingOccurrences(of: " DNSKEY 257 3 13 ", with: " DNSKEY 257 3 253 ")
        let v = try verdict(s, rrsig: replacing(field: 1, in: s.rrsig, with: "253"), key: key)
        #expect(v == DNSSECVerdict(status: .insecure), "\(v)")
    }

    /// The retrial's rrsig253-only.zone: the zone's keys are of algorithm 13 and one RRSIG
    /// says 253. No key can verify it, so validators answer SERVFAIL: bogus, not insecure.
    @Test func anRRSIGOfAnotherAlgorithmThanTheKeysIsBogus() throws {
        let s = try Self.sign(inception: Self.stamp(days: -1), expiration: Self.stamp(days: 30))
        let v = try verdict(s, rrsig: replacing(field: 1, in: s.rrsig, with: "253"))
        let tag = try #require(UInt16(field(6, of: s.rrsig)))
        #expect(v == DNSSECVerdict(status: .bogus, problem: .algorithmMismatch(keyTag: tag, algorithm: 253, keyAlgorithm: 13)), "\(v)")
        #expect(v.problem?.sentence(SignatureClock()).contains("is of algorithm 13 and none of algorithm 253 is published") == true)
        // A supported algorithm that is not the key's is as bogus.
        let eight = try verdict(s, rrsig: replacing(field: 1, in: s.rrsig, with: "8"))
        #expect(eight.status == .bogus, "\(eight)")
    }
}

/// The live path bounds a zone's DNSKEY set as zone files do: more than 16 keys in the
/// servers' answers make the set bogus, saying how many, without verifying it.
@Suite struct LiveKeySetBoundTests {
    static let example = RuleCatalog.named("dnssec-bogus")!.nonTriggeringExamples[0]
    /// 2030-01-01, inside the example's signatures (2026 to 2037).
    static let time: UInt32 = 1_893_456_000

    func record(_ line: Substring) -> DNSRecord {
        let parts = line.split(separator: " ").map(String.init)
        return DNSRecord(owner: parts[0], type: parts[3], ttl: UInt32(parts[1]) ?? 3600, rdata: Array(parts[4...]))
    }

    func learn(extraKeys: Int) -> TrustChain.ZoneKeys {
        let lines = Self.example.split(separator: "\n").filter { $0.hasPrefix("contoso.com. ") }
        var records = lines.map(record)
        let key = lines.first { $0.contains(" DNSKEY 257 ") }!
        for n in 0..<extraKeys {
            records.append(record(Substring(key.replacingOccurrences(of: " DNSKEY 257 3 13 ", with: " DNSKEY \(258 + n * 2) 3 13 "))))
        }
        let chain = TrustChain(anchors: TrustAnchors(byZone: [:], file: ""), clock: SignatureClock(now: Self.time))
        return chain.learn("contoso.com.", [DNSAnswer(rcode: .noError, authoritative: true, records: records)])
    }

    @Test func moreThanSixteenKeysAreNotVerified() {
        if case .keys = learn(extraKeys: 0) {} else { Issue.record("the example's key set verifies") }
        guard case .bogus(let problem) = learn(extraKeys: 20) else { Issue.record("not bogus"); return }
        #expect(problem == .keySet(keyTag: nil, .tooManyKeys(count: 21, limit: 16)))
        #expect(problem.keySetSentence(SignatureClock()).contains("the zone's DNSKEY set has 21 keys, more than the 16 fedplan reads"))
    }
}
