// A parsed condition from the configuration ("call.outcome == \"left_voicemail\""). Parsing checks
// names and outcome/direction literals so mistakes surface when the file loads; evaluation is pure
// and takes everything it reads, including `now`, from an ExpressionContext.

import Foundation

public struct Expression: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    let root: ExpressionNode

    public init(parsing source: String) throws(ExpressionError) {
        self.source = source
        self.root = try ExpressionParser.parse(source)
    }

    // Parsing is deterministic, so the source text identifies the expression.
    public static func == (lhs: Expression, rhs: Expression) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    public var description: String { source }

    public func evaluate(in context: ExpressionContext) throws(ExpressionError) -> ExpressionValue {
        try ExpressionEvaluator(context: context).evaluate(root)
    }

    /// The condition as a decision: null (an absent field) counts as false; any other non-bool throws.
    public func isTrue(in context: ExpressionContext) throws(ExpressionError) -> Bool {
        switch try evaluate(in: context) {
        case .bool(let b): return b
        case .null: return false
        case let other:
            throw ExpressionError("the condition gives a \(other.typeName), not true or false", offset: 0)
        }
    }

    /// Every name the condition reads (including `now` and the arguments of has()), first use first.
    public var referencedPaths: [String] {
        var seen: [String] = []
        func visit(_ node: ExpressionNode) {
            switch node {
            case .literal: break
            case .name(let path, _), .has(let path, _):
                if !seen.contains(path) { seen.append(path) }
            case .list(let items, _): items.forEach(visit)
            case .not(let inner, _), .negate(let inner, _): visit(inner)
            case .binary(_, let left, let right, _):
                visit(left)
                visit(right)
            }
        }
        visit(root)
        return seen
    }
}
