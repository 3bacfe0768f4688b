// A text message with `{Name}`-style placeholders, as written in the configuration.
//
// Syntax:
//   {Name}        replaced by the value named Name (names ignore case: {name} and {NAME} are the same)
//   {Name|there}  "there" when Name has no value; `{Name|}` renders nothing in that case
//   {{ and }}     a literal { and }
// A name starts with a letter or underscore and continues with letters, digits, _ . or -. Spaces just
// inside the braces and around `|` are ignored. A lone `{` or `}` is an error, so a brace meant as
// text is noticed when the configuration loads, not when a customer receives "{Nmae}".

public struct MessageTemplate: Sendable, Hashable, CustomStringConvertible {
    public struct Placeholder: Sendable, Hashable {
        /// As written (case kept); resolution ignores case.
        public let name: String
        public let defaultValue: String?
        /// Column of the opening `{`, 0-based, in Unicode scalars (as YAML marks count).
        public let offset: Int

        public init(name: String, defaultValue: String?, offset: Int) {
            self.name = name
            self.defaultValue = defaultValue
            self.offset = offset
        }
    }

    enum Segment: Sendable, Hashable {
        case text(String)
        case placeholder(Placeholder)
    }

    public let source: String
    let segments: [Segment]

    public init(parsing source: String) throws(TemplateError) {
        self.source = source
        self.segments = try Self.parse(source)
    }

    /// A template that renders `text` exactly, braces included (its source escapes them).
    public init(text: String) {
        self.source = Self.escaping(text)
        self.segments = text.isEmpty ? [] : [.text(text)]
    }

    public static func == (lhs: MessageTemplate, rhs: MessageTemplate) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
    public var description: String { source }

    public var placeholders: [Placeholder] {
        segments.compactMap { if case .placeholder(let p) = $0 { p } else { nil } }
    }

    /// `text` with its braces doubled, so it renders as itself inside a template.
    public static func escaping(_ text: String) -> String {
        text.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
    }

    /// Fills every placeholder from `resolve` (called with the name as written). A value that is nil
    /// or blank falls back to the default; with no default the render fails, naming every unfilled
    /// placeholder and no values, so a text never goes out with a greeting like "Hi ,".
    public func render(_ resolve: (String) -> String?) -> Result<String, TemplateRenderError> {
        var output = ""
        var missing: [String] = []
        for segment in segments {
            switch segment {
            case .text(let text):
                output += text
            case .placeholder(let placeholder):
                if let value = resolve(placeholder.name), !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    output += value
                } else if let fallback = placeholder.defaultValue {
                    output += fallback
                } else if !missing.contains(placeholder.name) {
                    missing.append(placeholder.name)
                }
            }
        }
        if let first = missing.first {
            return .failure(TemplateRenderError(placeholder: first, missing: missing))
        }
        return .success(output)
    }

    // MARK: parsing

    private static func parse(_ source: String) throws(TemplateError) -> [Segment] {
        let scalars = Array(source.unicodeScalars)
        var segments: [Segment] = []
        var text = String.UnicodeScalarView()
        var i = 0
        func flush() {
            if !text.isEmpty { segments.append(.text(String(text))) }
            text = String.UnicodeScalarView()
        }
        while i < scalars.count {
            let c = scalars[i]
            let next: Unicode.Scalar? = i + 1 < scalars.count ? scalars[i + 1] : nil
            if c == "{", next == "{" {
                text.append("{")
                i += 2
            } else if c == "}", next == "}" {
                text.append("}")
                i += 2
            } else if c == "}" {
                throw TemplateError("a lone '}'; write }} for a literal brace", offset: i)
            } else if c == "{" {
                guard let close = scalars[(i + 1)...].firstIndex(of: "}") else {
                    throw TemplateError("'{' is never closed; close the placeholder with } or write {{ for a literal brace", offset: i)
                }
                if let nested = scalars[(i + 1)..<close].firstIndex(of: "{") {
                    throw TemplateError("'{' inside a placeholder; placeholders cannot nest", offset: nested)
                }
                let body = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                flush()
                segments.append(.placeholder(try placeholder(body, offset: i)))
                i = close + 1
            } else {
                text.append(c)
                i += 1
            }
        }
        flush()
        return segments
    }

    private static func placeholder(_ body: String, offset: Int) throws(TemplateError) -> Placeholder {
        let name: String
        let defaultValue: String?
        if let bar = body.firstIndex(of: "|") {
            name = body[..<bar].trimmingCharacters(in: .whitespaces)
            defaultValue = body[body.index(after: bar)...].trimmingCharacters(in: .whitespaces)
        } else {
            name = body.trimmingCharacters(in: .whitespaces)
            defaultValue = nil
        }
        guard !name.isEmpty else {
            throw TemplateError("empty placeholder; write a name such as {Name}, or {{}} for literal braces", offset: offset)
        }
        guard isValidPlaceholderName(name) else {
            throw TemplateError(
                "'{\(body)}' is not a placeholder: a name uses letters, digits, _ . or -, as in {Name} or {Name|there}; write {{ and }} for literal braces",
                offset: offset)
        }
        return Placeholder(name: name, defaultValue: defaultValue, offset: offset)
    }

    /// Whether `name` can be written as a placeholder: `{name}`.
    public static func isValidPlaceholderName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { c in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "." || c == "-")
        }
    }
}

/// Why a template cannot be parsed; `offset` is the 0-based column (Unicode scalars) in its source.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "column \(offset + 1): \(message)" }
}

/// A render that could not fill a placeholder. Names the placeholders, never any values.
public struct TemplateRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first unfilled placeholder, as written in the template.
    public let placeholder: String
    /// Every unfilled placeholder, in order of appearance.
    public let missing: [String]

    public init(placeholder: String, missing: [String]) {
        self.placeholder = placeholder
        self.missing = missing
    }

    public var description: String {
        let names = missing.map { "{\($0)}" }.joined(separator: ", ")
        return "no value for \(names) and no default"
    }
}
