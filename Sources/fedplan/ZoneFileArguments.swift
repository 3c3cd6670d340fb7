import FedplanCore
import FedplanDNS

/// Pairs each `--origin` with the `--zone-file` before it. argument-parser keeps the values of
/// each option in order but not the order between two options, so the pairing reads the
/// command line itself, and checks that it saw exactly the values argument-parser parsed.
enum ZoneFileArguments {
    struct Problem: Error {
        let message: String
    }

    /// `arguments`: the command line after the program's name. `files` and `origins`: the values
    /// argument-parser parsed, in order.
    static func pair(arguments: [String], files: [String], origins: [String]) throws(Problem) -> [ZoneFileReader.Input] {
        var order: [(isFile: Bool, value: String)] = []
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--" { break }
            for (option, isFile) in [("--zone-file", true), ("--origin", false)] {
                if a == option, i + 1 < arguments.count {
                    order.append((isFile, arguments[i + 1]))
                    i += 1
                } else if a.hasPrefix(option + "=") {
                    order.append((isFile, String(a.dropFirst(option.count + 1))))
                }
            }
            i += 1
        }
        guard order.filter(\.isFile).map(\.value) == files, order.filter({ !$0.isFile }).map(\.value) == origins else {
            throw Problem(message: "could not tell which --origin belongs to which --zone-file; write each as `--zone-file FILE --origin ZONE`")
        }
        var inputs = files.map { ZoneFileReader.Input(path: $0, origin: nil) }
        var current: Int?
        var seenFiles = 0
        for entry in order {
            if entry.isFile {
                current = seenFiles
                seenFiles += 1
                continue
            }
            let origin = absolute(entry.value)
            // One file and one origin before it: unambiguous, and how earlier versions were used.
            let target = current ?? (files.count == 1 && origins.count == 1 ? 0 : nil)
            guard let target else {
                throw Problem(message: "--origin \(entry.value) comes before any --zone-file; an --origin names the zone of the --zone-file before it: --zone-file FILE --origin \(entry.value)")
            }
            if let earlier = inputs[target].origin {
                throw Problem(message: "two origins for --zone-file \(files[target]) (\(earlier) and \(origin)); give one --origin after each --zone-file")
            }
            inputs[target].origin = origin
        }
        return inputs
    }

    /// `contoso.com` → `contoso.com.`, lower case.
    static func absolute(_ zone: String) -> String {
        zone.hasSuffix(".") ? zone.lowercased() : zone.lowercased() + "."
    }
}
