import ArgumentParser
import Foundation

/// A time option's value: Unix seconds, an ISO 8601 date or time, or a time relative to now (`-24h`).
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// The time, in Unix seconds.
    let unixSeconds: Int64

    init?(argument: String) {
        guard let seconds = TimeText.parse(argument, now: Int64(Date().timeIntervalSince1970)) else { return nil }
        unixSeconds = seconds
    }
}

/// A duration option's value: seconds (`90`) or a duration (`1h 30m`, `2d`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    /// The duration, in seconds.
    let seconds: Int64

    init?(argument: String) {
        if !argument.isEmpty, argument.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int64(argument) else { return nil }
            self.seconds = seconds
        } else {
            guard let seconds = DurationText.parse(argument), seconds >= 0 else { return nil }
            self.seconds = seconds
        }
    }

    init(seconds: Int64) { self.seconds = seconds }

    var defaultValueDescription: String { DurationText.format(seconds: seconds) }
}
