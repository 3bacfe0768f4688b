// Evaluates a parsed condition against one call. Absent fields are null: `null == "x"` is false,
// an ordering with null is false, arithmetic with null gives null, and && / || / ! read null as
// false, so "contact never texted" never throws. Mixing types that cannot meet (a bool with a
// number) throws, because a condition that silently never matches is worse than one that fails loudly.

import Foundation

struct ExpressionEvaluator {
    let context: ExpressionContext

    func evaluate(_ node: ExpressionNode) throws(ExpressionError) -> ExpressionValue {
        switch node {
        case .literal(let value, _):
            return value
        case .name(let path, _):
            return context.value(at: path)
        case .has(let path, _):
            return .bool(context.value(at: path) != .null)
        case .list(let items, _):
            var values: [ExpressionValue] = []
            for item in items { values.append(try evaluate(item)) }
            return .list(values)
        case .not(let inner, let offset):
            return .bool(!(try truth(evaluate(inner), of: inner, operator: "!", offset: offset)))
        case .negate(let inner, let offset):
            switch try evaluate(inner) {
            case .number(let n): return .number(-n)
            case .duration(let d): return .duration(-d)
            case .null: return .null
            case let other:
                throw ExpressionError("'-' needs a number or a duration, not \(label(inner, other))", offset: offset)
            }
        case .binary(let op, let left, let right, let offset):
            return try binary(op, left, right, offset: offset)
        }
    }

    private func binary(_ op: BinaryOperator, _ left: ExpressionNode, _ right: ExpressionNode, offset: Int) throws(ExpressionError) -> ExpressionValue {
        switch op {
        case .and:
            guard try truth(evaluate(left), of: left, operator: "&&", offset: offset) else { return .bool(false) }
            return .bool(try truth(evaluate(right), of: right, operator: "&&", offset: offset))
        case .or:
            if try truth(evaluate(left), of: left, operator: "||", offset: offset) { return .bool(true) }
            return .bool(try truth(evaluate(right), of: right, operator: "||", offset: offset))
        case .equal, .notEqual:
            let same = try equals(evaluate(left), left, evaluate(right), right, offset: offset)
            return .bool(op == .equal ? same : !same)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return .bool(try order(op, evaluate(left), left, evaluate(right), right, offset: offset))
        case .in:
            let needle = try evaluate(left)
            switch try evaluate(right) {
            case .null: return .bool(false)
            case .list(let items):
                if needle == .null { return .bool(false) }
                for item in items where try equals(needle, left, item, right, offset: offset) { return .bool(true) }
                return .bool(false)
            case let other:
                throw ExpressionError(
                    "'in' needs a list on its right, as in call.outcome in [\"busy\", \"failed\"], not \(label(right, other))",
                    offset: offset)
            }
        case .plus, .minus:
            return try arithmetic(op, evaluate(left), left, evaluate(right), right, offset: offset)
        }
    }

    // MARK: helpers

    /// "contact.score (string)" for a name, the bare type otherwise: messages name fields, never values.
    private func label(_ node: ExpressionNode, _ value: ExpressionValue) -> String {
        if case .name(let path, _) = node { return "\(path) (\(value.typeName))" }
        return value.typeName
    }

    private func truth(_ value: ExpressionValue, of node: ExpressionNode, operator op: String, offset: Int) throws(ExpressionError) -> Bool {
        switch value {
        case .bool(let b): return b
        case .null: return false
        default:
            throw ExpressionError("'\(op)' needs true or false, not \(label(node, value))", offset: offset)
        }
    }

    /// Brings a string to the other side's type when it can be read as one: attributes are strings.
    private static func coerce(_ text: String, like other: ExpressionValue) -> ExpressionValue? {
        switch other {
        case .number: Double(text.trimmingCharacters(in: .whitespaces)).map { .number($0) }
        case .timestamp: ISO8601Timestamp.parse(text).map { .timestamp($0) }
        case .duration: TimeSpan(parsing: text).map { .duration($0.timeInterval) }
        default: nil
        }
    }

    private static func unify(_ a: ExpressionValue, _ b: ExpressionValue) -> (ExpressionValue, ExpressionValue)? {
        if a.typeName == b.typeName { return (a, b) }
        if case .string(let text) = a, let converted = coerce(text, like: b) { return (converted, b) }
        if case .string(let text) = b, let converted = coerce(text, like: a) { return (a, converted) }
        return nil
    }

    private enum Operation { case compare, add, subtract }

    private func mismatch(_ operation: Operation, _ a: ExpressionValue, _ left: ExpressionNode, _ b: ExpressionValue, _ right: ExpressionNode, offset: Int) -> ExpressionError {
        let (l, r) = (label(left, a), label(right, b))
        var message = switch operation {
        case .compare: "cannot compare \(l) with \(r)"
        case .add: "cannot add \(l) and \(r)"
        case .subtract: "cannot subtract \(r) from \(l)"
        }
        let other: ExpressionValue? = if case .string = a { b } else if case .string = b { a } else { nil }
        switch other {
        case .number?: message += "; the string is not a number"
        case .timestamp?: message += "; the string is not an ISO 8601 timestamp"
        case .duration?: message += "; the string is not a duration like 24h"
        default: break
        }
        return ExpressionError(message, offset: offset)
    }

    private func equals(_ a: ExpressionValue, _ left: ExpressionNode, _ b: ExpressionValue, _ right: ExpressionNode, offset: Int) throws(ExpressionError) -> Bool {
        if a == .null || b == .null { return a == b }
        guard let (x, y) = Self.unify(a, b) else { throw mismatch(.compare, a, left, b, right, offset: offset) }
        switch (x, y) {
        case (.list(let xs), .list(let ys)):
            guard xs.count == ys.count else { return false }
            for (p, q) in zip(xs, ys) where !(try equals(p, left, q, right, offset: offset)) { return false }
            return true
        default:
            return x == y
        }
    }

    private func order(_ op: BinaryOperator, _ a: ExpressionValue, _ left: ExpressionNode, _ b: ExpressionValue, _ right: ExpressionNode, offset: Int) throws(ExpressionError) -> Bool {
        if a == .null || b == .null { return false }
        guard let (x, y) = Self.unify(a, b) else { throw mismatch(.compare, a, left, b, right, offset: offset) }
        let ascending: Bool
        let same: Bool
        switch (x, y) {
        case (.number(let p), .number(let q)), (.duration(let p), .duration(let q)):
            (ascending, same) = (p < q, p == q)
        case (.timestamp(let p), .timestamp(let q)):
            (ascending, same) = (p < q, p == q)
        case (.string(let p), .string(let q)):
            (ascending, same) = (p < q, p == q)
        default:
            throw ExpressionError("'\(op.rawValue)' cannot order \(label(left, a)) values", offset: offset)
        }
        switch op {
        case .less: return ascending
        case .lessOrEqual: return ascending || same
        case .greater: return !ascending && !same
        default: return !ascending
        }
    }

    private func arithmetic(_ op: BinaryOperator, _ a: ExpressionValue, _ left: ExpressionNode, _ b: ExpressionValue, _ right: ExpressionNode, offset: Int) throws(ExpressionError) -> ExpressionValue {
        if a == .null || b == .null { return .null }
        var (x, y) = (a, b)
        // A timestamp stored as a string meets a duration as a timestamp: "last_sms_at + 1d".
        if case .string(let text) = x, case .duration = y, let date = ISO8601Timestamp.parse(text) { x = .timestamp(date) }
        if case .string(let text) = y, case .duration = x, op == .plus, let date = ISO8601Timestamp.parse(text) { y = .timestamp(date) }
        if x.typeName != y.typeName, let (p, q) = Self.unify(x, y) { (x, y) = (p, q) }
        let minus = op == .minus
        switch (x, y) {
        case (.number(let p), .number(let q)): return .number(minus ? p - q : p + q)
        case (.duration(let p), .duration(let q)): return .duration(minus ? p - q : p + q)
        case (.timestamp(let p), .timestamp(let q)) where minus: return .duration(p.timeIntervalSince(q))
        case (.timestamp(let t), .duration(let d)): return .timestamp(t.addingTimeInterval(minus ? -d : d))
        case (.duration(let d), .timestamp(let t)) where !minus: return .timestamp(t.addingTimeInterval(d))
        case (.string(let p), .string(let q)) where !minus: return .string(p + q)
        default:
            throw mismatch(minus ? .subtract : .add, a, left, b, right, offset: offset)
        }
    }
}
