import FedplanCore
import FedplanDNS
import Foundation

/// The fuzz targets: each feeds one untrusted input through the code that reads it and on
/// through every renderer, then checks what came out (`OutputCheck`). A crash, a trap, or a
/// broken promise about the output stops the fuzzer with the input that did it.
///
/// libFuzzer calls them through `fedplan-fuzz` built with `-sanitize=fuzzer` (scripts/fuzz.sh);
/// the test suite calls them directly with a fixed seed (`FuzzTests`).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A deployment description (YAML or JSON) through the loader, the planner and the rules.
    case description
    /// A zone file through the ldns reader and the zone-file check.
    case zoneFile = "zone-file"
    /// A DNS reply from a server through ldns and the conversion into our values, then the checker.
    case answer

    /// Folders of the committed seed corpus, relative to the package root.
    public var seedFolders: [String] {
        switch self {
        case .description: ["examples", "Tests/Fixtures/invalid", "Tests/Fixtures/fuzz/description"]
        case .zoneFile: ["Tests/Fixtures/zones", "Tests/Fixtures/fuzz/zone-file"]
        case .answer: ["Tests/Fixtures/fuzz/answer"]
        }
    }

    /// Which files of the seed folders are inputs for this target.
    public func isSeed(_ path: String) -> Bool {
        switch self {
        case .description: path.hasSuffix(".yaml") || path.hasSuffix(".json") || path.contains("/fuzz/description/")
        case .zoneFile: path.hasSuffix(".zone") || path.contains("/fuzz/zone-file/")
        case .answer: path.hasSuffix(".bin")
        }
    }

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .description: DescriptionFuzz.run(bytes)
        case .zoneFile: ZoneFileFuzz.run(bytes)
        case .answer: AnswerFuzz.run(bytes)
        }
    }
}

/// The plan the zone-file and answer targets check against (the zone-file corpus's description).
enum FuzzPlan {
    static let text = """
        version: 1
        organization: Contoso
        ttl: 3600
        sip_domains: [contoso.com]
        edge:
          access_edge: sip.contoso.com
          servers:
            - name: edge01
              access_ip: [131.107.155.10]
            - name: edge02
              access_ip: [131.107.155.11]
        federation:
          xmpp:
            domains: [contoso.com]
            partners:
              - domain: jabber.example.org
                type: federated
        """

    static let plan: Plan = {
        guard case .success(let deployment) = DescriptionLoader.load(text: text, file: "fedplan.yaml"),
              let plan = try? Planner.plan(deployment) else { fatalError("the fuzz plan does not load") }
        return plan
    }()
}
