import Foundation
import Logging

/// The fetch–run–report loop of one queue inside a ``WorkerPool``.
struct QueueRunner: Sendable {
    let pool: WorkerPool
    let config: QueueConfiguration
    let inFlight = InFlight()
    let slotFreed = WakeSignal()
    var queue: QueueName { config.name }
    var driver: any QueueDriver { pool.driver }
    var logger: Logger { pool.logger }

    func run() async {
        let side = Task { await withDiscardingTaskGroup { g in
            g.addTask { await self.renewLoop() }
            g.addTask { await self.cancelListener() }
        } }
        await fetchLoop()
        if await !inFlight.waitEmpty(timeout: pool.configuration.gracePeriod) {
            logger.warning("grace period over, handing back in-flight jobs", metadata: ["queue": "\(queue)"])
            inFlight.stopAll(.shutdown)
            // A handler that ignores cancellation keeps its job until the lease expires; then it runs elsewhere.
            if await !inFlight.waitEmpty(timeout: config.leaseDuration) {
                logger.error("handlers ignored cancellation; their leases will expire", metadata: ["queue": "\(queue)"])
            }
        }
        side.cancel()
        await side.value
    }

    private func fetchLoop() async {
        var failures = 0
        while !pool.isStopping && !Task.isCancelled {
            let free = config.concurrency - inFlight.count
            if free <= 0 {
                await slotFreed.wait()
                // Let other finishing jobs free their slots too, so the next lease takes several jobs at once.
                await Task.yield()
                continue
            }
            let batch: LeaseBatch
            do {
                batch = try await driver.lease(queue: queue, worker: pool.configuration.workerID, count: free,
                                               leaseDuration: config.leaseDuration, rateLimit: config.rateLimit)
                failures = 0
            } catch {
                failures += 1
                let backoff = Duration.milliseconds(min(5_000, 100 << min(failures, 6)))
                logger.warning("lease failed, retrying", metadata: ["queue": "\(queue)", "error": "\(error)", "in": "\(backoff)"])
                await pool.pause(backoff)
                continue
            }
            for job in batch.jobs {
                inFlight.add(job.lease)
                // One task per job, cancellable on its own (timeout, cancel request, lost lease, shutdown).
                let task = Task { await self.execute(job) }
                if inFlight.attach(job.lease, task) != nil { task.cancel() }
            }
            if !batch.jobs.isEmpty { continue }
            let now = Clock.nowMs()
            if let until = batch.rateLimitedUntilMs {
                await pool.pause(.milliseconds(max(1, until - now)))
                continue
            }
            var wait = pool.configuration.idleWait
            if let due = batch.nextDueMs { wait = min(wait, .milliseconds(max(1, due - now))) }
            do { try await driver.waitForWork(queue: queue, timeout: wait) } catch {
                await pool.pause(.milliseconds(200))
            }
        }
    }

    private func execute(_ job: LeasedJob) async {
        let record = job.record
        let lease = job.lease
        let driver = self.driver
        defer {
            inFlight.remove(lease)
            slotFreed.signal()
        }
        guard let handler = pool.registry.handler(queue: queue, kind: record.kind) else {
            await report { try await driver.fail(lease, error: attemptError(record, code: "no_handler",
                message: "no handler for kind \(record.kind) on queue \(queue)", permanent: true), retryAtMs: nil) }
            return
        }
        let context = JobContext(id: record.id, queue: queue, kind: record.kind, attempt: record.attempts,
                                 maxAttempts: record.maxAttempts, tenant: record.tenant, baseLogger: logger,
                                 reportProgress: { p in _ = try? await driver.updateProgress(lease, progress: p) })
        let inFlight = self.inFlight
        let timer = record.timeoutMs.map { t in
            AlarmClock.shared.schedule(after: .milliseconds(t)) { inFlight.stop(lease, .timeout) }
        }
        let outcome: Result<Data?, any Error>
        do { outcome = .success(try await handler(record.payload, context)) } catch { outcome = .failure(error) }
        if let timer { AlarmClock.shared.cancel(timer) }
        switch (outcome, inFlight.reason(lease)) {
        case (.success(let result), _):
            await report { try await driver.complete(lease, result: result) }
        case (.failure, .shutdown?):
            await report { try await driver.release(lease) }
        case (.failure, .leaseLost?):
            context.logger.warning("lease lost while running; the job runs elsewhere")
        case (.failure, .timeout?):
            let e = attemptError(record, code: "timeout", message: "timed out after \(record.timeoutMs ?? 0) ms", permanent: false)
            await report { try await driver.fail(lease, error: e, retryAtMs: retryAt(record, e)) }
        case (.failure, .cancelled?):
            let e = attemptError(record, code: "cancelled", message: "cancelled while running", permanent: true)
            await report { try await driver.fail(lease, error: e, retryAtMs: nil) }
        case (.failure(let error), nil):
            let e: AttemptError
            if let je = error as? JobError {
                e = attemptError(record, code: je.code, message: je.message, permanent: je.isPermanent)
            } else {
                e = attemptError(record, code: "error", message: "\(error)", permanent: false)
            }
            await report { try await driver.fail(lease, error: e, retryAtMs: retryAt(record, e)) }
        }
    }

    private func attemptError(_ r: JobRecord, code: String, message: String, permanent: Bool) -> AttemptError {
        AttemptError(attempt: r.attempts, code: code, message: message, atMs: Clock.nowMs(), permanent: permanent)
    }

    private func retryAt(_ r: JobRecord, _ e: AttemptError) -> Int64? {
        guard !e.permanent, r.attempts < r.maxAttempts else { return nil }
        return Clock.nowMs() + r.retry.delayMs(afterAttempt: r.attempts)
    }

    /// Reports an outcome, retrying while the store is unreachable. If it never gets through, the lease expires and the job
    /// runs again: at least once, never lost.
    private func report(_ call: @escaping @Sendable () async throws -> Bool) async {
        var delay = Duration.milliseconds(50)
        let deadline = ContinuousClock.now + config.leaseDuration
        while true {
            do {
                if try await !call() { logger.debug("outcome refused: the lease is no longer current") }
                return
            } catch {
                if ContinuousClock.now + delay > deadline {
                    logger.error("could not report a job outcome", metadata: ["error": "\(error)"])
                    return
                }
                await Self.sleepEvenIfCancelled(delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// Reporting runs in the job's task, which may be cancelled (shutdown, timeout); its retries must still wait.
    private static func sleepEvenIfCancelled(_ d: Duration) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(d.milliseconds))) { c.resume() }
        }
    }

    private func renewLoop() async {
        let every = config.leaseDuration / 3
        while !Task.isCancelled {
            do { try await Task.sleep(for: every) } catch { return }
            let leases = inFlight.leases
            if leases.isEmpty { continue }
            guard let statuses = try? await driver.renew(leases, duration: config.leaseDuration) else { continue }
            for (lease, status) in zip(leases, statuses) {
                if status == .lost { inFlight.stop(lease, .leaseLost) }
                else if status == .cancelRequested { inFlight.stop(lease, .cancelled) }
            }
        }
    }

    private func cancelListener() async {
        guard pool.configuration.listenForCancellation else { return }
        if let source = driver as? any JobCancellationSource, let ids = try? await source.cancellations(queue: queue) {
            for await id in ids { inFlight.stop(job: id, .cancelled) }
        } else if let source = driver as? any JobEventSource, let events = try? await source.events(queue: queue) {
            for await event in events where event.kind == .cancelRequested { inFlight.stop(job: event.id, .cancelled) }
        }
    }
}
