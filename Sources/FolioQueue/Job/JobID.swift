import Foundation

/// The identity of one job. Identifiers made by ``JobID/make()`` sort by creation time within a process, so a sorted set
/// whose scores tie falls back to first-in, first-out order.
public struct JobID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (a: JobID, b: JobID) -> Bool { a.rawValue < b.rawValue }

    private static let counter = LockedState<(lastMs: Int64, seq: UInt32)>((0, 0))
    private static let processTag: String = hex(UInt64.random(in: 0..<(1 << 32)), width: 8)

    /// A new identifier: 12 hex digits of milliseconds, 6 of a per-process sequence, 8 random hex digits per process.
    public static func make(now: Int64 = Clock.nowMs()) -> JobID {
        let (ms, seq) = counter.withLock { state -> (Int64, UInt32) in
            if now > state.lastMs { state = (now, 0) } else { state.seq &+= 1 }
            return (state.lastMs, state.seq)
        }
        return JobID(hexDigits(UInt64(ms), 12, UInt64(seq), 6) + processTag)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Two fixed-width lowercase hex numbers, written straight into one string.
    private static func hexDigits(_ a: UInt64, _ aw: Int, _ b: UInt64, _ bw: Int) -> String {
        String(unsafeUninitializedCapacity: aw + bw) { buf in
            var v = a
            for i in stride(from: aw - 1, through: 0, by: -1) { buf[i] = digits[Int(v & 15)]; v >>= 4 }
            v = b
            for i in stride(from: aw + bw - 1, through: aw, by: -1) { buf[i] = digits[Int(v & 15)]; v >>= 4 }
            return aw + bw
        }
    }

    static func hex(_ value: UInt64, width: Int) -> String {
        let s = String(value, radix: 16)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// The name of a queue: the unit of concurrency, rate limits, pause and retention.
public struct QueueName: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let pdf: QueueName = "pdf"
    public static let email: QueueName = "email"
    public static let notification: QueueName = "notification"
    public static let ai: QueueName = "ai"
    public static let oma: QueueName = "oma"
    public static let scheduled: QueueName = "scheduled"
}

/// Wall-clock milliseconds since 1970, the time unit both drivers store.
public enum Clock {
    public static func nowMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    public var milliseconds: Int64 {
        let (s, a) = components
        return s * 1000 + a / 1_000_000_000_000_000
    }

    /// Whole nanoseconds, rounded down (for NIO's `TimeAmount`).
    public var nanoseconds: Int64 {
        let (s, a) = components
        return s * 1_000_000_000 + a / 1_000_000_000
    }
}
