// Why an expression could not be parsed or evaluated, and where: `offset` lets the configuration
// loader turn a column inside a condition into a file:line:column. Messages name fields and types,
// never the values being compared, so they are safe to log.

public struct ExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// 0-based column within the expression source, counted in Unicode scalars as YAML marks are.
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "column \(offset + 1): \(message)" }
}
