/// Where something was written: a file, and a 1-based line and column when known.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `fedplan.yaml:12:5`, the form compilers, editors and CI annotations understand. The file
    /// name may come from a zone file's `$INCLUDE`: escaped like any untrusted text.
    public var description: String {
        var text = Escape.text(file)
        if let line { text += ":\(line)" }
        if let line, line > 0, let column { text += ":\(column)" }
        return text
    }
}

/// A value together with where the description wrote it, so that findings can point there.
public struct Located<Value: Sendable & Hashable>: Hashable, Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A problem that stops a description (or another input file) from being used: exit code 2.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// What to write instead, when we can guess it.
    public var suggestion: String?

    public init(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        self.location = location
        self.message = message
        self.suggestion = suggestion
    }

    /// `fedplan.yaml:3:1: error: unknown key 'sip_domain'; did you mean 'sip_domains'?`
    public var description: String {
        var text = "\(location): error: \(Escape.text(message))"
        if let suggestion { text += "; \(Escape.text(suggestion))" }
        return text
    }
}

/// Every problem found in one input, in file order.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
