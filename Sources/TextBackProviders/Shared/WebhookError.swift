// Why a provider webhook was refused. Descriptions name fields, never their values.

public enum WebhookError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signature header is missing or does not match: HTTP 403.
    case badSignature(String)
    /// The provider is not configured on this server (no secret to verify with): HTTP 403.
    case notConfigured(String)
    /// A required field is absent: HTTP 400.
    case missingField(String)
    /// A field is present but unusable: HTTP 400.
    case invalidField(String, String)
    /// The body is not the provider's format at all: HTTP 400.
    case malformed(String)

    public var description: String {
        switch self {
        case .badSignature(let why): why
        case .notConfigured(let why): why
        case .missingField(let name): "missing field '\(name)'"
        case .invalidField(let name, let why): "field '\(name)' \(why)"
        case .malformed(let why): why
        }
    }
}
