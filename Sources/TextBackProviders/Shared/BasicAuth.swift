// HTTP Basic authentication (RFC 7617): the header we send to Twilio and Bandwidth, and the check of
// the header Bandwidth sends on its callbacks.

import Foundation

public enum BasicAuth {
    public static func header(username: String, password: String) -> String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    /// True when `authorization` carries exactly these credentials. Both parts are always compared, in
    /// constant time, so the time taken says nothing about which one was wrong.
    public static func matches(_ authorization: String?, username: String, password: String) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
              let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":"))
        else { return false }
        let user = Array(decoded[decoded.startIndex..<colon])
        let pass = Array(decoded[decoded.index(after: colon)...])
        let userOK = constantTimeEqual(user, Array(username.utf8))
        let passOK = constantTimeEqual(pass, Array(password.utf8))
        return userOK && passOK
    }
}
