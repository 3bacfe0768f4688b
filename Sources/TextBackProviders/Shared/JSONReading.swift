// Small, forgiving readers over JSONSerialization output, shared by the provider parsers. Providers
// send numbers as strings and strings as numbers; these accept both.

import Foundation
import TextBackCore

enum JSON {
    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    static func array(_ data: Data) -> [Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [Any]
    }

    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text.trimmingCharacters(in: .whitespaces).isEmpty ? nil : text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func int(_ value: Any?) -> Int? {
        switch value {
        case let number as NSNumber: return number.intValue
        case let text as String: return Int(text)
        default: return nil
        }
    }

    static func date(_ value: Any?) -> Date? {
        string(value).flatMap(ISO8601Timestamp.parse)
    }

    static func encode(_ object: [String: Any]) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }
}

extension WebhookError {
    /// A phone number field, parsed; the error names the field, never the value.
    static func phone(_ raw: String?, field: String) throws(WebhookError) -> PhoneNumber {
        guard let raw, !raw.trimmingCharacters(in: .whitespaces).isEmpty else { throw .missingField(field) }
        do { return try PhoneNumber(parsing: raw) } catch { throw .invalidField(field, "is not a phone number: \(error)") }
    }
}
