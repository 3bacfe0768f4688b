// PhoneNumber: a telephone number that is always E.164 ("+14155550142").

import Foundation
//
// Parsing accepts the common US/NANP spellings ("(415) 555-0142", "1-415-555-0142", "4155550142",
// "+1 415 555 0142") and international E.164. NANP numbers are validated by the numbering plan's
// structural rules: area code and exchange start with 2-9, N11 codes are service codes, not area codes.
// Errors never carry the digits themselves, so they are safe to put in logs and problem responses.

public struct PhoneNumber: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The number in E.164: "+", country code, subscriber number; digits only.
    public let e164: String

    public init(parsing raw: String) throws(PhoneNumberError) {
        self.e164 = try PhoneNumber.normalize(raw)
    }

    /// Wraps a value already known to be E.164 (for example read back from our own storage).
    public init(trustedE164: String) { self.e164 = trustedE164 }

    /// What a provider reported as a caller id, kept even when it is not a number we can text: E.164 when
    /// it parses; otherwise its digits without a "+", or a short lower-case word ("anonymous"), so that
    /// the call is stored and `reachability` explains why it gets no text.
    public init(callerID raw: String) {
        if let valid = try? PhoneNumber.normalize(raw) {
            e164 = valid
            return
        }
        let digits = String(raw.unicodeScalars.filter { $0.isASCII && ("0"..."9").contains($0) }.prefix(20).map(Character.init))
        if !digits.isEmpty {
            e164 = digits
        } else {
            let word = String(raw.lowercased().unicodeScalars.filter { $0.isASCII && ("a"..."z").contains($0) }.prefix(20).map(Character.init))
            e164 = word.isEmpty ? "unknown" : word
        }
    }

    /// Caller ids carriers send when the caller hid or has no number (Twilio's documented placeholders
    /// for anonymous, restricted, blocked and unavailable callers).
    static let withheldCallerIDs: Set<String> = ["+266696687", "+7378742833", "+2562533", "+8656696", "+86282452253"]

    public enum Reachability: Sendable, Equatable {
        case textable
        /// `reason` is a stable code for the decision; `sentence` says it to a person.
        case unreachable(reason: String, sentence: String)
    }

    /// Whether TextBack can text this number at all. Numbers come from providers: a call from a number
    /// we cannot text is still stored, and this is the reason its decision gives.
    public var reachability: Reachability {
        guard e164.hasPrefix("+"), (try? PhoneNumber.normalize(e164)) == e164 else {
            if e164.allSatisfy({ $0.isLetter }) {
                return .unreachable(reason: "caller_id_withheld",
                                    sentence: "The caller's number was not shared (the provider reported \"\(e164)\"), so there is no number to text.")
            }
            return .unreachable(reason: "invalid_number", sentence: "The caller's number is not a valid phone number, so it cannot receive a text.")
        }
        if Self.withheldCallerIDs.contains(e164) {
            return .unreachable(reason: "caller_id_withheld", sentence: "The caller hid their number (the carrier sent a placeholder), so there is no number to text.")
        }
        guard isNANP else {
            return .unreachable(reason: "international_number",
                                sentence: "The caller's number is outside the North American Numbering Plan; TextBack texts only US and Canadian numbers, whose rules it enforces.")
        }
        return .textable
    }

    public var description: String { e164 }

    /// A form safe for logs: country code, area code and last two digits only.
    public var redacted: String {
        guard e164.count > 6 else { return "+…" }
        return String(e164.prefix(5)) + "…" + String(e164.suffix(2))
    }

    /// True for country code 1 (US, Canada and the rest of the North American Numbering Plan).
    public var isNANP: Bool { e164.hasPrefix("+1") && e164.count == 12 }

    /// The three-digit NANP area code (NPA), when this is a NANP number.
    public var areaCode: String? { isNANP ? String(e164.dropFirst(2).prefix(3)) : nil }

    /// The ten national digits of a NANP number.
    public var nationalNumber: String? { isNANP ? String(e164.dropFirst(2)) : nil }

    public static func < (lhs: PhoneNumber, rhs: PhoneNumber) -> Bool { lhs.e164 < rhs.e164 }

    /// Decoding reads our own stored values back, which may be caller ids kept as they came.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = PhoneNumber(callerID: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }

    static func normalize(_ raw: String) throws(PhoneNumberError) -> String {
        // Fast path for what webhooks almost always send, "+1" and ten digits: no Foundation trimming
        // (which bridges through NSString and showed up in the ingest profile).
        let utf8 = raw.utf8
        if utf8.count == 12, utf8.first == UInt8(ascii: "+"),
           utf8.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
           utf8.dropFirst().first == UInt8(ascii: "1") {
            return try nanp(String(decoding: utf8.dropFirst(2), as: UTF8.self))
        }
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        var digits = ""
        var plus = false
        for (index, ch) in trimmed.enumerated() {
            if ch.isASCII, ch.isNumber { digits.append(ch); continue }
            if ch == "+" && index == 0 { plus = true; continue }
            if " -.()\u{00A0}/".contains(ch) { continue }
            throw .invalidCharacter
        }
        guard !digits.isEmpty else { throw .empty }
        if plus {
            if digits.hasPrefix("1") { return try nanp(String(digits.dropFirst())) }
            guard digits.first != "0" else { throw .invalidCountryCode }
            guard (8...15).contains(digits.count) else { throw .wrongLength(digits.count) }
            return "+" + digits
        }
        if digits.count == 11, digits.hasPrefix("1") { return try nanp(String(digits.dropFirst())) }
        if digits.count == 10 { return try nanp(digits) }
        if digits.hasPrefix("011"), (11...18).contains(digits.count) {
            // The US international call prefix, as in 011 44 20 7946 0000.
            let rest = String(digits.dropFirst(3))
            guard rest.first != "0" else { throw .invalidCountryCode }
            if rest.hasPrefix("1") { return try nanp(String(rest.dropFirst())) }
            return "+" + rest
        }
        throw .wrongLength(digits.count)
    }

    /// Validates ten NANP digits (NPA-NXX-XXXX) and returns the E.164 form.
    static func nanp(_ ten: String) throws(PhoneNumberError) -> String {
        guard ten.count == 10 else { throw .wrongLength(ten.count) }
        let d = Array(ten.utf8).map { Int($0) - 48 }
        guard d[0] >= 2 else { throw .areaCodeStartsWith(d[0]) }
        guard !(d[1] == 1 && d[2] == 1) else { throw .serviceCodeAreaCode }
        guard d[3] >= 2 else { throw .exchangeStartsWith(d[3]) }
        return "+1" + ten
    }
}

/// Why a string is not a usable phone number. Descriptions never repeat the digits.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter
    case wrongLength(Int)
    case invalidCountryCode
    case areaCodeStartsWith(Int)
    case serviceCodeAreaCode
    case exchangeStartsWith(Int)

    public var description: String {
        switch self {
        case .empty: "the phone number is empty"
        case .invalidCharacter: "the phone number contains a character that is not a digit, space, dash, dot, parenthesis or leading +"
        case .wrongLength(let n): "the phone number has \(n) digits; a US number has 10 (or 11 starting with 1) and an international E.164 number 8 to 15 after +"
        case .invalidCountryCode: "a country code cannot start with 0"
        case .areaCodeStartsWith(let d): "a NANP area code cannot start with \(d)"
        case .serviceCodeAreaCode: "N11 codes (211, 311, 411, 911, ...) are service codes, not area codes"
        case .exchangeStartsWith(let d): "a NANP exchange (the three digits after the area code) cannot start with \(d)"
        }
    }
}
