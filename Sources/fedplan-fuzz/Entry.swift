import FedplanFuzz
import Foundation

#if FUZZING
/// Under libFuzzer. SwiftPM links an executable's `main` to `fedplan_fuzz_main`, so this is the
/// process's main: it picks the target from FEDPLAN_FUZZ_TARGET (scripts/fuzz.sh sets it) and
/// hands over to libFuzzer's driver.
nonisolated(unsafe) private var target = FuzzTarget.description

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>,
                       _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

@_cdecl("fedplan_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["FEDPLAN_FUZZ_TARGET"] ?? ""
    guard let chosen = FuzzTarget(rawValue: name) else {
        fatalError("set FEDPLAN_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue))")
    }
    target = chosen
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments) { data, size in
        target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
/// `fedplan-fuzz TARGET FILE...`: runs saved inputs (a crash file, say) through a target.
@main
struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count >= 2 else {
            print("usage: fedplan-fuzz \(FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")) FILE...")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("\(path): cannot read")
                exit(2)
            }
            target.run(Array(data))
            print("\(path): ok")
        }
    }
}
#endif
