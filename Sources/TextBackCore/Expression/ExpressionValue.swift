// The values a condition works with. Contact attributes arrive as strings, so comparisons convert a
// string when the other side is a number, timestamp or duration (see ExpressionEvaluator).

import Foundation

public enum ExpressionValue: Sendable, Hashable, CustomStringConvertible {
    /// A field that is absent: a contact without that attribute, a call without an agent.
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// A length of time in seconds; fractional when it comes from subtracting timestamps.
    case duration(TimeInterval)
    case timestamp(Date)
    case list([ExpressionValue])

    /// The type's name as messages show it ("cannot compare string with number").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .number: "number"
        case .string: "string"
        case .duration: "duration"
        case .timestamp: "timestamp"
        case .list: "list"
        }
    }

    /// The value written as the expression language would write it.
    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            if n.rounded() == n, abs(n) < 1e15 { return String(Int64(n)) }
            return String(n)
        case .string(let s):
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        case .duration(let seconds):
            if seconds.rounded() == seconds, abs(seconds) < 1e15 {
                let whole = Int(seconds)
                return whole < 0 ? "-" + TimeSpan(seconds: -whole).description : TimeSpan(seconds: whole).description
            }
            return String(seconds) + "s"
        case .timestamp(let date): return ISO8601Timestamp.format(date)
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }
}
