// Time comes from outside Core. The engine passes `now` into every pure function; the composition
// root chooses a wall clock, tests a virtual one.

import Foundation

public protocol TimeSource: Sendable {
    func now() -> Date
}
