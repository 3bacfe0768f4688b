// Strongly typed identifiers. A raw String never crosses a module boundary where one of these fits.
// New identifiers come from an injected `IDSource` so that Core never invents randomness itself.

public protocol StringIdentifier: Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral, Comparable
{
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension StringIdentifier {
    public init(stringLiteral value: String) { self.init(value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

public struct ContactID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct CallID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct MessageID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct RunID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct JobID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct DecisionID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }
public struct AutomationID: StringIdentifier { public let rawValue: String; public init(_ rawValue: String) { self.rawValue = rawValue } }

/// One business served by the install: a file of a configuration directory (its name without `.yaml`),
/// or the single business of a configuration file (`business.id`, else `default`). Every stored row
/// but the global do-not-contact list belongs to exactly one.
public struct BusinessID: StringIdentifier {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The business of a single-file configuration without `business.id`, and of rows stored before tenancy.
    public static let `default` = BusinessID("default")
}

/// Produces fresh identifiers. Production uses random UUIDs; tests use a counter.
public struct IDSource: Sendable {
    private let make: @Sendable (String) -> String
    public init(_ make: @escaping @Sendable (_ prefix: String) -> String) { self.make = make }
    /// A new identifier with a readable prefix such as "msg" or "job".
    public func next(_ prefix: String) -> String { make(prefix) }
}
