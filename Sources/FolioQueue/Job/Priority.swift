/// How soon a job should run relative to others on its queue.
///
/// Within a priority jobs run first in, first out. Priorities age so that low never starves: a job's rank is its ready time
/// plus ``ageing`` × its raw value, so a `low` job that has waited three minutes outranks a fresh `urgent` one.
public struct Priority: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = max(0, min(rawValue, 9)) }

    public static let urgent = Priority(rawValue: 0)
    public static let high = Priority(rawValue: 1)
    public static let normal = Priority(rawValue: 2)
    public static let low = Priority(rawValue: 3)

    /// The head start one priority step gives.
    public static let ageing: Duration = .seconds(60)

    /// The sort key of a job that becomes ready at `readyAtMs` (smaller runs first). Both drivers use this.
    public func rank(readyAtMs: Int64) -> Int64 { readyAtMs + Int64(rawValue) * Self.ageing.milliseconds }

    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        switch rawValue { case 0: "urgent"; case 1: "high"; case 2: "normal"; case 3: "low"; default: "p\(rawValue)" }
    }
    public init?(name: String) {
        switch name { case "urgent": self = .urgent; case "high": self = .high; case "normal": self = .normal
        case "low": self = .low; default: return nil }
    }
}

/// Where a job is in its life.
public enum JobState: String, Sendable, Codable, CaseIterable {
    /// Ready to run, ordered by priority rank.
    case waiting
    /// Waiting for its run-at time (a delay, or a retry's backoff).
    case delayed
    /// Leased by a worker; returns to `waiting` if the lease expires.
    case active
    /// Finished successfully.
    case completed
    /// Out of attempts, failed permanently, or cancelled: the dead letter.
    case failed

    public var isFinished: Bool { self == .completed || self == .failed }
}
