// The GSM 03.38 (3GPP TS 23.038) default alphabet: which characters an SMS can carry in 7-bit
// encoding, and how many septets each costs. Anything outside it forces the whole message to UCS-2.

import Foundation

enum GSM7Alphabet {
    /// The basic table: one septet each. Written out as in the standard's table order so that it can
    /// be checked against it by eye. Note the backtick (`) and lowercase ç are NOT in it.
    static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars
    )

    /// The extension table: reached through an escape (ESC, 0x1B) so each costs two septets.
    /// Form feed is in it too (it is how page breaks were sent).
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)

    /// Septets one scalar costs in GSM-7: 1 (basic), 2 (extension) or nil (not encodable).
    static func septets(_ scalar: Unicode.Scalar) -> Int? {
        if basic.contains(scalar) { return 1 }
        if extended.contains(scalar) { return 2 }
        return nil
    }

    static func isEncodable(_ scalar: Unicode.Scalar) -> Bool { septets(scalar) != nil }

    static func isEncodable(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy(isEncodable)
    }
}
