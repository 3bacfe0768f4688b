// business: and numbers: — who is texting, and from which numbers over which carriers, how fast
// (mps, default by kind) and how many a day (daily_cap).

import Foundation
import TextBackCore
import Yams

extension ConfigParser {
    func parseBusiness(_ entry: Entry?, root: Node) -> BusinessProfile? {
        guard let entry else {
            error("the business: section is required: name, phone and timezone of the business texting", at: root)
            return nil
        }
        guard let fields = fields(entry.value, at: "business", allowed: ["id", "name", "phone", "timezone"]) else { return nil }
        let id = parseBusinessID(fields["id"])
        let name = text(fields["name"], at: "business.name", in: entry.keyNode, example: "name: Acme Home Services")
        var phone: PhoneNumber?
        var phoneIsValid = true
        if let phoneEntry = fields["phone"], !Self.isNull(phoneEntry.value) {
            phone = phoneNumber(phoneEntry.value, at: "business.phone")
            phoneIsValid = phone != nil
        }
        let zone = timeZone(fields["timezone"], parent: entry.keyNode)
        guard let name, let zone, phoneIsValid, fields["id"] == nil || id != nil else { return nil }
        var profile = BusinessProfile(name: name, phone: phone, timeZone: zone)
        profile.id = id ?? .default
        return profile
    }

    private func timeZone(_ entry: Entry?, parent: Node) -> String? {
        guard let identifier = text(entry, at: "business.timezone", in: parent, example: "timezone: America/Chicago"),
            let entry
        else { return nil }
        // TimeZone accepts abbreviations and offsets too; only region names follow daylight saving correctly.
        if TimeZone(identifier: identifier) != nil, identifier.contains("/") || identifier == "UTC" {
            return identifier
        }
        var message = "unknown time zone '\(identifier)' in business.timezone; "
        if let suggestion = SpellingSuggestion.closest(to: identifier, among: TimeZone.knownTimeZoneIdentifiers) {
            message += "did you mean '\(suggestion)'? "
        }
        error(message + "use an IANA name such as America/Chicago or America/New_York", at: entry.value)
        return nil
    }

    func parseNumbers(_ entry: Entry?, root: Node) -> [(config: NumberConfig, carrierNode: Node)] {
        let example = "numbers: [{number: \"+15125550100\", carrier: simulator}]"
        guard let entry, !Self.isNull(entry.value) else {
            error("at least one number is required under numbers:, e.g. \(example)", at: entry?.keyNode ?? root)
            return []
        }
        guard let list = items(entry.value, at: "numbers", example: example) else { return [] }
        guard !list.isEmpty else {
            error("at least one number is required under numbers:, e.g. \(example)", at: entry.value)
            return []
        }
        var result: [(config: NumberConfig, carrierNode: Node)] = []
        var firstLine: [PhoneNumber: Int] = [:]
        for (index, item) in list.enumerated() {
            let path = "numbers[\(index)]"
            guard let fields = fields(item, at: path, allowed: ["number", "carrier", "kind", "mps", "daily_cap"]) else { continue }
            guard let numberEntry = fields["number"] else {
                error("\(path).number is required, e.g. number: \"+15125550100\"", at: item)
                continue
            }
            let number = phoneNumber(numberEntry.value, at: "\(path).number")
            if let number {
                if let line = firstLine[number] {
                    error("this number is already listed under numbers (line \(line)); list each number once", at: numberEntry.value)
                } else {
                    firstLine[number] = numberEntry.value.mark?.line ?? 0
                    numberMarks[number] = SourceMark(file: file, line: numberEntry.value.mark?.line ?? 1,
                                                     column: numberEntry.value.mark?.column ?? 1)
                }
            }
            var carrier: CarrierKind?
            if let carrierEntry = fields["carrier"] {
                carrier = choice(carrierEntry.value, at: "\(path).carrier", noun: "carrier", as: CarrierKind.self)
            } else {
                error("\(path).carrier is required: simulator, twilio, telnyx or bandwidth", at: item)
            }
            var kind = NumberKind.longCode
            if let kindEntry = fields["kind"] {
                kind = choice(kindEntry.value, at: "\(path).kind", noun: "number kind", as: NumberKind.self) ?? kind
            }
            var mps: Double?
            if let mpsEntry = fields["mps"], let raw = scalar(mpsEntry.value, at: "\(path).mps") {
                if let value = Double(raw), value > 0, value.isFinite {
                    mps = value
                } else {
                    error("\(path).mps must be a positive number of messages per second, e.g. 1 or 0.5", at: mpsEntry.value)
                }
            }
            var dailyCap: Int?
            if let capEntry = fields["daily_cap"], let raw = scalar(capEntry.value, at: "\(path).daily_cap") {
                if let value = Int(raw), value >= 1 {
                    dailyCap = value
                } else {
                    error("\(path).daily_cap must be a whole number of texts per day, at least 1, e.g. 2000", at: capEntry.value)
                }
            }
            if let number, let carrier, let carrierNode = fields["carrier"]?.value {
                result.append((NumberConfig(number: number, carrier: carrier, kind: kind, messagesPerSecond: mps, dailyCap: dailyCap), carrierNode))
            }
        }
        return result
    }
}
