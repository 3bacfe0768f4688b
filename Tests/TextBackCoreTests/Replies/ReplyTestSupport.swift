// Helpers shared by the reply tables: local wall-clock time as the tables write it.

import Foundation

enum LocalTime {
    /// "yyyy-MM-dd HH:mm" in `zone`, computed with a Gregorian calendar (no locale, no formatter state).
    static func format(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { n.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "??" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }
}
