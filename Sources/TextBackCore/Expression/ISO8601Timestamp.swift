// Timestamps as contact attributes store them (ISO 8601, e.g. "2026-03-02T15:04:05Z"). The
// expression language compares them with `now`, and the `{now}` placeholder writes them.

import Foundation

public enum ISO8601Timestamp {
    /// Accepts whole or fractional seconds with a `Z` or numeric offset; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, hasTimestampShape(trimmed), fieldsInRange(trimmed) else { return nil }
        if let date = try? Date.ISO8601FormatStyle().parse(trimmed) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        return nil
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH[[:]MM])` and nothing after it: Foundation's parser stops at
    /// the end of what it understood and would otherwise accept trailing text ("…Z*").
    static func hasTimestampShape(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= b.count && range.allSatisfy { b[$0] >= 48 && b[$0] <= 57 } }
        func at(_ i: Int, _ c: Character) -> Bool { i < b.count && b[i] == c.asciiValue! }
        guard b.count >= 20, digits(0..<4), at(4, "-"), digits(5..<7), at(7, "-"), digits(8..<10), at(10, "T"),
              digits(11..<13), at(13, ":"), digits(14..<16), at(16, ":"), digits(17..<19) else { return false }
        var i = 19
        if at(i, ".") {
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            guard i > start else { return false }
        }
        if at(i, "Z") { return i + 1 == b.count }
        guard at(i, "+") || at(i, "-"), digits((i + 1)..<(i + 3)) else { return false }
        i += 3
        if i == b.count { return true }
        if at(i, ":") { i += 1 }
        return digits(i..<(i + 2)) && i + 2 == b.count
    }

    /// RFC 3339's ranges, which Foundation's parser does not enforce (it rolls "12:99" over to 13:39):
    /// month 01–12, a day that exists in that month, hour 00–23, minute 00–59, second 00–59, and an
    /// offset of at most 23:59. Called after `hasTimestampShape`, so every position read is a digit.
    static func fieldsInRange(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int { (start..<(start + count)).reduce(0) { $0 * 10 + Int(b[$1] - 48) } }
        let year = number(0, 4), month = number(5, 2), day = number(8, 2)
        guard (1...12).contains(month), number(11, 2) <= 23, number(14, 2) <= 59, number(17, 2) <= 59 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        guard let sign = b.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), sign > 10 else { return true }
        let offset = Array(b[(sign + 1)...]).filter { $0 != UInt8(ascii: ":") }
        let hours = Int(offset[0] - 48) * 10 + Int(offset[1] - 48)
        let minutes = offset.count >= 4 ? Int(offset[2] - 48) * 10 + Int(offset[3] - 48) : 0
        return hours <= 23 && minutes <= 59
    }

    /// UTC, whole seconds: the stable form written back into attributes.
    public static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    private static let withMilliseconds = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// UTC with milliseconds ("2026-03-02T15:04:05.000Z"): the form the HTTP API answers with.
    public static func formatWithMilliseconds(_ date: Date) -> String {
        withMilliseconds.format(date)
    }
}
