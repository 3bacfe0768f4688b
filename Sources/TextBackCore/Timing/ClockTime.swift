// Wall-clock times of day and daily spans between them, as configuration writes them ("21:00").
// Rules are stated in whole minutes of local time, so everything here works in minutes of the day;
// a span may wrap past midnight (quiet hours 21:00–08:00).

import Foundation

/// A time of day, "HH:MM". 24:00 is accepted as the end of the day so a span can cover a whole day.
public struct ClockTime: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    /// Nil unless 00:00…23:59, or exactly 24:00.
    public init?(hour: Int, minute: Int = 0) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// Parses "HH:MM" or "H:MM" (24-hour clock).
    public init?(parsing text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let h = Int(parts[0]), let m = Int(parts[1])
        else { return nil }
        self.init(hour: h, minute: m)
    }

    /// From minutes since midnight (0…1440); callers pass whole, valid minutes.
    public init(minuteOfDay: Int) {
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    /// Minutes since midnight, 0…1440.
    public var minuteOfDay: Int { hour * 60 + minute }

    public var description: String {
        (hour < 10 ? "0\(hour)" : "\(hour)") + ":" + (minute < 10 ? "0\(minute)" : "\(minute)")
    }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minuteOfDay < rhs.minuteOfDay }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let t = ClockTime(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "'\(text)' is not a time of day (HH:MM)")
        }
        self = t
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A span of local time repeated every day, from `start` (inclusive) to `end` (exclusive).
/// `end` before `start` wraps past midnight (21:00–08:00); `end` equal to `start` is empty;
/// 00:00–24:00 is the whole day.
public struct DailyWindow: Hashable, Sendable, Codable, CustomStringConvertible {
    public var start: ClockTime
    public var end: ClockTime

    public init(start: ClockTime, end: ClockTime) {
        self.start = start
        self.end = end
    }

    /// Parses both ends as "HH:MM"; nil if either is not a time of day.
    public init?(start: String, end: String) {
        guard let s = ClockTime(parsing: start), let e = ClockTime(parsing: end) else { return nil }
        self.init(start: s, end: e)
    }

    /// Whole hours, for rule tables: `DailyWindow(8, 20)` is 08:00–20:00.
    init(_ startHour: Int, _ endHour: Int) {
        self.init(start: ClockTime(minuteOfDay: startHour * 60), end: ClockTime(minuteOfDay: endHour * 60))
    }

    /// True when the span runs past midnight into the next day.
    public var wrapsMidnight: Bool { start.minuteOfDay % 1440 > end.minuteOfDay }

    /// Whether a minute of the day (0…1439) falls in the span, on either side of midnight.
    public func contains(minuteOfDay m: Int) -> Bool {
        let s = start.minuteOfDay % 1440, e = end.minuteOfDay
        if s == e { return false }
        if s < e { return m >= s && m < e }
        return m >= s || m < e
    }

    /// The part of the span on the day it starts (`contains` minus the after-midnight tail).
    func containsSameDay(minuteOfDay m: Int) -> Bool {
        let s = start.minuteOfDay % 1440, e = end.minuteOfDay
        if s == e { return false }
        if s < e { return m >= s && m < e }
        return m >= s
    }

    /// The after-midnight tail of a wrapping span, which belongs to the next day.
    func containsSpillover(minuteOfDay m: Int) -> Bool {
        let s = start.minuteOfDay % 1440, e = end.minuteOfDay
        return s > e && m < e
    }

    /// "09:00–20:00".
    public var description: String { "\(start)–\(end)" }
}
