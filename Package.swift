// swift-tools-version: 6.0
// fedplan is free software: GPL-3.0-or-later (it links Knot DNS's zone scanner, GPL-3.0-or-later).
import PackageDescription

let package = Package(
    name: "fedplan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fedplan", targets: ["fedplan"]),
        .library(name: "FedplanCore", targets: ["FedplanCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Model, loader, planner, rules, findings, renderers. No ldns, no network, no file writes.
        .target(
            name: "FedplanCore",
            dependencies: ["CIDN2", .product(name: "Yams", package: "Yams")]
        ),
        // libidn2: IDNA2008 with UTS #46 mapping, for every internationalized name.
        .systemLibrary(
            name: "CIDN2",
            pkgConfig: "libidn2",
            providers: [.apt(["libidn2-dev"])]
        ),
        // The C library ldns, through pkg-config.
        .systemLibrary(
            name: "CLDNS",
            pkgConfig: "ldns",
            providers: [.apt(["libldns-dev"])]
        ),
        // Small Swift types over ldns (the wire, queries) and libzscanner (zone files); the C
        // memory of each is owned in one file.
        .target(
            name: "FedplanDNS",
            dependencies: ["CLDNS", "CZScanner", "FedplanCore"]
        ),
        // Knot DNS's zone scanner, the parser behind kzonecheck: reads every zone file.
        .systemLibrary(
            name: "CZScanner",
            pkgConfig: "libzscanner",
            providers: [.apt(["libknot-dev"])]
        ),
        // OpenSSL, for reading the certificates Edges present (`cert check`).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // TLS connections (direct, and XMPP STARTTLS) and certificates as core values; DANE
        // (TLSA records made and compared by ldns's DANE functions over OpenSSL certificates).
        .target(
            name: "FedplanTLS",
            dependencies: ["COpenSSL", "CLDNS", "FedplanCore", "FedplanDNS"]
        ),
        // The command-line tool: argument parsing and file I/O only.
        .executableTarget(
            name: "fedplan",
            dependencies: [
                "FedplanCore",
                "FedplanDNS",
                "FedplanTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fuzz targets: untrusted input in, every output checked. Run by `fedplan-fuzz` under
        // libFuzzer (scripts/fuzz.sh) and with a fixed seed by the test suite.
        .target(
            name: "FedplanFuzz",
            dependencies: ["FedplanCore", "FedplanDNS"]
        ),
        // Built normally: replays inputs through a target (for crash files). Built by
        // scripts/fuzz.sh with -DFUZZING -sanitize=fuzzer: the libFuzzer entry point instead.
        .executableTarget(
            name: "fedplan-fuzz",
            dependencies: ["FedplanFuzz"]
        ),
        .testTarget(name: "FedplanCoreTests", dependencies: ["FedplanCore"]),
        .testTarget(name: "FedplanDNSTests", dependencies: ["FedplanDNS", "FedplanCore", "FedplanFuzz"]),
        // Runs the built `fedplan` binary against real tools: nsd-checkzone, named-checkzone,
        // kzonecheck, knotd + nsupdate.
        .testTarget(
            name: "FedplanCLITests",
            dependencies: ["fedplan", "FedplanCore", "FedplanDNS", .product(name: "Yams", package: "Yams")]
        ),
    ]
)
