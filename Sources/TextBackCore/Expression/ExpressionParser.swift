// Recursive-descent parser for the condition language, with CEL's precedence (loosest first):
// ||, &&, comparisons and `in` (not chainable), + and -, unary ! and -, then values. Names and
// literals that can be checked without a call in hand are checked here, so a configuration with
// `call.outcome == "no-answer"` is refused at load instead of never matching in production.

indirect enum ExpressionNode: Sendable, Hashable {
    case literal(ExpressionValue, offset: Int)
    case name(String, offset: Int)
    case has(String, offset: Int)
    case list([ExpressionNode], offset: Int)
    case not(ExpressionNode, offset: Int)
    case negate(ExpressionNode, offset: Int)
    /// `offset` is the operator's column: type errors point at the operation that failed.
    case binary(BinaryOperator, ExpressionNode, ExpressionNode, offset: Int)

    var offset: Int {
        switch self {
        case .literal(_, let o), .name(_, let o), .has(_, let o), .list(_, let o), .not(_, let o),
            .negate(_, let o), .binary(_, _, _, let o):
            o
        }
    }
}

enum BinaryOperator: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in`, and = "&&", or = "||", plus = "+", minus = "-"

    var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
}

struct ExpressionParser {
    private let tokens: [Token]
    private var index = 0

    private init(tokens: [Token]) { self.tokens = tokens }

    static func parse(_ source: String) throws(ExpressionError) -> ExpressionNode {
        let tokens = try ExpressionLexer.tokenize(source)
        var parser = ExpressionParser(tokens: tokens)
        if parser.current.kind == .end {
            throw ExpressionError("the condition is empty; write one such as call.outcome == \"no_answer\"", offset: 0)
        }
        let node = try parser.parseOr()
        if parser.current.kind != .end { throw parser.unexpected(parser.current) }
        return node
    }

    // MARK: tokens

    private var current: Token { tokens[min(index, tokens.count - 1)] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    private func unexpected(_ token: Token) -> ExpressionError {
        switch token.kind {
        case .end:
            return ExpressionError("unexpected end of condition; expected a value", offset: token.offset)
        case .name(let name) where ["and", "or", "not"].contains(name):
            return ExpressionError(ExpressionNames.problem(with: name) ?? "unexpected '\(name)'", offset: token.offset)
        case .symbol(")"):
            return ExpressionError("unexpected ')' without a matching '('", offset: token.offset)
        default:
            return ExpressionError(
                "unexpected \(Self.spelling(token.kind)); combine conditions with && or ||", offset: token.offset)
        }
    }

    private static func spelling(_ kind: TokenKind) -> String {
        switch kind {
        case .name(let n): "'\(n)'"
        case .string: "string"
        case .number(let n): "'\(ExpressionValue.number(n))'"
        case .duration(let d): "'\(ExpressionValue.duration(d))'"
        case .symbol(let s): "'\(s)'"
        case .end: "end of condition"
        }
    }

    // MARK: grammar

    private mutating func parseOr() throws(ExpressionError) -> ExpressionNode {
        var left = try parseAnd()
        while isSymbol("||") {
            let op = advance()
            let right = try parseAnd()
            left = .binary(.or, left, right, offset: op.offset)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> ExpressionNode {
        var left = try parseRelation()
        while isSymbol("&&") {
            let op = advance()
            let right = try parseRelation()
            left = .binary(.and, left, right, offset: op.offset)
        }
        return left
    }

    private func relationalOperator() -> BinaryOperator? {
        switch current.kind {
        case .symbol(let s): BinaryOperator(rawValue: s).flatMap { $0.isOrdering || $0 == .equal || $0 == .notEqual ? $0 : nil }
        case .name("in"): .in
        default: nil
        }
    }

    private mutating func parseRelation() throws(ExpressionError) -> ExpressionNode {
        let left = try parseAdditive()
        guard let op = relationalOperator() else { return left }
        let opToken = advance()
        let right = try parseAdditive()
        try Self.checkLiterals(op, left, right)
        if relationalOperator() != nil {
            throw ExpressionError(
                "comparisons cannot be chained; combine them with &&, as in a < b && b < c", offset: current.offset)
        }
        return .binary(op, left, right, offset: opToken.offset)
    }

    private mutating func parseAdditive() throws(ExpressionError) -> ExpressionNode {
        var left = try parseUnary()
        while isSymbol("+") || isSymbol("-") {
            let op = advance()
            let right = try parseUnary()
            left = .binary(op.kind == .symbol("+") ? .plus : .minus, left, right, offset: op.offset)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        if isSymbol("!") {
            let op = advance()
            return .not(try parseUnary(), offset: op.offset)
        }
        if isSymbol("-") {
            let op = advance()
            return .negate(try parseUnary(), offset: op.offset)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .number(let n):
            advance()
            return .literal(.number(n), offset: token.offset)
        case .duration(let seconds):
            advance()
            return .literal(.duration(seconds), offset: token.offset)
        case .string(let s):
            advance()
            return .literal(.string(s), offset: token.offset)
        case .name("true"):
            advance()
            return .literal(.bool(true), offset: token.offset)
        case .name("false"):
            advance()
            return .literal(.bool(false), offset: token.offset)
        case .name("null"):
            advance()
            return .literal(.null, offset: token.offset)
        case .name("has"):
            advance()
            return try parseHas(at: token.offset)
        case .name(let path):
            if let problem = ExpressionNames.problem(with: path) {
                throw ExpressionError(problem, offset: token.offset)
            }
            advance()
            return .name(path, offset: token.offset)
        case .symbol("("):
            advance()
            let inner = try parseOr()
            guard isSymbol(")") else {
                throw ExpressionError("missing ')' to close the '(' at column \(token.offset + 1)", offset: current.offset)
            }
            advance()
            return inner
        case .symbol("["):
            advance()
            var items: [ExpressionNode] = []
            while !isSymbol("]") {
                items.append(try parseOr())
                if isSymbol(",") { advance(); continue }
                guard isSymbol("]") else {
                    throw ExpressionError("expected ',' or ']' in the list opened at column \(token.offset + 1)", offset: current.offset)
                }
            }
            advance()
            return .list(items, offset: token.offset)
        default:
            throw unexpected(token)
        }
    }

    private mutating func parseHas(at offset: Int) throws(ExpressionError) -> ExpressionNode {
        guard isSymbol("(") else {
            throw ExpressionError("has needs a field in parentheses, as in has(contact.email)", offset: offset)
        }
        advance()
        guard case .name(let path) = current.kind, path.hasPrefix("call.") || path.hasPrefix("contact.") else {
            throw ExpressionError("has() takes a field such as has(contact.email)", offset: current.offset)
        }
        if let problem = ExpressionNames.problem(with: path) {
            throw ExpressionError(problem, offset: current.offset)
        }
        advance()
        guard isSymbol(")") else {
            throw ExpressionError("missing ')' to close has(", offset: current.offset)
        }
        advance()
        return .has(path, offset: offset)
    }

    // MARK: literal checks

    /// Checks literals compared with fields whose type is known: a misspelt outcome would otherwise
    /// compare unequal forever, and `call.duration_s > 90s` mixes seconds with a duration.
    private static func checkLiterals(_ op: BinaryOperator, _ left: ExpressionNode, _ right: ExpressionNode) throws(ExpressionError) {
        for (field, other) in [(left, right), (right, left)] {
            guard case .name(let path, _) = field, let type = ExpressionNames.type(of: path) else { continue }
            if op == .in {
                guard case .list(let items, _) = other, field == left else { continue }
                for item in items { try checkLiteral(item, against: path, type) }
            } else if op.isOrdering, case .enumeration = type {
                throw ExpressionError("\(path) has no order; compare it with ==, != or in", offset: field.offset)
            } else {
                try checkLiteral(other, against: path, type)
            }
        }
    }

    private static func checkLiteral(_ node: ExpressionNode, against path: String, _ type: FieldType) throws(ExpressionError) {
        guard case .literal(let value, let offset) = node, value != .null else { return }
        switch (type, value) {
        case (.enumeration(let allowed), .string(let text)):
            guard !allowed.contains(text) else { return }
            let noun = path == "call.outcome" ? "call outcome" : (path == "call.direction" ? "call direction" : path + " value")
            var message = "'\(text)' is not a \(noun); "
            if let suggestion = SpellingSuggestion.closest(to: text, among: allowed) {
                message += "did you mean '\(suggestion)'? "
            }
            throw ExpressionError(message + "allowed: " + allowed.joined(separator: ", "), offset: offset)
        case (.enumeration(let allowed), _):
            throw ExpressionError(
                "\(path) is compared with a quoted string, one of: " + allowed.joined(separator: ", "), offset: offset)
        case (.number, .duration(let seconds)):
            throw ExpressionError(
                "\(path) is a number of seconds; write \(ExpressionValue.number(seconds)) rather than \(value)", offset: offset)
        case (.number, .bool), (.number, .list):
            throw ExpressionError("\(path) is a number", offset: offset)
        case (.bool, .bool):
            return
        case (.bool, _):
            throw ExpressionError("\(path) is true or false", offset: offset)
        case (.timestamp, .number), (.timestamp, .bool), (.timestamp, .duration):
            throw ExpressionError(
                "\(path) is a timestamp; to compare an age subtract, as in now - contact.last_missed_call_sms_at < 24h",
                offset: offset)
        default:
            return
        }
    }
}
