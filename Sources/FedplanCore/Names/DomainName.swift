import Foundation

/// An absolute domain name in presentation form: lower-case ASCII labels (Unicode labels are
/// converted to their `xn--` form), compared case-insensitively, printed with the trailing dot.
public struct DomainName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// `sip.contoso.com.`, the root `.`: the only storage, so that a plan of 100,000 names holds
    /// one string per name, and printing, hashing and comparing a name allocate nothing.
    public let description: String

    /// The root name `.`; never produced by `parse`, used as a sentinel for SRV "no service".
    public static let root = DomainName(uncheckedLabels: [])

    public init(uncheckedLabels labels: [String]) {
        description = labels.isEmpty ? "." : labels.joined(separator: ".") + "."
    }

    /// From the absolute text of a name already checked (`sip.contoso.com.`).
    private init(absolute: String) {
        description = absolute
    }

    /// Labels from the leftmost to the top-level one, lower-case ASCII.
    public var labels: [String] {
        description == "." ? [] : description.utf8.dropLast().split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }

    /// The labels joined, without the trailing dot.
    public var text: String { String(bare) }

    /// `text` without a copy: a view of `description` less its final dot.
    /// (Cut on the UTF-8 view: `dropLast()` on a String walks grapheme clusters.)
    public var bare: Substring { description[..<description.utf8.index(before: description.utf8.endIndex)] }

    public static func == (lhs: DomainName, rhs: DomainName) -> Bool { lhs.description == rhs.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }

    /// Parses a name written with or without the trailing dot.
    /// Description names are host or domain names: letters, digits and hyphens (RFC 1123);
    /// `allowUnderscore` admits service labels such as `_sip` for names read from DNS data.
    public static func parse(_ text: String, allowUnderscore: Bool = false) -> Result<DomainName, NameProblem> {
        if let name = plainASCII(text, allowUnderscore: allowUnderscore) { return .success(name) }
        var body = Substring(text)
        if body.hasSuffix(".") { body = body.dropLast() }
        if body.isEmpty { return .failure(.empty) }
        if body.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" }) {
            return .failure(.whitespace)
        }
        var labels: [String] = []
        for raw in body.split(separator: ".", omittingEmptySubsequences: false) {
            if raw.isEmpty { return .failure(.emptyLabel) }
            switch Self.asciiLabel(String(raw), allowUnderscore: allowUnderscore) {
            case .success(let label): labels.append(label)
            case .failure(let problem): return .failure(problem)
            }
        }
        let length = labels.reduce(labels.count - 1) { $0 + $1.utf8.count }
        if length > 253 { return .failure(.nameTooLong(octets: length)) }
        if labels.count < 2 { return .failure(.singleLabel) }
        if labels.last!.allSatisfy(\.isNumber) {
            return .failure(.numericTopLevel)
        }
        return .success(DomainName(uncheckedLabels: labels))
    }

    /// The common case in one pass over the bytes: a valid name of plain LDH labels (no IDNA
    /// needed). Nil for anything else, which the full parse then accepts or explains; a
    /// hosting provider's description holds tens of thousands of names.
    /// Read from the string's contiguous UTF-8 and written straight into the new string's
    /// storage: iterating the UTF-8 view and appending to an array first, then copying that
    /// into a String, cost 2,200 instructions for a 20-byte name.
    private static func plainASCII(_ text: String, allowUnderscore: Bool) -> DomainName? {
        var text = text
        return text.withUTF8 { input -> DomainName? in
            // Every byte kept is one byte out: more than 254 in (253 and a final dot) is too long.
            guard input.count <= 254 else { return nil }
            var valid = true
            let absolute = String(unsafeUninitializedCapacity: input.count + 1) { out -> Int in
                var k = 0, labelStart = 0, labels = 0
                for b in input {
                    switch b {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): out[k] = b
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"): out[k] = b + 32
                    case UInt8(ascii: "_") where allowUnderscore: out[k] = b
                    case UInt8(ascii: "."):
                        guard endsLabel(out, start: labelStart, end: k) else { valid = false; return 0 }
                        labels += 1
                        out[k] = b
                        labelStart = k + 1
                    default: valid = false; return 0
                    }
                    k += 1
                }
                if labelStart < k {  // written without the final dot
                    guard endsLabel(out, start: labelStart, end: k) else { valid = false; return 0 }
                    labels += 1
                    out[k] = UInt8(ascii: ".")
                    k += 1
                }
                guard labels >= 2, k - 1 <= 253 else { valid = false; return 0 }
                // The top-level label is not all digits.
                var i = k - 2, allDigits = true
                while i >= 0, out[i] != UInt8(ascii: ".") {
                    if out[i] < UInt8(ascii: "0") || out[i] > UInt8(ascii: "9") { allDigits = false }
                    i -= 1
                }
                if allDigits { valid = false; return 0 }
                return k
            }
            return valid ? DomainName(absolute: absolute) : nil
        }
    }

    /// The label `out[start..<end]` is 1–63 octets, with no hyphen at an edge and no `--` in
    /// positions 3 and 4 (A-labels and reserved forms go through libidn2).
    private static func endsLabel(_ out: UnsafeMutableBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
        let count = end - start
        guard count >= 1, count <= 63, out[start] != UInt8(ascii: "-"), out[end - 1] != UInt8(ascii: "-") else { return false }
        return count < 4 || out[start + 2] != UInt8(ascii: "-") || out[start + 3] != UInt8(ascii: "-")
    }

    private static func asciiLabel(_ raw: String, allowUnderscore: Bool) -> Result<String, NameProblem> {
        var label = raw.lowercased()
        // Plain ASCII host labels need no IDNA processing; anything else goes through libidn2:
        // Unicode, A-labels (`xn--` must decode) and the reserved `--` in positions 3 and 4.
        let reservedHyphens = label.utf8.count >= 4 && label.utf8.dropFirst(2).starts(with: "--".utf8)
        if !raw.utf8.allSatisfy({ $0 < 0x80 }) || reservedHyphens {
            switch IDNA.toASCII(raw) {
            case .success(let ascii): label = ascii.lowercased()
            case .failure(let refusal): return .failure(.idna(label: raw, reason: refusal.reason))
            }
        }
        if label.utf8.count > 63 { return .failure(.labelTooLong(label: raw, octets: label.utf8.count)) }
        for scalar in label.unicodeScalars {
            let ok = (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") || scalar == "-"
                || (allowUnderscore && scalar == "_")
            if !ok { return .failure(.badCharacter(label: raw, character: scalar)) }
        }
        if label.hasPrefix("-") || label.hasSuffix("-") { return .failure(.hyphenAtEdge(label: raw)) }
        return .success(label)
    }

    /// Length in presentation form without the trailing dot (the limit is 253).
    public var octets: Int { description.utf8.count - 1 }

    /// The name with its first label removed (`sip.contoso.com.` → `contoso.com.`).
    public var parent: DomainName {
        guard let dot = bare.utf8.firstIndex(of: UInt8(ascii: ".")) else { return .root }
        return DomainName(absolute: String(description[description.utf8.index(after: dot)...]))
    }

    /// True when `self` equals `other` or lies below it.
    public func isSubdomain(of other: DomainName) -> Bool {
        other.description == "." || description == other.description
            || description.utf8.count > other.description.utf8.count && description.hasSuffix("." + other.description)
    }

    /// The name relative to `zone` (`@` for the apex); `self` must be inside `zone`.
    public func relative(to zone: DomainName) -> String {
        if description == zone.description { return "@" }
        if zone.description == "." { return text }
        return String(decoding: description.utf8.dropLast(zone.description.utf8.count + 1), as: UTF8.self)
    }

    /// A new name with `labels` put in front (`prepending(["_sip", "_tls"])`).
    public func prepending(_ front: [String]) -> DomainName {
        front.isEmpty ? self : prepending(front.joined(separator: "."))
    }

    /// A new name with the labels of `front` (`_sip._tls`, checked by the caller) put in front,
    /// written straight into the new string: planners call this for every record.
    public func prepending(_ front: String) -> DomainName {
        var front = front, tail = description == "." ? "" : description
        let count = front.utf8.count + 1 + tail.utf8.count
        let text = String(unsafeUninitializedCapacity: count) { out in
            var k = front.withUTF8 { out.initialize(fromContentsOf: $0) }
            out[k] = UInt8(ascii: ".")
            k += 1
            k += tail.withUTF8 { UnsafeMutableBufferPointer(rebasing: out[k...]).initialize(fromContentsOf: $0) }
            return k
        }
        return DomainName(absolute: text)
    }

    public static func < (lhs: DomainName, rhs: DomainName) -> Bool {
        // DNS canonical order (RFC 4034 §6.1): compare from the top-level label down, on the
        // bytes of the text (no label arrays: plans sort thousands of names).
        let a = Array(lhs.description.utf8.dropLast()), b = Array(rhs.description.utf8.dropLast())
        var aEnd = a.count, bEnd = b.count
        while aEnd > 0, bEnd > 0 {
            let aStart = (a[..<aEnd].lastIndex(of: UInt8(ascii: ".")) ?? -1) + 1
            let bStart = (b[..<bEnd].lastIndex(of: UInt8(ascii: ".")) ?? -1) + 1
            let l = a[aStart..<aEnd], r = b[bStart..<bEnd]
            if l != r { return l.lexicographicallyPrecedes(r) }
            aEnd = aStart - 1
            bEnd = bStart - 1
        }
        return aEnd < bEnd
    }
}

/// Why a string is not an acceptable domain name, in words an operator can act on.
public enum NameProblem: Error, Equatable, Sendable {
    case empty, whitespace, emptyLabel, singleLabel, numericTopLevel
    case nameTooLong(octets: Int)
    case labelTooLong(label: String, octets: Int)
    case badCharacter(label: String, character: Unicode.Scalar)
    case hyphenAtEdge(label: String)
    /// IDNA2008 refuses the label; `reason` is libidn2's.
    case idna(label: String, reason: String)

    public var message: String {
        switch self {
        case .empty: return "the name is empty"
        case .whitespace: return "the name contains white space"
        case .emptyLabel: return "the name has an empty label (two dots in a row, or a leading dot)"
        case .singleLabel: return "a single-label name cannot be a public federation name; write the full name, e.g. sip.contoso.com"
        case .numericTopLevel: return "this looks like an IP address, but a name is needed here (records point at names, not addresses)"
        case .nameTooLong(let n): return "the name is \(n) octets long; at most 253 are allowed"
        case .labelTooLong(let label, let n):
            return "the label '\(Escape.text(label))' is \(n) octets long; at most 63 are allowed"
        case .badCharacter(let label, let c):
            return "the label '\(Escape.text(label))' contains \(Escape.scalarName(c)); host names use letters, digits and hyphens"
        case .hyphenAtEdge(let label):
            return "the label '\(Escape.text(label))' starts or ends with a hyphen"
        case .idna(let label, let reason):
            return "the label '\(Escape.text(label))' is not a valid internationalized label (IDNA2008): \(reason)"
        }
    }
}
