import Foundation

/// A driver that keeps what the dashboard shows beyond counts: finish throughput and live worker processes.
public protocol QueueMonitoring: Sendable {
    /// Jobs that finished (completed, failed) in the last minute and the last hour, in 10-second buckets.
    func throughput(queue: QueueName) async throws -> Throughput
    /// Records that a worker process is alive; it stays listed for `ttl` without another beat.
    func recordHeartbeat(_ beat: WorkerHeartbeat, ttl: Duration) async throws
    /// Worker processes whose last beat has not expired.
    func liveWorkers() async throws -> [WorkerHeartbeat]
}

/// Finished jobs per window.
public struct Throughput: Sendable, Hashable, Codable {
    public var completedLastMinute = 0, completedLastHour = 0, failedLastMinute = 0, failedLastHour = 0
    public init(completedLastMinute: Int = 0, completedLastHour: Int = 0, failedLastMinute: Int = 0, failedLastHour: Int = 0) {
        self.completedLastMinute = completedLastMinute; self.completedLastHour = completedLastHour
        self.failedLastMinute = failedLastMinute; self.failedLastHour = failedLastHour
    }

    /// Width of one throughput bucket; both drivers count finishes per bucket.
    public static let bucketMs: Int64 = 10_000

    /// Sums per-bucket counts (`bucket index -> count`) into the minute and hour windows ending at `nowMs`.
    public static func sum(_ buckets: [Int64: Int], now nowMs: Int64) -> (minute: Int, hour: Int) {
        let current = nowMs / bucketMs
        var minute = 0, hour = 0
        for (b, n) in buckets where b <= current {
            if b >= current - 5 { minute += n }
            if b >= current - 359 { hour += n }
        }
        return (minute, hour)
    }
}

/// One worker process, as its heartbeat describes it.
public struct WorkerHeartbeat: Sendable, Hashable, Codable {
    public var id: String
    public var host: String
    public var pid: Int32
    public var queues: [QueueName]
    public var inFlight: Int
    public var startedAtMs: Int64
    public var lastSeenMs: Int64
    public init(id: String, host: String, pid: Int32, queues: [QueueName], inFlight: Int, startedAtMs: Int64, lastSeenMs: Int64) {
        self.id = id; self.host = host; self.pid = pid; self.queues = queues; self.inFlight = inFlight
        self.startedAtMs = startedAtMs; self.lastSeenMs = lastSeenMs
    }
}

/// Wait and run time percentiles in milliseconds.
public struct Percentiles: Sendable, Hashable, Codable {
    public var p50: Int64, p90: Int64, p99: Int64, max: Int64
    public init(_ values: [Int64]) {
        let v = values.sorted()
        func at(_ q: Double) -> Int64 { v.isEmpty ? 0 : v[min(v.count - 1, Int(Double(v.count) * q))] }
        p50 = at(0.5); p90 = at(0.9); p99 = at(0.99); max = v.last ?? 0
    }
}

/// What an operator sees for one queue.
public struct QueueStats: Sendable, Hashable, Codable {
    public var queue: QueueName
    public var counts: QueueCounts
    public var throughput: Throughput
    /// From enqueue (or run-at) to start, over the most recently completed jobs.
    public var waitTime: Percentiles
    /// From start to finish, over the same jobs.
    public var runTime: Percentiles
    public var sampleSize: Int
    /// The newest failed jobs.
    public var recentFailures: [JobRecord]

    /// Gathers the stats from a driver that administers and monitors queues.
    public static func collect(from driver: any QueueAdministration & QueueMonitoring, queue: QueueName,
                               sample: Int = 500, failures: Int = 10) async throws -> QueueStats {
        let counts = try await driver.counts(queue: queue)
        let throughput = try await driver.throughput(queue: queue)
        let recent = try await driver.jobs(queue: queue, state: .completed, offset: 0, limit: sample)
        let failed = try await driver.jobs(queue: queue, state: .failed, offset: 0, limit: failures)
        let timed = recent.compactMap { r -> (Int64, Int64)? in
            guard let s = r.startedAtMs, let f = r.finishedAtMs else { return nil }
            return (max(0, s - r.runAtMs), max(0, f - s))
        }
        return QueueStats(queue: queue, counts: counts, throughput: throughput, waitTime: Percentiles(timed.map(\.0)),
                          runTime: Percentiles(timed.map(\.1)), sampleSize: timed.count, recentFailures: failed)
    }
}
