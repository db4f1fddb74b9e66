import Foundation

/// What a caller may choose per job. Anything left `nil` takes the queue's default from ``QueueTable``.
public struct JobOptions: Sendable {
    /// Urgent, high, normal or low; ages so low never starves.
    public var priority: Priority
    /// Run no earlier than this long after enqueue.
    public var delay: Duration?
    /// Run no earlier than this moment (wins over `delay`).
    public var runAt: Date?
    /// Attempts before the job fails for good (queue default when `nil`).
    public var maxAttempts: Int?
    /// Backoff between attempts (queue default when `nil`).
    public var retry: RetryPolicy?
    /// How long one attempt may run before its handler is cancelled (queue default when `nil`).
    public var timeout: Duration?
    /// The same key within `idempotencyWindow` returns the first job instead of enqueueing another.
    public var idempotencyKey: String?
    /// How long an idempotency key is remembered.
    public var idempotencyWindow: Duration
    /// The company the job belongs to.
    public var tenant: String?
    /// Overrides the queue's retention for this job.
    public var retention: JobRetention?

    public init(priority: Priority = .normal, delay: Duration? = nil, runAt: Date? = nil, maxAttempts: Int? = nil,
                retry: RetryPolicy? = nil, timeout: Duration? = nil, idempotencyKey: String? = nil,
                idempotencyWindow: Duration = .seconds(24 * 3600), tenant: String? = nil, retention: JobRetention? = nil) {
        self.priority = priority; self.delay = delay; self.runAt = runAt; self.maxAttempts = maxAttempts
        self.retry = retry; self.timeout = timeout; self.idempotencyKey = idempotencyKey
        self.idempotencyWindow = idempotencyWindow; self.tenant = tenant; self.retention = retention
    }
}

/// A per-job override of the queue's retention.
public struct JobRetention: Hashable, Sendable, Codable {
    /// Delete the record as soon as the job completes (failures are still kept).
    public var removeOnComplete: Bool
    public init(removeOnComplete: Bool) { self.removeOnComplete = removeOnComplete }
    public static let removeOnComplete = JobRetention(removeOnComplete: true)
}

/// How many finished jobs a queue keeps, and for how long. Whichever bound bites first trims. The Redis driver trims by
/// count in batches, so a queue may hold up to 1 % more than `completedCount`/`failedCount` for a moment.
public struct Retention: Hashable, Sendable, Codable {
    /// Completed jobs kept at most.
    public var completedCount: Int
    /// Completed jobs older than this are deleted.
    public var completedAge: Duration
    /// Failed jobs (the dead letter) kept at most.
    public var failedCount: Int
    /// Failed jobs older than this are deleted.
    public var failedAge: Duration
    /// Whether a completed job keeps its payload. A queue that keeps many completed jobs for long, only to show their
    /// state and result, sets `false`: the payload (the job's input, often kilobytes) is dropped at completion and the
    /// record keeps everything else. Failed jobs always keep theirs, since a retry needs it.
    public var keepsCompletedPayload: Bool
    public init(completedCount: Int = 1000, completedAge: Duration = .seconds(24 * 3600),
                failedCount: Int = 5000, failedAge: Duration = .seconds(7 * 24 * 3600), keepsCompletedPayload: Bool = true) {
        self.completedCount = completedCount; self.completedAge = completedAge
        self.failedCount = failedCount; self.failedAge = failedAge; self.keepsCompletedPayload = keepsCompletedPayload
    }
}

/// A rate limit shared by every process working a queue: at most `limit` jobs start per `window`.
///
/// Windows are aligned to the clock (`floor(now / window)`), so every process and every driver count the same window.
public struct RateLimit: Hashable, Sendable, Codable {
    /// Jobs that may start per window.
    public var limit: Int
    /// The window, aligned to the clock.
    public var window: Duration
    public init(_ limit: Int, per window: Duration) { self.limit = limit; self.window = window }
    public static func perMinute(_ n: Int) -> RateLimit { RateLimit(n, per: .seconds(60)) }
}

/// A job fully resolved against its queue's defaults: what a driver stores. Built by ``JobQueue``.
public struct JobRequest: Sendable {
    public var id: JobID
    public var queue: QueueName
    public var kind: String
    public var payload: Data
    public var tenant: String?
    public var priority: Priority
    /// Milliseconds since 1970; at or before enqueue time means "waiting now".
    public var runAtMs: Int64
    public var maxAttempts: Int
    public var retry: RetryPolicy
    public var timeoutMs: Int64?
    public var idempotencyKey: String?
    public var idempotencyWindowMs: Int64
    public var removeOnComplete: Bool
    /// When the producer enqueued it (milliseconds since 1970), so that what it answers (a 202's `enqueuedAt`) is what is
    /// stored; `nil` lets the driver take its own clock. A driver stamps a batch with its first request's time.
    public var enqueuedAtMs: Int64?

    public init(id: JobID = .make(), queue: QueueName, kind: String, payload: Data, tenant: String? = nil,
                priority: Priority = .normal, runAtMs: Int64 = 0, maxAttempts: Int = 3, retry: RetryPolicy = .default,
                timeoutMs: Int64? = nil, idempotencyKey: String? = nil, idempotencyWindowMs: Int64 = 86_400_000,
                removeOnComplete: Bool = false, enqueuedAtMs: Int64? = nil) {
        self.id = id; self.queue = queue; self.kind = kind; self.payload = payload; self.tenant = tenant
        self.priority = priority; self.runAtMs = runAtMs; self.maxAttempts = maxAttempts; self.retry = retry
        self.timeoutMs = timeoutMs; self.idempotencyKey = idempotencyKey; self.idempotencyWindowMs = idempotencyWindowMs
        self.removeOnComplete = removeOnComplete; self.enqueuedAtMs = enqueuedAtMs
    }
}
