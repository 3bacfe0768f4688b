// A one-line JSON object written in a fixed key order. JSONEncoder stores keyed containers in a
// dictionary, so its key order changes from run to run; the CLI contract (DESIGN §5) shows keys in
// a documented order, and people diff that output, so the small tools print through this.

import Foundation

struct OrderedJSON {
    enum Value {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
    }

    private var fields: [(String, Value)] = []

    mutating func add(_ key: String, _ value: Value) { fields.append((key, value)) }

    var text: String {
        "{" + fields.map { "\(Self.quote($0.0)):\(Self.render($0.1))" }.joined(separator: ",") + "}"
    }

    static func render(_ value: Value) -> String {
        switch value {
        case .string(let s): quote(s)
        case .int(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        case .double(let d):
            // As JSONEncoder writes it: 1.0 → 1, 0.95 → 0.95.
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { String(Int(d)) } else if d.isFinite { String(d) } else { "null" }
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
