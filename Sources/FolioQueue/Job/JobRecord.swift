import Foundation

/// Everything a driver knows about one job.
public struct JobRecord: Sendable, Codable, Hashable {
    public var id: JobID
    public var queue: QueueName
    public var kind: String
    public var payload: Data
    public var tenant: String?
    public var priority: Priority
    public var state: JobState
    /// Attempts started so far (a lease counts as an attempt).
    public var attempts: Int
    public var maxAttempts: Int
    public var retry: RetryPolicy
    public var timeoutMs: Int64?
    public var idempotencyKey: String?
    public var progress: JobProgress
    public var result: Data?
    /// One entry per failed attempt, oldest first.
    public var errors: [AttemptError]
    public var enqueuedAtMs: Int64
    public var runAtMs: Int64
    public var startedAtMs: Int64?
    public var finishedAtMs: Int64?
    /// The worker that ran (or runs) the latest attempt.
    public var worker: String?
    /// Set when someone asked to cancel the job while it was active.
    public var cancelRequested: Bool

    public init(id: JobID, queue: QueueName, kind: String, payload: Data, tenant: String? = nil, priority: Priority = .normal,
                state: JobState, attempts: Int = 0, maxAttempts: Int = 1, retry: RetryPolicy = .default, timeoutMs: Int64? = nil,
                idempotencyKey: String? = nil, progress: JobProgress = JobProgress(), result: Data? = nil,
                errors: [AttemptError] = [], enqueuedAtMs: Int64 = 0, runAtMs: Int64 = 0, startedAtMs: Int64? = nil,
                finishedAtMs: Int64? = nil, worker: String? = nil, cancelRequested: Bool = false) {
        self.id = id; self.queue = queue; self.kind = kind; self.payload = payload; self.tenant = tenant
        self.priority = priority; self.state = state; self.attempts = attempts; self.maxAttempts = maxAttempts
        self.retry = retry; self.timeoutMs = timeoutMs; self.idempotencyKey = idempotencyKey; self.progress = progress
        self.result = result; self.errors = errors; self.enqueuedAtMs = enqueuedAtMs; self.runAtMs = runAtMs
        self.startedAtMs = startedAtMs; self.finishedAtMs = finishedAtMs; self.worker = worker
        self.cancelRequested = cancelRequested
    }
}

/// How far a running job is: 0–100 and a short stage text.
public struct JobProgress: Sendable, Codable, Hashable {
    public var percent: Int
    public var stage: String
    public init(percent: Int = 0, stage: String = "") { self.percent = max(0, min(100, percent)); self.stage = stage }
}

/// The error of one failed attempt, as kept in the job record.
public struct AttemptError: Sendable, Codable, Hashable {
    public var attempt: Int
    public var code: String
    public var message: String
    public var atMs: Int64
    public var permanent: Bool
    public init(attempt: Int, code: String, message: String, atMs: Int64, permanent: Bool) {
        self.attempt = attempt; self.code = code; self.message = message; self.atMs = atMs; self.permanent = permanent
    }
}

/// Proof that a worker holds a job: a later lease of the same job has a larger token, so a stale worker's
/// completion or failure is refused instead of overwriting a newer attempt.
public struct Lease: Sendable, Hashable {
    public var id: JobID
    public var queue: QueueName
    public var token: Int64
    public init(id: JobID, queue: QueueName, token: Int64) { self.id = id; self.queue = queue; self.token = token }
}

/// A job handed to a worker, with its lease.
public struct LeasedJob: Sendable {
    public var lease: Lease
    public var record: JobRecord
    public init(lease: Lease, record: JobRecord) { self.lease = lease; self.record = record }
}

/// What one lease call returned.
public struct LeaseBatch: Sendable {
    public var jobs: [LeasedJob]
    /// When something (a delayed job, an expiring lease) next becomes due, if known (ms since 1970).
    public var nextDueMs: Int64?
    /// Set when the queue's rate limit is spent: wait until then before leasing again.
    public var rateLimitedUntilMs: Int64?
    /// The queue is paused.
    public var paused: Bool
    public init(jobs: [LeasedJob] = [], nextDueMs: Int64? = nil, rateLimitedUntilMs: Int64? = nil, paused: Bool = false) {
        self.jobs = jobs; self.nextDueMs = nextDueMs; self.rateLimitedUntilMs = rateLimitedUntilMs; self.paused = paused
    }
}

/// What a lease renewal found.
public struct LeaseStatus: Hashable, Sendable {
    let raw: Int
    /// Still ours, extended.
    public static let held = LeaseStatus(raw: 1)
    /// Expired and taken by another attempt, or the job was removed: stop working on it.
    public static let lost = LeaseStatus(raw: 0)
    /// Still ours, but someone asked to cancel it.
    public static let cancelRequested = LeaseStatus(raw: 2)
}
