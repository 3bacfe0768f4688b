// Timestamps as contact attributes store them (ISO 8601, e.g. "2026-03-02T15:04:05Z"). The
// expression language compares them with `now`, and the `{now}` placeholder writes them.

import Foundation

public enum ISO8601Timestamp {
    /// Accepts whole or fractional seconds with a `Z` or numeric offset; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        if let date = try? Date.ISO8601FormatStyle().parse(trimmed) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(trimmed) { return date }
        return nil
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
