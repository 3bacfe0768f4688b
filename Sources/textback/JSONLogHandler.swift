// `--log-format json`: one JSON object per line on standard error ({"timestamp","level","label",
// "message", metadata fields…}), for log shippers. The text format stays swift-log's default.

import ArgumentParser
import Foundation
import Logging
import TextBackCore

enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var fields: [String: JSONValue] = [:]
        for (key, value) in metadata.merging(explicit ?? [:], uniquingKeysWith: { _, new in new }) { fields[key] = Self.json(value) }
        fields["timestamp"] = .string(ISO8601Timestamp.formatWithMilliseconds(Date()))
        fields["level"] = .string(level.rawValue)
        fields["label"] = .string(label)
        fields["message"] = .string(message.description)
        fields["source"] = .string(source)
        FileHandle.standardError.write(Data((JSONValue.object(fields).serialized + "\n").utf8))
    }

    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let members): .object(members.mapValues(json))
        }
    }
}
