// Helpers for the timing tests: build instants from wall-clock text in a named zone and print instants
// back as wall-clock text, using Foundation's Calendar and DateFormatter (independent of the code under
// test). Tests never read the current time.

import Foundation
@testable import TextBackCore

enum Wall {
    /// The instant at which `zone`'s clock reads `text` ("2026-03-10 20:55" or "2026-03-10 20:55:37").
    /// Only for times that exist exactly once; DST edge cases use `utc`.
    static func at(_ text: String, _ zone: String) -> Date {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "-" || $0 == ":" }).map { Int($0)! }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let c = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                               second: parts.count > 5 ? parts[5] : 0)
        return calendar.date(from: c)!
    }

    /// An instant written as ISO 8601 with its offset ("2026-11-01T05:30:00Z").
    static func utc(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    /// "2026-03-11 08:00:00 Wed" on `zone`'s clock.
    static func text(_ date: Date?, _ zone: String) -> String {
        guard let date else { return "nil" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: zone)!
        f.dateFormat = "yyyy-MM-dd HH:mm:ss EEE"
        return f.string(from: date)
    }

    static func iso(_ date: Date?) -> String {
        guard let date else { return "nil" }
        return ISO8601DateFormatter().string(from: date)
    }
}

extension LocalDate {
    /// Test shorthand: `LocalDate("2026-07-03")`, crashing on a typo.
    init(_ iso: String) { self.init(iso: iso)! }
}
