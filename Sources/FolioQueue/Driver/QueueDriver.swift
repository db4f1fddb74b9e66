import Foundation

/// The storage and coordination a queue needs: the one protocol every driver implements.
///
/// Implementers guarantee, for every queue:
/// - **Atomic transitions.** Each method moves a job between states as one step another process cannot observe halfway.
/// - **Leases, not pops.** ``lease(queue:worker:count:leaseDuration:rateLimit:)`` counts an attempt and hands out a ``Lease``
///   with a token larger than any earlier one for that job. A lease not renewed before it expires makes the job `waiting` again
///   (or `failed` if its attempts are spent) the next time any process leases from the queue.
/// - **Stale leases are refused.** ``complete(_:result:)``, ``fail(_:error:retryAtMs:)`` and ``renew(_:duration:)`` return
///   `false`/``LeaseStatus/lost`` when the token is not the job's current active lease, and change nothing.
/// - **Order.** Waiting jobs leave in ``Priority/rank(readyAtMs:)`` order, ties by ``JobID`` order; delayed jobs become
///   waiting at their run-at time, not before.
/// - **Rate limits** count leases per clock-aligned window across every process sharing the store.
/// - **Idempotency.** A request whose idempotency key was seen within its window returns the first job's id and stores nothing.
///
/// Callers may assume any method can throw ``QueueError`` with code ``QueueError/Code/unavailable`` when the store is
/// unreachable, promptly rather than after a long hang.
public protocol QueueDriver: Sendable {
    /// Stores jobs (one round trip for the batch where the store allows) and returns their ids in order; a duplicate by
    /// idempotency key returns the existing job's id.
    func enqueue(_ jobs: [JobRequest]) async throws -> [JobID]

    /// Leases up to `count` ready jobs of `queue`, after promoting due delayed jobs and reclaiming expired leases.
    func lease(queue: QueueName, worker: String, count: Int, leaseDuration: Duration, rateLimit: RateLimit?) async throws -> LeaseBatch

    /// Returns when new work may be ready on `queue` or after `timeout`, whichever is first. Must not spin.
    func waitForWork(queue: QueueName, timeout: Duration) async throws

    /// Extends a lease.
    func renew(_ leases: [Lease], duration: Duration) async throws -> [LeaseStatus]

    /// Marks a leased job completed with an optional small JSON result.
    func complete(_ lease: Lease, result: Data?) async throws -> Bool

    /// Records a failed attempt. `retryAtMs` schedules the next attempt; `nil` sends the job to `failed`. A job whose
    /// cancellation was requested goes to `failed` whatever `retryAtMs` says.
    func fail(_ lease: Lease, error: AttemptError, retryAtMs: Int64?) async throws -> Bool

    /// Hands a leased job back without counting the attempt (graceful shutdown).
    func release(_ lease: Lease) async throws -> Bool

    /// The job's record, or `nil` if it does not exist (never enqueued, removed, or trimmed by retention).
    func job(_ id: JobID, queue: QueueName) async throws -> JobRecord?

    /// Sets a running job's progress; `false` if the lease is no longer current.
    func updateProgress(_ lease: Lease, progress: JobProgress) async throws -> Bool

    /// Applies the queue's retention policy. Drivers also trim on each finish; this is for configuration.
    func setRetention(_ retention: Retention, for queue: QueueName) async
}

/// A driver that publishes every state change. Waiters and webhooks subscribe instead of polling.
public protocol JobEventSource: Sendable {
    /// A stream of the queue's events: every event published after this call returns is delivered (up to a buffer of
    /// 10 000 undelivered events, oldest dropped first). Stop iterating to unsubscribe.
    func events(queue: QueueName) async throws -> AsyncStream<JobEvent>

    /// Returns the job's record once it is `completed` or `failed`, or throws ``QueueError/Code/timeout``.
    func wait(for id: JobID, queue: QueueName, timeout: Duration) async throws -> JobRecord

    /// ``wait(for:queue:timeout:)`` for a caller that needs only the final state (`POST /v1/renders?wait=` answers with
    /// the document, not the record): a driver may skip reading the whole record, payload included.
    func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration) async throws -> JobState

    /// ``waitUntilFinished(_:queue:timeout:)`` for a job this process began to enqueue at `enqueuedSince` (not one found
    /// by idempotency key): a driver that has followed the queue's events since before then has heard of any ending, and
    /// need not read the job's state first.
    func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration,
                           enqueuedSince: ContinuousClock.Instant) async throws -> JobState
}

extension JobEventSource {
    public func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration) async throws -> JobState {
        try await wait(for: id, queue: queue, timeout: timeout).state
    }

    public func waitUntilFinished(_ id: JobID, queue: QueueName, timeout: Duration,
                                  enqueuedSince: ContinuousClock.Instant) async throws -> JobState {
        try await waitUntilFinished(id, queue: queue, timeout: timeout)
    }
}

/// A driver that tells workers which active jobs were asked to stop, more cheaply than the full event stream.
public protocol JobCancellationSource: Sendable {
    /// Ids of active jobs of `queue` whose cancellation is requested after this call returns.
    func cancellations(queue: QueueName) async throws -> AsyncStream<JobID>
}

/// Queue administration, for operators and the dashboard.
public protocol QueueAdministration: Sendable {
    func counts(queue: QueueName) async throws -> QueueCounts
    /// The counts of one tenant's jobs, exact however many jobs the queue holds, reading no payload: for an administrator
    /// who sees one company only.
    func counts(queue: QueueName, tenant: String) async throws -> QueueCounts
    /// Jobs in a state, newest finished first for `completed`/`failed`, in run order otherwise.
    func jobs(queue: QueueName, state: JobState, offset: Int, limit: Int) async throws -> [JobRecord]
    /// ``jobs(queue:state:offset:limit:)`` of one tenant, in the same order, reading whole records of its jobs only.
    func jobs(queue: QueueName, state: JobState, tenant: String, offset: Int, limit: Int) async throws -> [JobRecord]
    /// Moves a failed job back to waiting with fresh attempts (its error history stays). `false` if it is not failed.
    func retry(_ id: JobID, queue: QueueName) async throws -> Bool
    /// Cancels a waiting or delayed job (it becomes failed with code `cancelled`), or asks an active one's worker to stop.
    func cancel(_ id: JobID, queue: QueueName) async throws -> Bool
    /// Deletes a job whatever its state. `false` if it did not exist.
    func remove(_ id: JobID, queue: QueueName) async throws -> Bool
    func pause(queue: QueueName) async throws
    func resume(queue: QueueName) async throws
    /// Deletes finished jobs in `state` older than `olderThan`, keeping at least the newest `keep`. Returns how many.
    func clean(queue: QueueName, state: JobState, olderThan: Duration, keep: Int) async throws -> Int
}

/// How many jobs a queue holds in each state.
public struct QueueCounts: Sendable, Hashable, Codable {
    public var waiting = 0, delayed = 0, active = 0, completed = 0, failed = 0
    public var paused = false
    public init(waiting: Int = 0, delayed: Int = 0, active: Int = 0, completed: Int = 0, failed: Int = 0, paused: Bool = false) {
        self.waiting = waiting; self.delayed = delayed; self.active = active; self.completed = completed
        self.failed = failed; self.paused = paused
    }

    /// Counts one more job in `state`.
    public mutating func add(_ state: JobState, _ n: Int = 1) {
        switch state {
        case .waiting: waiting += n
        case .delayed: delayed += n
        case .active: active += n
        case .completed: completed += n
        case .failed: failed += n
        }
    }
}
