// Credentials and endpoints of the carriers the configured numbers use. Secrets are only ever read
// from the environment ("env:NAME" in the file) and are held in a type that prints as "<redacted>".

import Foundation

public struct CarrierSettings: Sendable, Hashable {
    /// A credential from the environment. Printing, dumping or interpolating it shows "<redacted>";
    /// `reveal()` is the one way to the value, so every use is visible in review.
    public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// The environment variable it came from, safe to show in messages.
        public let environmentVariable: String
        private let value: String

        public init(environmentVariable: String, value: String) {
            self.environmentVariable = environmentVariable
            self.value = value
        }

        public func reveal() -> String { value }

        public var description: String { "<redacted>" }
        public var debugDescription: String { "<redacted>" }
        public var customMirror: Mirror { Mirror(self, children: ["environmentVariable": environmentVariable]) }
    }

    public struct Twilio: Sendable, Hashable {
        public var accountSID: String
        public var authToken: Secret
        /// nil: Twilio's production API. Tests point it at a local fake.
        public var baseURL: URL?
        /// nil: Twilio Lookup's production host (lookups.twilio.com). Tests point it at a local fake.
        public var lookupBaseURL: URL?

        public init(accountSID: String, authToken: Secret, baseURL: URL? = nil, lookupBaseURL: URL? = nil) {
            self.accountSID = accountSID
            self.authToken = authToken
            self.baseURL = baseURL
            self.lookupBaseURL = lookupBaseURL
        }
    }

    public struct Telnyx: Sendable, Hashable {
        public var apiKey: Secret
        /// The Ed25519 key (base64) that verifies webhook signatures; public, so it may be written literally.
        public var publicKey: String
        public var baseURL: URL?

        public init(apiKey: Secret, publicKey: String, baseURL: URL? = nil) {
            self.apiKey = apiKey
            self.publicKey = publicKey
            self.baseURL = baseURL
        }
    }

    public struct Bandwidth: Sendable, Hashable {
        public var accountID: String
        public var username: String
        public var password: Secret
        /// Required to send (Bandwidth refuses a message without `applicationId`).
        public var applicationID: String?
        public var baseURL: URL?
        /// The HTTP Basic credentials Bandwidth sends on its callbacks (set on the Bandwidth
        /// application); without them the callback routes refuse everything.
        public var callbackUsername: String?
        public var callbackPassword: Secret?

        public init(accountID: String, username: String, password: Secret, applicationID: String? = nil, baseURL: URL? = nil,
                    callbackUsername: String? = nil, callbackPassword: Secret? = nil) {
            self.accountID = accountID
            self.username = username
            self.password = password
            self.applicationID = applicationID
            self.baseURL = baseURL
            self.callbackUsername = callbackUsername
            self.callbackPassword = callbackPassword
        }
    }

    /// nil when the file has no section for the carrier, or has one that no number uses and whose
    /// environment variables are not set (a warning says so).
    public var twilio: Twilio?
    public var telnyx: Telnyx?
    public var bandwidth: Bandwidth?

    public init(twilio: Twilio? = nil, telnyx: Telnyx? = nil, bandwidth: Bandwidth? = nil) {
        self.twilio = twilio
        self.telnyx = telnyx
        self.bandwidth = bandwidth
    }
}
