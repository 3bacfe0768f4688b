// Lookups over the North American Numbering Plan reference data: the IANA time zones a number's prefix
// spans, and the country and state/province its area code belongs to. This is what `textback phone`
// prints and where a recipient's local time and state rules come from when the contact has no zone.
// Source: Google libphonenumber metadata (Apache-2.0), as shipped in the phonenumbers package 9.0.43
// (PyPI), modules phonenumbers.tzdata and phonenumbers.geodata (compiled into NANPData.swift).

/// What the reference data says about one number: the JSON of `textback phone` (DESIGN §5).
public struct PhoneInfo: Sendable, Codable, Hashable {
    public var e164: String
    /// ISO country of the area code ("US", "CA", "PR", …); nil outside NANP or for an unassigned code.
    public var country: String?
    /// Two-letter state or province when the area code lies in exactly one; nil otherwise.
    public var region: String?
    /// IANA zones of the longest matching prefix; several when the prefix genuinely spans them.
    public var timeZones: [String]

    public init(e164: String, country: String?, region: String?, timeZones: [String]) {
        self.e164 = e164
        self.country = country
        self.region = region
        self.timeZones = timeZones
    }

    enum CodingKeys: String, CodingKey {
        case e164, country, region
        case timeZones = "time_zones"
    }

    // Written by hand because the contract prints `null` for unknown values instead of omitting the key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(e164, forKey: .e164)
        try c.encode(country, forKey: .country)
        try c.encode(region, forKey: .region)
        try c.encode(timeZones, forKey: .timeZones)
    }
}

public enum NANP {
    /// IANA zones for the number's longest matching prefix in nanp-timezones.csv; [] for non-NANP numbers.
    /// A number that matches only the country-wide row `1` (toll-free, 5XX, unassigned codes) gets that
    /// row's full list, as libphonenumber does; see `geographicTimeZones(for:)` for the narrower answer.
    public static func timeZones(for number: PhoneNumber) -> [String] {
        match(number)?.zones ?? []
    }

    /// Like `timeZones(for:)`, but [] when only the country-wide fallback row matches: that list spans
    /// Guam to Pago Pago, so it says nothing about where the recipient is.
    public static func geographicTimeZones(for number: PhoneNumber) -> [String] {
        guard let m = match(number), m.prefix != countryCode else { return [] }
        return m.zones
    }

    /// ISO country of the area code, from nanp-area-codes.csv; nil outside NANP or for an unlisted code.
    public static func country(for number: PhoneNumber) -> String? {
        number.areaCode.flatMap { tables.areaCodes[$0]?.country }
    }

    /// The two-letter state or province of the area code; nil when blank (non-geographic codes,
    /// countries without states) or when the code covers several ("NS|PE").
    public static func region(for number: PhoneNumber) -> String? {
        number.areaCode.flatMap { tables.areaCodes[$0]?.region }
    }

    public static func info(for number: PhoneNumber) -> PhoneInfo {
        PhoneInfo(e164: number.e164, country: country(for: number), region: region(for: number), timeZones: timeZones(for: number))
    }

    // MARK: - Tables

    static let countryCode = "1"

    struct AreaCode: Sendable, Hashable {
        var country: String
        var region: String?
    }

    struct Tables: Sendable {
        var prefixes: [Substring: [String]] = [:]
        var areaCodes: [String: AreaCode] = [:]
    }

    /// Parsed once, on first use (a `static let` is lazily and thread-safely initialised).
    static let tables: Tables = {
        var t = Tables()
        let zoneSets = NANPData.zoneSets.map { $0.split(separator: "|").map(String.init) }
        for token in NANPData.timeZonePrefixes.split(whereSeparator: \.isWhitespace) {
            let parts = token.split(separator: ":")
            t.prefixes[parts[0]] = zoneSets[Int(parts[1])!]
        }
        for token in NANPData.areaCodes.split(whereSeparator: \.isWhitespace) {
            let parts = token.split(separator: ":").map(String.init)
            let region = parts[2]
            // "-" is a blank region; "NS|PE" covers several, so no single state's rules can apply.
            let single = region == "-" || region.contains("|") ? nil : region
            t.areaCodes[parts[0]] = AreaCode(country: parts[1], region: single)
        }
        return t
    }()

    /// The longest prefix of the number's digits (without "+") present in the table.
    static func match(_ number: PhoneNumber) -> (prefix: Substring, zones: [String])? {
        guard number.isNANP else { return nil }
        let digits = number.e164.dropFirst()
        for length in stride(from: min(NANPData.maxPrefixLength, digits.count), through: 1, by: -1) {
            let prefix = digits.prefix(length)
            if let zones = tables.prefixes[prefix] { return (prefix, zones) }
        }
        return nil
    }
}
