// TimeSpan: a length of time written the way the configuration writes it ("90s", "2m", "12h", "1d").

import Foundation

public struct TimeSpan: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let seconds: Int

    public init(seconds: Int) { self.seconds = seconds }
    public static func minutes(_ m: Int) -> TimeSpan { TimeSpan(seconds: m * 60) }
    public static func hours(_ h: Int) -> TimeSpan { TimeSpan(seconds: h * 3600) }
    public static func days(_ d: Int) -> TimeSpan { TimeSpan(seconds: d * 86_400) }

    /// Parses "<whole number><unit>" with unit s, m, h or d. Returns nil for anything else.
    public init?(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let unit = t.last, let n = Int(t.dropLast()), n >= 0 else { return nil }
        switch unit {
        case "s": seconds = n
        case "m": seconds = n * 60
        case "h": seconds = n * 3600
        case "d": seconds = n * 86_400
        default: return nil
        }
    }

    public var timeInterval: Double { Double(seconds) }

    /// The shortest exact spelling: 120 seconds is "2m", 86400 is "1d".
    public var description: String {
        if seconds != 0, seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds != 0, seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds != 0, seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}
