import Foundation

/// The producer's view of the engine: turns typed jobs and options into ``JobRequest``s with the queue's defaults and hands
/// them to the driver.
public struct JobQueue: Sendable {
    public let driver: any QueueDriver
    public let table: QueueTable

    public init(driver: any QueueDriver, table: QueueTable = .standard()) {
        self.driver = driver
        self.table = table
    }

    /// Enqueues one job and returns its id (the existing job's id when the idempotency key was seen within its window).
    @discardableResult
    public func enqueue<P>(_ kind: JobKind<P>, _ payload: P, options: JobOptions = JobOptions(),
                           now: Int64 = Clock.nowMs()) async throws -> JobID {
        try await driver.enqueue([request(kind, payload, options: options, now: now)])[0]
    }

    /// Enqueues many jobs with the same options in one round trip where the driver allows. (An idempotency key in
    /// `options` would make every job of the batch the same job; give per-job options for that.)
    @discardableResult
    public func enqueue<P>(_ kind: JobKind<P>, batch payloads: [P], options: JobOptions = JobOptions()) async throws -> [JobID] {
        let now = Clock.nowMs()
        return try await driver.enqueue(try payloads.map { try request(kind, $0, options: options, now: now) })
    }

    /// Enqueues many jobs, each with its own options, in one round trip where the driver allows.
    @discardableResult
    public func enqueue<P>(_ kind: JobKind<P>, batch jobs: [(payload: P, options: JobOptions)]) async throws -> [JobID] {
        let now = Clock.nowMs()
        return try await driver.enqueue(try jobs.map { try request(kind, $0.payload, options: $0.options, now: now) })
    }

    /// Resolves options against the queue's defaults.
    public func request<P>(_ kind: JobKind<P>, _ payload: P, options: JobOptions = JobOptions(),
                           now: Int64 = Clock.nowMs()) throws -> JobRequest {
        let config = table[kind.queue]
        let data: Data
        do { data = try PayloadCoder.encode(payload) } catch {
            throw QueueError(.decodeFailed, "payload of \(kind.name) does not encode as JSON: \(error)")
        }
        var runAt: Int64 = 0
        if let at = options.runAt { runAt = Int64(at.timeIntervalSince1970 * 1000) }
        else if let d = options.delay { runAt = now + d.milliseconds }
        return JobRequest(queue: kind.queue, kind: kind.name, payload: data, tenant: options.tenant,
                          priority: options.priority, runAtMs: runAt,
                          maxAttempts: max(1, options.maxAttempts ?? config.maxAttempts),
                          retry: options.retry ?? config.retry,
                          timeoutMs: (options.timeout ?? config.timeout)?.milliseconds,
                          idempotencyKey: options.idempotencyKey,
                          idempotencyWindowMs: options.idempotencyWindow.milliseconds,
                          removeOnComplete: options.retention?.removeOnComplete ?? false, enqueuedAtMs: now)
    }

    /// The job's record, or `nil`.
    public func job(_ id: JobID, queue: QueueName) async throws -> JobRecord? { try await driver.job(id, queue: queue) }

    /// Waits until the job finishes, without polling. Requires a driver that publishes events.
    public func wait(for id: JobID, queue: QueueName, timeout: Duration) async throws -> JobRecord {
        guard let source = driver as? any JobEventSource else {
            throw QueueError(.invalidConfiguration, "the driver \(type(of: driver)) does not publish events")
        }
        return try await source.wait(for: id, queue: queue, timeout: timeout)
    }
}
