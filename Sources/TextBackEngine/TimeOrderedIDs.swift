// Production identifiers: "prefix_" + the creation time in milliseconds + random bits, both in
// Crockford base32, so ids sort by creation time. Random UUIDs scatter inserts across every primary-key
// index; time-ordered ids append, which keeps a large table's writes on its last pages.

import Foundation
import TextBackCore

extension IDSource {
    public static func timeOrdered(clock: any TimeSource) -> IDSource {
        IDSource { prefix in
            let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)
            var bytes = [UInt8](repeating: 0, count: 23)
            var ms = UInt64(max(0, clock.now().timeIntervalSince1970 * 1000))
            for i in stride(from: 9, through: 0, by: -1) {
                bytes[i] = alphabet[Int(ms & 31)]
                ms >>= 5
            }
            var random = UInt64.random(in: 0...UInt64.max)
            for i in 10..<23 {
                bytes[i] = alphabet[Int(random & 31)]
                random >>= 5
            }
            return prefix + "_" + String(decoding: bytes, as: UTF8.self)
        }
    }
}
