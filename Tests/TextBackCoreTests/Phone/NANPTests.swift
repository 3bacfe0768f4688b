// Table tests of the NANP lookups against the real rows of nanp-timezones.csv and nanp-area-codes.csv:
// longest-prefix zone matching (including multi-zone prefixes), country and region from the area code,
// and the exact JSON shape of `textback phone`.

import Foundation
import Testing
@testable import TextBackCore

@Suite("NANP reference data")
struct NANPTests {
    static let countryWide = 42

    @Test("number → country, region, zones", arguments: [
        // Multi-zone prefixes: the window must hold in all of them.
        ("+12085551234", "US", "ID", ["America/Boise", "America/Los_Angeles"]),   // row 12085
        ("+12083015555", "US", "ID", ["America/Boise", "America/Los_Angeles"]),   // row 120830 (no 1208301 row)
        ("+16055551234", "US", "SD", ["America/Denver", "America/North_Dakota/Center"]), // row 1605
        ("+19075551234", "US", "AK", ["America/Adak", "America/Anchorage"]),      // row 1907
        // Longer prefixes win over shorter ones.
        ("+12082015555", "US", "ID", ["America/Denver"]),                         // row 1208201
        ("+12083505555", "US", "ID", ["America/Denver"]),                         // row 12083
        ("+16052015555", "US", "SD", ["America/Chicago"]),                        // row 1605201
        ("+19072095555", "US", "AK", ["America/Juneau"]),                         // row 1907209
        // Single-zone area codes.
        ("+12035550142", "US", "CT", ["America/New_York"]),
        ("+15125550100", "US", "TX", ["America/Chicago"]),
        ("+14015550142", "US", "RI", ["America/New_York"]),
        // Canada, a multi-province code, Puerto Rico.
        ("+14165550142", "CA", "ON", ["America/Toronto"]),
        ("+19025550142", "CA", nil, ["America/Halifax"]),                         // NS|PE
        ("+17875550142", "PR", nil, ["America/Puerto_Rico"]),
    ] as [(String, String?, String?, [String])])
    func lookups(number: String, country: String?, region: String?, zones: [String]) throws {
        let n = try PhoneNumber(parsing: number)
        #expect(NANP.country(for: n) == country)
        #expect(NANP.region(for: n) == region)
        #expect(NANP.timeZones(for: n) == zones)
        #expect(NANP.geographicTimeZones(for: n) == zones)
        #expect(NANP.info(for: n) == PhoneInfo(e164: n.e164, country: country, region: region, timeZones: zones))
    }

    @Test("non-geographic codes match only the country-wide row", arguments: ["+18005550199", "+18885550199", "+15005550100"])
    func tollFree(number: String) throws {
        let n = try PhoneNumber(parsing: number)
        #expect(NANP.country(for: n) == "US")
        #expect(NANP.region(for: n) == nil)
        let zones = NANP.timeZones(for: n)
        #expect(zones.count == Self.countryWide)
        #expect(zones.contains("Pacific/Guam") && zones.contains("America/New_York"))
        #expect(NANP.geographicTimeZones(for: n) == [])
    }

    @Test("international numbers have no NANP data", arguments: ["+442079460000", "+33142685300", "+61298765432"])
    func international(number: String) throws {
        let n = try PhoneNumber(parsing: number)
        #expect(NANP.info(for: n) == PhoneInfo(e164: n.e164, country: nil, region: nil, timeZones: []))
    }

    @Test("JSON is exactly the `textback phone` contract")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let idaho = NANP.info(for: try PhoneNumber(parsing: "+12085551234"))
        #expect(String(decoding: try encoder.encode(idaho), as: UTF8.self)
            == #"{"country":"US","e164":"+12085551234","region":"ID","time_zones":["America/Boise","America/Los_Angeles"]}"#)
        let maritimes = NANP.info(for: try PhoneNumber(parsing: "+19025550142"))
        #expect(String(decoding: try encoder.encode(maritimes), as: UTF8.self)
            == #"{"country":"CA","e164":"+19025550142","region":null,"time_zones":["America/Halifax"]}"#)
        let london = NANP.info(for: try PhoneNumber(parsing: "+442079460000"))
        #expect(String(decoding: try encoder.encode(london), as: UTF8.self)
            == #"{"country":null,"e164":"+442079460000","region":null,"time_zones":[]}"#)
        #expect(try JSONDecoder().decode(PhoneInfo.self, from: try encoder.encode(idaho)) == idaho)
    }

    @Test("every CSV row is compiled in and every zone is known to Foundation")
    func tables() {
        #expect(NANP.tables.prefixes.count == 1996)
        #expect(NANP.tables.areaCodes.count == 461)
        let zones = Set(NANP.tables.prefixes.values.flatMap { $0 })
        #expect(zones.count == Self.countryWide)
        #expect(zones.filter { TimeZone(identifier: $0) == nil }.isEmpty)
    }
}
