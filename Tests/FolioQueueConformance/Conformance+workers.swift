import Foundation
import FolioQueue

extension Conformance {
    static func table(_ q: QueueName, concurrency: Int = 2, attempts: Int = 3, retry: RetryPolicy = .fixed(.milliseconds(50)),
                      timeout: Duration? = nil, lease: Duration = .seconds(10), retention: Retention = Retention()) -> QueueTable {
        QueueTable([QueueConfiguration(name: q, concurrency: concurrency, maxAttempts: attempts, retry: retry,
                                       timeout: timeout, leaseDuration: lease, retention: retention)])
    }

    /// A retryable error is retried by the policy, not before its backoff, then lands in `failed` with every error kept.
    @Sendable public static func retriesThenFailedWithAllErrors(_ make: Factory) async throws {
        let d = try await make(), q = unique("retry")
        let kind = JobKind<Numbered>("flaky", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { p, ctx in throw JobError.retryable("attempt \(ctx.attempt) of \(p.n)") }
        let t = table(q, attempts: 3, retry: .fixed(.milliseconds(100)))
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Numbered(n: 7))
        let r = try await withPool(d, registry, t, queues: [q]) { _ in try await queue.wait(for: id, queue: q, timeout: .seconds(20)) }
        try check(r.state == .failed, "out of attempts means failed, got \(r.state)")
        try check(r.attempts == 3 && r.errors.count == 3, "three attempts, three errors: \(r.errors)")
        try check(r.errors.map(\.message) == ["attempt 1 of 7", "attempt 2 of 7", "attempt 3 of 7"], "errors in order")
        for (a, b) in zip(r.errors, r.errors.dropFirst()) {
            try check(b.atMs - a.atMs >= 100, "a retry ran before its backoff (\(b.atMs - a.atMs) ms)")
        }
    }

    /// A permanent error goes straight to failed.
    @Sendable public static func permanentErrorSkipsRetries(_ make: Factory) async throws {
        let d = try await make(), q = unique("perm")
        let kind = JobKind<Empty>("bad", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in throw JobError.permanent("template missing", code: "template") }
        let t = table(q, attempts: 5)
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Empty())
        let r = try await withPool(d, registry, t, queues: [q]) { _ in try await queue.wait(for: id, queue: q, timeout: .seconds(20)) }
        try check(r.state == .failed && r.attempts == 1, "a permanent error must not retry (attempts \(r.attempts))")
        try check(r.errors.first?.code == "template" && r.errors.first?.permanent == true, "the error is kept: \(r.errors)")
    }

    /// A failed job retried by hand runs again with fresh attempts and keeps its history.
    @Sendable public static func manualRetry(_ make: Factory) async throws {
        let d = try await make(), q = unique("manual")
        let kind = JobKind<Empty>("once", queue: q)
        let failing = LockedState(true)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in if failing.withLock({ $0 }) { throw JobError.permanent("not yet") } }
        let t = table(q)
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Empty())
        try await withPool(d, registry, t, queues: [q]) { _ in
            let first = try await queue.wait(for: id, queue: q, timeout: .seconds(20))
            try check(first.state == .failed, "first run fails")
            try check(try await !d.retry(JobID("no-such-job"), queue: q), "retrying a missing job reports false")
            failing.withLock { $0 = false }
            try check(try await d.retry(id, queue: q), "retry of a failed job succeeds")
            let second = try await queue.wait(for: id, queue: q, timeout: .seconds(20))
            try check(second.state == .completed, "the retried job completes, got \(second.state)")
            try check(second.errors.count == 1, "history kept after manual retry")
        }
    }

    /// Cancelling a waiting job fails it with code `cancelled`; it never runs.
    @Sendable public static func cancelWaiting(_ make: Factory) async throws {
        let d = try await make(), q = unique("cancelw")
        let id = try await d.enqueue([.test(q)])[0]
        let delayed = try await d.enqueue([.test(q, runAtMs: Clock.nowMs() + 60_000)])[0]
        try check(try await d.cancel(id, queue: q), "cancel of a waiting job succeeds")
        try check(try await d.cancel(delayed, queue: q), "cancel of a delayed job succeeds")
        let r = try await d.job(id, queue: q)
        try check(r?.state == .failed && r?.errors.last?.code == "cancelled", "cancelled means failed/cancelled")
        let b = try await d.lease(queue: q, worker: "w", count: 5, leaseDuration: .seconds(5), rateLimit: nil)
        try check(b.jobs.isEmpty, "a cancelled job is never leased")
        try check(try await d.counts(queue: q) == QueueCounts(failed: 2), "counts after cancel")
    }

    /// Cancelling a running job cancels its handler, and the job fails without retry.
    @Sendable public static func cancelStopsRunningHandler(_ make: Factory) async throws {
        let d = try await make(), q = unique("cancelr")
        let kind = JobKind<Empty>("long", queue: q)
        let registry = JobRegistry()
        let sawCancel = LockedState(false)
        registry.register(kind) { _, _ in
            do { try await Task.sleep(for: .seconds(60)) } catch { sawCancel.withLock { $0 = true }; throw error }
        }
        let t = table(q, attempts: 3)
        let queue = JobQueue(driver: d, table: t)
        let events = try await d.events(queue: q)
        let id = try await queue.enqueue(kind, Empty())
        let r = try await withPool(d, registry, t, queues: [q]) { _ in
            _ = try await firstEvent(events, .active)
            try check(try await d.cancel(id, queue: q), "cancel of an active job succeeds")
            return try await queue.wait(for: id, queue: q, timeout: .seconds(20))
        }
        try check(sawCancel.withLock { $0 }, "the handler must see cancellation")
        try check(r.state == .failed && r.attempts == 1 && r.errors.last?.code == "cancelled", "cancelled, not retried: \(r.errors)")
    }

    /// A handler past its timeout is cancelled and the attempt fails with code `timeout`.
    @Sendable public static func timeoutStopsHandler(_ make: Factory) async throws {
        let d = try await make(), q = unique("timeout")
        let kind = JobKind<Empty>("slow", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in try await Task.sleep(for: .seconds(60)) }
        let t = table(q, attempts: 2, retry: .none, timeout: .milliseconds(200))
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Empty())
        let r = try await withPool(d, registry, t, queues: [q]) { _ in try await queue.wait(for: id, queue: q, timeout: .seconds(20)) }
        try check(r.state == .failed && r.errors.map(\.code) == ["timeout", "timeout"], "two timeouts then failed: \(r.errors)")
    }

    /// Completed jobs beyond the retention count are deleted.
    @Sendable public static func retentionTrims(_ make: Factory) async throws {
        let d = try await make(), q = unique("keep")
        await d.setRetention(Retention(completedCount: 5), for: q)
        let ids = try await d.enqueue((0..<10).map { JobRequest.test(q, n: $0) })
        for _ in 0..<10 {
            let j = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs[0]
            _ = try await d.complete(j.lease, result: nil)
        }
        try check(try await d.counts(queue: q).completed == 5, "retention keeps 5 completed")
        try check(try await d.job(ids[0], queue: q) == nil, "the oldest completed job is trimmed")
        try check(try await d.job(ids[9], queue: q)?.state == .completed, "the newest is kept")
        let listed = try await d.jobs(queue: q, state: .completed, offset: 0, limit: 10).map(\.id)
        try check(listed == Array(ids[5...].reversed()), "completed list newest first: \(listed)")
    }

    /// A queue that does not keep completed payloads drops each job's payload at completion and keeps its result;
    /// failed jobs keep theirs (a retry needs it), and a queue with the default keeps them all.
    @Sendable public static func completedPayloadDropped(_ make: Factory) async throws {
        let d = try await make(), lean = unique("lean"), full = unique("full")
        await d.setRetention(Retention(keepsCompletedPayload: false), for: lean)
        let ids = try await d.enqueue([JobRequest.test(lean, n: 1), JobRequest.test(lean, n: 2, maxAttempts: 1),
                                       JobRequest.test(full, n: 3)])
        let payload = { (id: JobID, q: QueueName) in try await d.job(id, queue: q)?.payload ?? Data() }
        let original = try await payload(ids[0], lean)
        try check(!original.isEmpty, "a waiting job has its payload")
        let leased = try await d.lease(queue: lean, worker: "w", count: 2, leaseDuration: .seconds(30), rateLimit: nil).jobs
        try check(leased.count == 2 && leased[0].record.payload == original, "a leased job carries its payload")
        _ = try await d.complete(leased[0].lease, result: Data(#"{"pages":1}"#.utf8))
        _ = try await d.fail(leased[1].lease, error: AttemptError(attempt: 1, code: "e", message: "e", atMs: Clock.nowMs(),
                                                                   permanent: true), retryAtMs: nil)
        let done = try await d.job(ids[0], queue: lean)
        try check(done?.state == .completed && done?.payload.isEmpty == true, "the completed job's payload is dropped")
        try check(done?.result == Data(#"{"pages":1}"#.utf8), "its result is kept")
        try check(try await payload(ids[1], lean) == Data(#"{"n":2}"#.utf8), "a failed job keeps its payload")
        let other = try await d.lease(queue: full, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs[0]
        _ = try await d.complete(other.lease, result: nil)
        try check(try await payload(ids[2], full) == Data(#"{"n":3}"#.utf8), "the default keeps payloads")
    }

    /// `clean` deletes finished jobs older than a cutoff, keeping the newest `keep`.
    @Sendable public static func cleanByAgeAndCount(_ make: Factory) async throws {
        let d = try await make(), q = unique("clean")
        _ = try await d.enqueue((0..<6).map { JobRequest.test(q, n: $0, maxAttempts: 1) })
        let jobs = try await d.lease(queue: q, worker: "w", count: 6, leaseDuration: .seconds(30), rateLimit: nil).jobs
        for j in jobs {
            _ = try await d.fail(j.lease, error: AttemptError(attempt: 1, code: "e", message: "e", atMs: Clock.nowMs(), permanent: true),
                                 retryAtMs: nil)
        }
        try check(try await d.clean(queue: q, state: .failed, olderThan: .seconds(3600), keep: 0) == 0, "nothing is an hour old")
        try check(try await d.clean(queue: q, state: .failed, olderThan: .zero, keep: 2) == 4, "clean keeps the newest 2")
        try check(try await d.counts(queue: q).failed == 2, "two failed left")
    }

    /// Progress is visible while running; a handler's result is stored with the completed job.
    @Sendable public static func progressAndResult(_ make: Factory) async throws {
        let d = try await make(), q = unique("progress")
        struct Out: Codable, Sendable { var pages: Int }
        let kind = JobKind<Numbered>("render", queue: q)
        let registry = JobRegistry()
        let gate = LockedState<CheckedContinuation<Void, Never>?>(nil)
        registry.register(kind) { p, ctx -> Out in
            await ctx.progress(40, stage: "layout")
            await withCheckedContinuation { c in gate.withLock { $0 = c } }
            return Out(pages: p.n)
        }
        let t = table(q)
        let queue = JobQueue(driver: d, table: t)
        let events = try await d.events(queue: q)
        let id = try await queue.enqueue(kind, Numbered(n: 3), options: JobOptions(tenant: "acme"))
        let r = try await withPool(d, registry, t, queues: [q]) { _ in
            _ = try await firstEvent(events, .progress)
            let running = try await d.job(id, queue: q)
            try check(running?.progress == JobProgress(percent: 40, stage: "layout"), "progress visible: \(String(describing: running?.progress))")
            try check(running?.state == .active && running?.worker != nil, "active with its worker")
            while gate.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(5)) }
            gate.withLock { $0?.resume(); $0 = nil }
            return try await queue.wait(for: id, queue: q, timeout: .seconds(20))
        }
        try check(r.state == .completed, "completed")
        try check(r.tenant == "acme", "tenant kept")
        try check(try r.result.map { try JSONDecoder().decode(Out.self, from: $0).pages } == 3, "result stored")
        try check(r.startedAtMs != nil && r.finishedAtMs != nil && r.enqueuedAtMs <= r.startedAtMs!, "timestamps kept")
    }

    /// On shutdown past the grace period, in-flight jobs are handed back without counting the attempt.
    @Sendable public static func gracefulShutdownHandsBack(_ make: Factory) async throws {
        let d = try await make(), q = unique("grace")
        let kind = JobKind<Empty>("stuck", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in try await Task.sleep(for: .seconds(60)) }
        let t = table(q)
        let queue = JobQueue(driver: d, table: t)
        let events = try await d.events(queue: q)
        let id = try await queue.enqueue(kind, Empty())
        try await withPool(d, registry, t, queues: [q], grace: .milliseconds(100)) { _ in
            _ = try await firstEvent(events, .active)
        }
        let r = try await d.job(id, queue: q)
        try check(r?.state == .waiting && r?.attempts == 0, "handed back unpenalised: \(String(describing: r?.state)) \(r?.attempts ?? -1)")
    }

    /// A job longer than its lease keeps it by renewal and completes on its first attempt.
    @Sendable public static func leaseRenewalKeepsLongJob(_ make: Factory) async throws {
        let d = try await make(), q = unique("renew")
        let kind = JobKind<Empty>("long", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in try await Task.sleep(for: .milliseconds(1200)) }
        let t = table(q, lease: .milliseconds(450))
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Empty())
        let r = try await withPool(d, registry, t, queues: [q]) { _ in try await queue.wait(for: id, queue: q, timeout: .seconds(20)) }
        try check(r.state == .completed && r.attempts == 1 && r.errors.isEmpty, "renewed lease, one attempt: \(r.attempts) \(r.errors)")
    }
}

extension Conformance {
    /// Waiting for a job: a wait that outlasts its timeout throws `timeout` soon after it; a job that finished before the
    /// wait began is answered at once; a job finishing during the wait wakes it with its final state; a cancelled wait
    /// returns promptly.
    @Sendable public static func waitsEndRightly(_ make: Factory) async throws {
        let d = try await make(), q = unique("waits")
        let kind = JobKind<Empty>("gate", queue: q)
        let released = LockedState(false)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in
            // The handler runs until the test lets it finish (checked every 20 ms, at most 20 s).
            for _ in 0..<1000 where !released.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
        }
        let t = table(q, concurrency: 4)
        let queue = JobQueue(driver: d, table: t)
        let id = try await queue.enqueue(kind, Empty())
        // Nothing works the queue yet: the wait times out, within a sweep of its timeout.
        let start = ContinuousClock.now
        do {
            _ = try await d.waitUntilFinished(id, queue: q, timeout: .milliseconds(300))
            try check(false, "a wait for a job that cannot finish returned")
        } catch let e as QueueError {
            try check(e.code == .timeout, "the wait ends with a timeout, got \(e)")
        }
        let waited = ContinuousClock.now - start
        try check(waited >= .milliseconds(300) && waited < .seconds(2), "the timeout came after \(waited)")
        // A cancelled wait returns promptly instead of waiting out its timeout.
        let cancelled = Task { try await d.waitUntilFinished(id, queue: q, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        let cancelledAt = ContinuousClock.now
        cancelled.cancel()
        _ = try? await cancelled.value
        try check(ContinuousClock.now - cancelledAt < .seconds(2), "a cancelled wait took \(ContinuousClock.now - cancelledAt)")
        try await withPool(d, registry, t, queues: [q]) { _ in
            // Finishing during the wait wakes it with the final state.
            let during = Task { try await d.waitUntilFinished(id, queue: q, timeout: .seconds(20)) }
            try await Task.sleep(for: .milliseconds(200))
            released.withLock { $0 = true }
            try check(try await during.value == .completed, "the wait saw the completion")
            // Finished before the wait: answered at once.
            let again = ContinuousClock.now
            try check(try await d.waitUntilFinished(id, queue: q, timeout: .seconds(20)) == .completed, "already completed")
            try check(ContinuousClock.now - again < .seconds(2), "an already finished job kept the wait \(ContinuousClock.now - again)")
        }
    }
}
