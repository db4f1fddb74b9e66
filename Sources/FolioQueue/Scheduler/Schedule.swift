import Foundation

/// When a scheduled job fires: a cron expression or a fixed interval. Intervals are aligned to the Unix epoch, so every
/// process computes the same occurrences.
public struct Schedule: Sendable, Hashable, CustomStringConvertible {
    enum Rule: Hashable, Sendable {
        case cron(CronExpression)
        case every(Int64)
    }
    let rule: Rule

    public static func cron(_ expression: String, timeZone: TimeZone = TimeZone(identifier: "UTC")!) throws -> Schedule {
        Schedule(rule: .cron(try CronExpression(expression, timeZone: timeZone)))
    }
    public static func every(_ interval: Duration) -> Schedule {
        Schedule(rule: .every(max(1, interval.milliseconds)))
    }

    /// The first occurrence strictly after `ms` (milliseconds since 1970).
    public func next(afterMs ms: Int64) -> Int64? {
        switch rule {
        case .every(let step): return (ms / step + 1) * step
        case .cron(let c):
            return c.next(after: Date(timeIntervalSince1970: Double(ms) / 1000)).map { Int64($0.timeIntervalSince1970 * 1000) }
        }
    }

    public var description: String {
        switch rule {
        case .cron(let c): "cron(\(c.source) \(c.timeZone.identifier))"
        case .every(let ms): "every(\(ms) ms)"
        }
    }
}

/// Where schedulers remember the last occurrence they fired, so a restart catches up on what it missed.
public protocol ScheduleStore: Sendable {
    func lastOccurrence(of schedule: String) async throws -> Int64?
    /// Records an occurrence; a store keeps the largest it was given.
    func recordOccurrence(_ ms: Int64, of schedule: String) async throws
}
