// Handlers build responses as Foundation-style values ([String: Any], arrays, NSNull); this turns them
// into a JSONValue for the fast writer. nil for a type JSON has no spelling for, so the caller can fall
// back to JSONSerialization rather than guess.

import Foundation
import TextBackCore

extension JSONValue {
    init?(foundation value: Any) {
        switch value {
        case let text as String: self = .string(text)
        case let flag as Bool: self = .bool(flag)
        case let number as Int: self = .number(Double(number))
        case let number as Int64: self = .number(Double(number))
        case let number as Double: self = .number(number)
        case is NSNull: self = .null
        case let members as [String: Any]:
            var converted: [String: JSONValue] = [:]
            converted.reserveCapacity(members.count)
            for (key, member) in members {
                guard let value = JSONValue(foundation: member) else { return nil }
                converted[key] = value
            }
            self = .object(converted)
        case let items as [Any]:
            var converted: [JSONValue] = []
            converted.reserveCapacity(items.count)
            for item in items {
                guard let value = JSONValue(foundation: item) else { return nil }
                converted.append(value)
            }
            self = .array(converted)
        case let value as JSONValue: self = value
        default: return nil
        }
    }
}
