// ISO8601Timestamp accepts RFC 3339 date-times and nothing Foundation would roll over into another
// instant: an out-of-range field is refused, not normalised ("12:99" is not 13:39).

import Foundation
import Testing
@testable import TextBackCore

@Suite("ISO 8601 timestamps")
struct ISO8601TimestampTests {
    @Test(arguments: ["2026-03-02T15:04:05Z", "2026-03-02T15:04:05.250Z", "2026-03-02T15:04:05+05:30",
                      "2026-03-02T15:04:05-0800", "2024-02-29T00:00:00Z", "2026-12-31T23:59:59+14:00"])
    func acceptsValidDateTimes(text: String) {
        #expect(ISO8601Timestamp.parse(text) != nil)
    }

    @Test(arguments: ["2024-01-01T12:99:00Z", "2024-01-01T24:00:00Z", "2024-01-01T12:00:60Z", "2024-13-01T00:00:00Z",
                      "2024-00-10T00:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-00T00:00:00Z",
                      "2026-03-02T15:04:05+24:00", "2026-03-02T15:04:05+05:60", "2026-03-02T15:04:05Z*"])
    func refusesOutOfRangeFieldsInsteadOfRollingThemOver(text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }

    @Test func anOffsetMovesTheInstant() throws {
        let utc = try #require(ISO8601Timestamp.parse("2026-03-02T10:00:00Z"))
        let eastern = try #require(ISO8601Timestamp.parse("2026-03-02T05:00:00-05:00"))
        #expect(utc == eastern)
    }
}
