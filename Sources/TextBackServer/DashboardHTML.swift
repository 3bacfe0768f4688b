// A small typed HTML builder for the dashboard. Markup is a value of type `HTML`; a `String`
// interpolated into it is always escaped, and only another `HTML` value goes in as markup. So a
// message body (attacker-controlled: anyone can text our number) cannot become markup by mistake: to
// put text in a page one has to write it through an interpolation, which escapes it.
//
// Why not a template library: the pages are a handful of tables and forms; with templates the
// escaping would depend on each `{{ }}` being the right kind, here it follows from the type checker.

import Foundation

struct HTML: Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    private(set) var markup: String

    /// Literal markup written in our source.
    init(stringLiteral value: String) { markup = value }
    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }
    private init(trusted markup: String) { self.markup = markup }

    var description: String { markup }

    static let empty = HTML(trusted: "")

    /// Several fragments, one after another.
    init(joining parts: [HTML]) { markup = parts.map(\.markup).joined() }

    struct Interpolation: StringInterpolationProtocol {
        fileprivate var markup = ""
        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + 16 * interpolationCount) }
        mutating func appendLiteral(_ literal: String) { markup += literal }
        /// Text: escaped for element content and for quoted attribute values alike.
        mutating func appendInterpolation(_ text: some StringProtocol) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ fragment: HTML) { markup += fragment.markup }
        mutating func appendInterpolation(_ fragments: [HTML]) { for fragment in fragments { markup += fragment.markup } }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
        /// A number formatted by us (coordinates in the chart).
        mutating func appendInterpolation(number: Double) { markup += String(format: "%.1f", number) }
    }

    /// `&`, `<`, `>`, `"` and `'` as character references: safe between tags and inside any quoted attribute.
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+")

    /// A path segment for a link we build (`/contacts/+14155550123`): everything but unreserved
    /// characters and `+` is percent-encoded, so a value can never leave its segment.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
