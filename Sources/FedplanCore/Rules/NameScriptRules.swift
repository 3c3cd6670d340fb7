/// Look-alike names. IDNA2008 accepts `contоso.com` with a Cyrillic `о`: a valid name, and a
/// different one from `contoso.com`, so records published there serve nobody (or somebody
/// else). A label that mixes scripts is warned about; a planned name that looks like another
/// planned name is an error.
enum Scripts {
    enum Script: Hashable { case latin, greek, cyrillic, armenian, hebrew, arabic, han, kana, hangul, other }

    /// The script of a letter; nil for what belongs to every script (digits, hyphen, marks).
    static func of(_ scalar: Unicode.Scalar) -> Script? {
        let v = scalar.value
        switch v {
        case 0x30...0x39, 0x2D, 0x5F: return nil
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: return .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: return .greek
        case 0x400...0x52F, 0x2DE0...0x2DFF, 0xA640...0xA69F: return .cyrillic
        case 0x530...0x58F: return .armenian
        case 0x590...0x5FF: return .hebrew
        case 0x600...0x6FF, 0x750...0x77F: return .arabic
        case 0x3400...0x4DBF, 0x4E00...0x9FFF: return .han
        case 0x3040...0x30FF: return .kana
        case 0x1100...0x11FF, 0xAC00...0xD7AF: return .hangul
        default:
            return scalar.properties.generalCategory == .nonspacingMark || scalar.properties.numericType != nil ? nil : .other
        }
    }

    /// The scripts of a label when they are a mix no single writing system uses (Japanese mixes
    /// Han and kana, Korean Han and Hangul, UTS #39); nil otherwise.
    static func mixed(_ label: String) -> Set<Script>? {
        var scripts = Set(label.unicodeScalars.compactMap(of))
        scripts.remove(.other)
        if scripts.isSubset(of: [.han, .kana]) || scripts.isSubset(of: [.han, .hangul]) { return nil }
        return scripts.count > 1 ? scripts : nil
    }

    /// Cyrillic and Greek letters drawn like Latin ones (lower case: names are lower case).
    static let lookAlikes: [Unicode.Scalar: Character] = [
        "а": "a", "в": "b", "е": "e", "ё": "e", "і": "i", "ї": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
        "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
        "һ": "h", "ӏ": "l", "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
        "τ": "t", "υ": "u", "χ": "x", "ω": "w",
    ]

    /// The name as it looks: Unicode labels with look-alike letters replaced by Latin ones.
    static func skeleton(_ name: DomainName) -> String {
        name.labels.map { label in
            String(IDNA.toUnicode(label).unicodeScalars.map { lookAlikes[$0] ?? Character($0) })
        }.joined(separator: ".")
    }

    /// Every name the plan publishes or points at, with where it comes from.
    static func plannedNames(_ plan: Plan) -> [(name: DomainName, origin: SourceLocation)] {
        var seen: Set<DomainName> = []
        var names: [(DomainName, SourceLocation)] = []
        for record in plan.records {
            if seen.insert(record.name).inserted { names.append((record.name, record.origin)) }
            if case .srv(let srv) = record.data, seen.insert(srv.target).inserted { names.append((srv.target, record.origin)) }
        }
        return names
    }
}

public enum NameMixedScriptsRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "name-mixed-scripts", severity: .warning, scope: .description,
        summary: "a label of a planned name mixes letters of different scripts",
        rationale: "A Cyrillic о in contоso.com looks like the Latin o but makes another name: partners looking up the real name never find these records. Mixed scripts in one label are almost always a mistake or a spoof (Unicode Technical Standard #39).",
        source: "RFC 5890 and Unicode Technical Standard #39 (mixed-script detection)",
        triggeringExamples: [Example.description(sipDomains: "[contоso.com]", edge: "sip.contоso.com")],
        nonTriggeringExamples: [Example.description(sipDomains: "[bücher.example]", edge: "sip.bücher.example")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        // A name without an A-label is plain ASCII: Latin only, nothing to look at.
        Scripts.plannedNames(plan).compactMap { entry in
            guard entry.name.description.contains("xn--") else { return nil }
            let labels = entry.name.labels.map(IDNA.toUnicode)
            guard let label = labels.first(where: { Scripts.mixed($0) != nil }) else { return nil }
            return finding(entry.name.description,
                           "the label '\(Escape.text(label))' of \(labels.joined(separator: ".")) mixes scripts; it looks like a Latin name but is a different one",
                           observed: Escape.text(label), at: entry.origin)
        }
    }
}

public enum NameHomographRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "name-homograph", severity: .error, scope: .description,
        summary: "two planned names look the same but are different names",
        rationale: "Records published at a look-alike of the real name answer nobody who types or configures the real one: one of the two is a typo in another script.",
        source: "RFC 5890 and Unicode Technical Standard #39 (confusable detection)",
        triggeringExamples: [Example.description(sipDomains: "[contoso.com, contоso.com]")],
        nonTriggeringExamples: [Example.description(sipDomains: "[contoso.com, fabrikam.com]")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        let names = Scripts.plannedNames(plan)
        // A plain ASCII name is its own skeleton; only names with A-labels can look like another.
        var bySkeleton: [String: DomainName] = [:]
        for entry in names where !entry.name.description.contains("xn--") { bySkeleton[entry.name.text] = entry.name }
        var findings: [Finding] = []
        for entry in names where entry.name.description.contains("xn--") {
            let skeleton = Scripts.skeleton(entry.name)
            guard let other = bySkeleton[skeleton] else {
                bySkeleton[skeleton] = entry.name
                continue
            }
            let shown = entry.name.labels.map(IDNA.toUnicode).joined(separator: ".")
            findings.append(finding(entry.name.description,
                                    "\(Escape.text(shown)) (\(entry.name)) looks the same as the planned \(other) but is a different name",
                                    expected: other.description, observed: entry.name.description, at: entry.origin))
        }
        return findings
    }
}
