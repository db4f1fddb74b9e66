import Foundation
import Logging
import ServiceLifecycle

/// A job fired by a ``Scheduler``.
public struct ScheduledJob: Sendable {
    public var name: String
    public var schedule: Schedule
    /// Builds the job for one occurrence (milliseconds since 1970).
    public var makeRequest: @Sendable (_ occurrenceMs: Int64) throws -> JobRequest

    public init(name: String, schedule: Schedule, makeRequest: @escaping @Sendable (Int64) throws -> JobRequest) {
        self.name = name; self.schedule = schedule; self.makeRequest = makeRequest
    }

    /// A typed job with a fixed payload, on the kind's queue.
    public init<P>(name: String, schedule: Schedule, queue: JobQueue, kind: JobKind<P>, payload: P,
                   options: JobOptions = JobOptions()) {
        self.init(name: name, schedule: schedule) { _ in try queue.request(kind, payload, options: options) }
    }
}

/// Fires scheduled jobs, once per occurrence however many schedulers run.
///
/// Each occurrence is enqueued with the idempotency key `schedule:<name>:<occurrence ms>`, so when several processes fire
/// the same occurrence the driver stores one job. On start, occurrences missed since the last recorded one (within
/// ``catchUpWindow``) are fired too, if the driver is a ``ScheduleStore``.
public final class Scheduler: Service, Sendable {
    let driver: any QueueDriver
    let jobs: [ScheduledJob]
    public let catchUpWindow: Duration
    let logger: Logger
    let stopping = LockedState(false)
    let wake = WakeSignal()

    public init(driver: any QueueDriver, jobs: [ScheduledJob], catchUpWindow: Duration = .seconds(3600),
                logger: Logger = Logger(label: "folio.scheduler")) {
        self.driver = driver; self.jobs = jobs; self.catchUpWindow = catchUpWindow; self.logger = logger
    }

    public func shutdown() { stopping.withLock { $0 = true }; wake.signal() }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await loop()
        } onGracefulShutdown: {
            self.shutdown()
        }
    }

    private func loop() async throws {
        let store = driver as? any ScheduleStore
        let start = Clock.nowMs()
        var next: [Int64?] = []
        for job in jobs {
            var from = start
            if let store, let last = try? await store.lastOccurrence(of: job.name) {
                from = max(last, start - catchUpWindow.milliseconds)
            }
            next.append(job.schedule.next(afterMs: from))
        }
        while !stopping.withLock({ $0 }) && !Task.isCancelled {
            let now = Clock.nowMs()
            for (i, job) in jobs.enumerated() {
                while let due = next[i], due <= now {
                    await fire(job, at: due, store: store)
                    next[i] = job.schedule.next(afterMs: due)
                }
            }
            guard let soonest = next.compactMap({ $0 }).min() else { return }
            await wake.wait(timeout: .milliseconds(max(1, min(soonest - Clock.nowMs(), 60_000))))
        }
    }

    private func fire(_ job: ScheduledJob, at occurrence: Int64, store: (any ScheduleStore)?) async {
        do {
            var request = try job.makeRequest(occurrence)
            request.idempotencyKey = "schedule:\(job.name):\(occurrence)"
            request.idempotencyWindowMs = max(request.idempotencyWindowMs, 2 * catchUpWindow.milliseconds)
            let id = try await driver.enqueue([request])[0]
            try? await store?.recordOccurrence(occurrence, of: job.name)
            logger.debug("fired", metadata: ["schedule": "\(job.name)", "occurrence": "\(occurrence)", "job": "\(id)"])
        } catch {
            logger.error("could not fire a scheduled job", metadata: ["schedule": "\(job.name)", "error": "\(error)"])
        }
    }
}
