import FedplanFuzz
import Foundation
import Testing

/// The fuzz targets with a fixed seed, on every test run: each committed seed and regression
/// input as it is, then a fixed number of mutants of them. Long runs with coverage guidance are
/// scripts/fuzz.sh; this keeps what they found from coming back. A target that crashes or
/// breaks an output promise stops the test process.
@Suite struct FuzzTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func seeds(_ target: FuzzTarget) throws -> [[UInt8]] {
        var inputs: [[UInt8]] = []
        for folder in target.seedFolders {
            let url = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where target.isSeed(file.path) {
                inputs.append(Array(try Data(contentsOf: file)))
            }
        }
        return inputs
    }

    @Test(arguments: [(FuzzTarget.description, 3000), (.zoneFile, 3000), (.answer, 8000)])
    func fixedSeedRun(_ target: FuzzTarget, mutants: Int) throws {
        let seeds = try Self.seeds(target)
        #expect(seeds.count >= 10, "the committed corpus of \(target.rawValue) is missing")
        for input in seeds { target.run(input) }
        var mutator = Mutator(seed: 0x5EED_F00D, dictionary: Mutator.tokens[target] ?? [])
        for _ in 0..<mutants { target.run(mutator.mutate(seeds)) }
    }

    @Test func mutatorIsDeterministic() {
        var a = Mutator(seed: 7, dictionary: ["x"]), b = Mutator(seed: 7, dictionary: ["x"])
        let seeds: [[UInt8]] = [Array("hello world".utf8), Array("$ORIGIN a.".utf8)]
        #expect((0..<50).map { _ in a.mutate(seeds) } == (0..<50).map { _ in b.mutate(seeds) })
    }
}

/// libFuzzer's simple mutations, driven by SplitMix64 so that a run is the same every time.
struct Mutator {
    private var state: UInt64
    let dictionary: [[UInt8]]

    static let tokens: [FuzzTarget: [String]] = [
        .description: ["&a ", "*a", "<<: *a", "? *a\n: 1\n", "? &k [x, x]\n: 1\n", "{*a: 1}", "- ", "[", "]", "{", "}", "\"", "'", "!!binary ", "---\n", "\n  ", ": ",
                       "\u{0}", "\u{1B}[31m", "\u{202E}", "\u{FF}", "sip_domains: [", "access_ip: ", "ttl: 99999999999"],
        .zoneFile: ["$ORIGIN ", "$TTL ", "$INCLUDE ", "$INCLUDE input.zone\n", "@", " IN ", " SRV ", " CNAME ", "(", ")", ";",
                    "\\000", "\\027", "\\.", "\"", "\n", "_sipfederationtls._tcp", "sip.contoso.com", " 0 0 5061 ",
                    String(repeating: "a", count: 64) + "."],
        .answer: ["\u{C0}\u{0C}", "\u{0}\u{5}", "\u{0}\u{21}", "\u{FF}\u{FF}", "\u{0}"],
    ].mapValues { $0 }

    init(seed: UInt64, dictionary: [String]) {
        state = seed
        self.dictionary = dictionary.map { Array($0.utf8) }
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// One to four mutations of a random seed.
    mutating func mutate(_ seeds: [[UInt8]]) -> [UInt8] {
        var bytes = seeds[below(seeds.count)]
        for _ in 0...below(4) {
            let at = below(bytes.count + 1)
            switch below(7) {
            case 0 where !bytes.isEmpty:  // flip a bit
                let i = below(bytes.count)
                bytes[i] ^= 1 << UInt8(below(8))
            case 1 where !bytes.isEmpty:  // an interesting byte
                bytes[below(bytes.count)] = [0, 0xFF, 0x7F, 0x80, 0x0A, 0x1B, 0x3F, 0xC0][below(8)]
            case 2:  // insert random bytes
                bytes.insert(contentsOf: (0...below(8)).map { _ in UInt8(truncatingIfNeeded: next()) }, at: at)
            case 3 where !bytes.isEmpty:  // delete a range
                let end = min(bytes.count, at + 1 + below(16))
                if at < end { bytes.removeSubrange(at..<end) }
            case 4 where !bytes.isEmpty:  // duplicate a range (repetition finds quadratic paths)
                let start = below(bytes.count)
                let piece = bytes[start..<min(bytes.count, start + 1 + below(64))]
                bytes.insert(contentsOf: Array(repeating: Array(piece), count: 1 + below(8)).joined(), at: at)
            case 5:  // splice in part of another seed
                let other = seeds[below(seeds.count)]
                if !other.isEmpty {
                    let start = below(other.count)
                    bytes.insert(contentsOf: other[start..<min(other.count, start + 1 + below(128))], at: at)
                }
            default:  // a token
                if !dictionary.isEmpty { bytes.insert(contentsOf: dictionary[below(dictionary.count)], at: at) }
            }
        }
        return Array(bytes.prefix(65536))
    }
}
