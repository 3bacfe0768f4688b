// Splits a condition into tokens, each with the column it starts at so errors can point at it.
// Dotted names ("call.voicemail.left") are one token; "90s" is a duration token, not a number and
// a name, so "2min" can be refused with the accepted spelling.

enum TokenKind: Sendable, Hashable {
    case name(String)
    case string(String)
    case number(Double)
    /// Seconds.
    case duration(Double)
    /// Operators and punctuation: == != < <= > >= && || ! ( ) [ ] , + -
    case symbol(String)
    case end
}

struct Token: Sendable, Hashable {
    var kind: TokenKind
    /// Column of the first scalar, 0-based.
    var offset: Int
}

struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    static func tokenize(_ source: String) throws(ExpressionError) -> [Token] {
        var lexer = ExpressionLexer(source)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c.isASCII && c.properties.isAlphabetic)
    }

    private static func isNameContinue(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || isDigit(c)
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

    private mutating func next() throws(ExpressionError) -> Token {
        while let c = peek(), c.properties.isWhitespace { position += 1 }
        let start = position
        guard let c = peek() else { return Token(kind: .end, offset: start) }

        if Self.isNameStart(c) { return Token(kind: .name(readName()), offset: start) }
        if Self.isDigit(c) { return try readNumber(start: start) }
        if c == "\"" || c == "'" { return try readString(quote: c, start: start) }

        let two = String(String.UnicodeScalarView([c] + (peek(1).map { [$0] } ?? [])))
        switch two {
        case "==", "!=", "<=", ">=", "&&", "||":
            position += 2
            return Token(kind: .symbol(two), offset: start)
        default: break
        }
        switch c {
        case "<", ">", "!", "(", ")", "[", "]", ",", "+", "-":
            position += 1
            return Token(kind: .symbol(String(c)), offset: start)
        case "=":
            throw ExpressionError("'=' is not an operator; compare with ==", offset: start)
        case "&":
            throw ExpressionError("'&' is not an operator; combine conditions with &&", offset: start)
        case "|":
            throw ExpressionError("'|' is not an operator; combine alternatives with ||", offset: start)
        default:
            throw ExpressionError("unexpected character '\(c)'", offset: start)
        }
    }

    private mutating func readName() -> String {
        var text = String.UnicodeScalarView()
        while let c = peek(), Self.isNameContinue(c) {
            text.append(c)
            position += 1
            // A dot continues the name only when another segment follows, so "a." stays an error.
            if peek() == ".", let after = peek(1), Self.isNameStart(after) {
                text.append(".")
                position += 1
            }
        }
        return String(text)
    }

    private mutating func readNumber(start: Int) throws(ExpressionError) -> Token {
        var digits = String.UnicodeScalarView()
        while let c = peek(), Self.isDigit(c) { digits.append(c); position += 1 }
        if peek() == ".", let after = peek(1), Self.isDigit(after) {
            digits.append(".")
            position += 1
            while let c = peek(), Self.isDigit(c) { digits.append(c); position += 1 }
        }
        var suffix = String.UnicodeScalarView()
        while let c = peek(), Self.isNameContinue(c) { suffix.append(c); position += 1 }
        let number = String(digits)
        guard let value = Double(number) else {
            throw ExpressionError("'\(number)' is not a number", offset: start)
        }
        if suffix.isEmpty { return Token(kind: .number(value), offset: start) }

        let unit = String(suffix)
        let seconds: Double? = switch unit {
        case "s": 1
        case "m": 60
        case "h": 3600
        case "d": 86_400
        default: nil
        }
        guard let seconds, !number.contains(".") else {
            throw ExpressionError(
                "'\(number)\(unit)' is not a duration; write a whole number followed by s, m, h or d, e.g. 90s, 2m, 12h, 1d",
                offset: start)
        }
        return Token(kind: .duration(value * seconds), offset: start)
    }

    private mutating func readString(quote: Unicode.Scalar, start: Int) throws(ExpressionError) -> Token {
        position += 1
        var text = String.UnicodeScalarView()
        while let c = peek() {
            position += 1
            if c == quote { return Token(kind: .string(String(text)), offset: start) }
            if c == "\\" {
                guard let escaped = peek() else { break }
                position += 1
                switch escaped {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\", "\"", "'": text.append(escaped)
                default:
                    throw ExpressionError("unknown escape '\\\(escaped)' in string; use \\\\, \\\", \\', \\n or \\t", offset: position - 2)
                }
                continue
            }
            text.append(c)
        }
        throw ExpressionError("unterminated string; close it with \(quote)", offset: start)
    }
}
