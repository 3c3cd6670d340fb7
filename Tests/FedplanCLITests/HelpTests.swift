import XCTest

/// Help and version are part of the interface: every command has --help with examples.
final class HelpTests: XCTestCase {
    func testEveryCommandHasHelpWithExamples() throws {
        for command in [["init"], ["validate"], ["dns", "plan"], ["dns", "export"], ["rules"]] {
            let result = try FedplanCLITests.run(fedplanBinary, command + ["--help"])
            XCTAssertEqual(result.code, 0, "\(command)")
            XCTAssertTrue(result.stdout.contains("Example"), "\(command) --help shows examples")
        }
    }

    func testVersion() throws {
        let result = try FedplanCLITests.run(fedplanBinary, ["--version"])
        XCTAssertEqual(result.code, 0)
        // The version alone on the first line (scripts read it), then the licence.
        XCTAssertEqual(result.stdout.split(separator: "\n").first, "0.1.0")
        XCTAssertTrue(result.stdout.contains("Licence: GPL-3.0-or-later"))
    }
}
