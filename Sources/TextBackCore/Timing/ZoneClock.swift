// Reading and setting wall clocks in IANA zones, exactly and with DST in mind. Foundation's TimeZone
// supplies only UTC offsets; the conversion is done here so that a local time that does not exist
// (spring forward, 02:00–03:00) yields no instant and one that happens twice (fall back, 01:00–02:00)
// yields both, instead of Calendar's silent adjustments.

import Foundation

/// A moment as read on one zone's wall clock, to the minute.
struct LocalMoment: Hashable, Sendable {
    var date: LocalDate
    var minuteOfDay: Int
    var weekday: Weekday { date.weekday }
    var clockTime: ClockTime { ClockTime(minuteOfDay: minuteOfDay) }
}

extension TimeZone {
    /// The wall-clock date and minute at `instant` (seconds are truncated).
    func localMoment(at instant: Date) -> LocalMoment {
        let utc = Int(instant.timeIntervalSince1970.rounded(.down))
        let local = utc + secondsFromGMT(for: instant)
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return LocalMoment(date: LocalDate(daysSinceEpoch: day), minuteOfDay: (local - day * 86_400) / 60)
    }

    /// Every instant at which this zone's clock shows `minuteOfDay` on `date`: usually one, none inside
    /// a spring-forward gap, two inside a fall-back overlap (earlier first).
    func instants(on date: LocalDate, minuteOfDay: Int) -> [Date] {
        let local = date.daysSinceEpoch * 86_400 + minuteOfDay * 60
        // Offsets in force a day either side bracket any transition near the wanted instant
        // (a zone's offset never exceeds ±14 h, and transitions are months apart).
        let before = secondsFromGMT(for: Date(timeIntervalSince1970: Double(local - 86_400)))
        let after = secondsFromGMT(for: Date(timeIntervalSince1970: Double(local + 86_400)))
        if before == after { return [Date(timeIntervalSince1970: Double(local - before))] }
        return [before, after].compactMap { offset -> Date? in
            let t = Date(timeIntervalSince1970: Double(local - offset))
            return secondsFromGMT(for: t) == offset ? t : nil
        }.sorted()
    }

    /// Offset transitions in (`start`, `end`], where the clock jumps.
    func transitions(after start: Date, through end: Date) -> [Date] {
        var result: [Date] = []
        var cursor = start
        while let next = nextDaylightSavingTimeTransition(after: cursor), next <= end {
            result.append(next)
            cursor = next
        }
        return result
    }
}
