import Foundation
import FolioQueue

extension Conformance {
    /// Jobs of one priority leave in the order they came.
    @Sendable public static func fifoWithinPriority(_ make: Factory) async throws {
        let d = try await make(), q = unique("fifo")
        let ids = try await d.enqueue((0..<20).map { JobRequest.test(q, n: $0) })
        var got: [JobID] = []
        for _ in 0..<20 {
            let b = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
            got += b.jobs.map(\.lease.id)
        }
        try check(got == ids, "lease order \(got) differs from enqueue order \(ids)")
    }

    /// Urgent before high before normal before low, whatever the enqueue order.
    @Sendable public static func prioritiesHonoured(_ make: Factory) async throws {
        let d = try await make(), q = unique("prio")
        let order: [Priority] = [.low, .normal, .high, .urgent, .normal, .low]
        let ids = try await d.enqueue(order.map { JobRequest.test(q, priority: $0) })
        let b = try await d.lease(queue: q, worker: "w", count: 6, leaseDuration: .seconds(30), rateLimit: nil)
        try check(b.jobs.map(\.lease.id) == [ids[3], ids[2], ids[1], ids[4], ids[0], ids[5]],
                  "priority order wrong: \(b.jobs.map(\.record.priority))")
    }

    /// A delayed job is not leased before its time, and is once its time has come.
    @Sendable public static func delayedRunAtTheirTime(_ make: Factory) async throws {
        let d = try await make(), q = unique("delay")
        // Far enough ahead that a loaded machine cannot reach it before the early lease below.
        let runAt = Clock.nowMs() + 1_500
        let id = try await d.enqueue([.test(q, runAtMs: runAt)])[0]
        try check(try await d.job(id, queue: q)?.state == .delayed, "a future job must be delayed")
        let early = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
        // The lease ran at some instant before now; only when that is still before run-at is an empty answer required.
        // (On a machine loaded by the whole suite a call can take seconds, and then the job is rightly due.)
        if Clock.nowMs() < runAt {
            try check(early.jobs.isEmpty, "a delayed job was leased before its time")
            try check(early.nextDueMs.map { $0 <= runAt } ?? false, "the lease should say when the delayed job is due")
        }
        var leased: LeasedJob? = early.jobs.first
        let deadline = ContinuousClock.now + .seconds(5)
        while leased == nil && ContinuousClock.now < deadline {
            let b = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
            leased = b.jobs.first
            if leased == nil { try await d.waitForWork(queue: q, timeout: .milliseconds(max(1, (b.nextDueMs ?? runAt) - Clock.nowMs()))) }
        }
        try check(leased?.lease.id == id, "the delayed job never became ready")
        try check((leased?.record.startedAtMs ?? 0) >= runAt, "the delayed job started before its run-at time")
    }

    /// A batch is stored whole, in order.
    @Sendable public static func batchEnqueue(_ make: Factory) async throws {
        let d = try await make(), q = unique("batch")
        let reqs = (0..<250).map { JobRequest.test(q, n: $0) }
        let ids = try await d.enqueue(reqs)
        try check(ids == reqs.map(\.id), "batch ids must come back in order")
        try check(try await d.counts(queue: q).waiting == 250, "a batch of 250 must leave 250 waiting")
        let r = try await d.job(ids[17], queue: q)
        try check(r?.payload == Data("{\"n\":17}".utf8), "payload must round-trip")
    }

    /// A lease that expired and was taken by another attempt cannot complete, renew or fail the job.
    @Sendable public static func staleLeaseIsRefused(_ make: Factory) async throws {
        let d = try await make(), q = unique("stale")
        let id = try await d.enqueue([.test(q)])[0]
        let first = try await d.lease(queue: q, worker: "a", count: 1, leaseDuration: .milliseconds(100), rateLimit: nil).jobs[0]
        try await Task.sleep(for: .milliseconds(150))  // the lease's own clock: nothing to await but time
        let second = try await d.lease(queue: q, worker: "b", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs
        try check(second.first?.lease.id == id, "an expired lease must return the job to the queue")
        try check(second[0].lease.token > first.lease.token, "a new lease must carry a larger token")
        try check(second[0].record.attempts == 2, "the expired attempt must be counted")
        try check(try await !d.complete(first.lease, result: nil), "a stale completion must be refused")
        try check(try await d.renew([first.lease], duration: .seconds(1)) == [.lost], "a stale renewal must be refused")
        try check(try await !d.fail(first.lease, error: AttemptError(attempt: 1, code: "x", message: "x", atMs: 0, permanent: true),
                                    retryAtMs: nil), "a stale failure must be refused")
        try check(try await d.complete(second[0].lease, result: nil), "the current lease must complete")
        let r = try await d.job(id, queue: q)
        try check(r?.state == .completed && r?.attempts == 2, "completed once by the second attempt")
        try check(r?.errors.map(\.code) == ["lease_expired"], "the lost attempt is recorded: \(r?.errors ?? [])")
    }

    /// The same idempotency key returns the same job.
    @Sendable public static func idempotencyKeyDedupes(_ make: Factory) async throws {
        let d = try await make(), q = unique("idem")
        let a = try await d.enqueue([.test(q, n: 1, key: "order-42")])[0]
        let b = try await d.enqueue([.test(q, n: 2, key: "order-42")])[0]
        let c = try await d.enqueue([.test(q, n: 3, key: "order-43")])[0]
        try check(a == b, "same key must return the first job")
        try check(a != c, "another key is another job")
        try check(try await d.counts(queue: q).waiting == 2, "a duplicate must store nothing")
        var short = JobRequest.test(q, n: 4, key: "brief")
        short.idempotencyWindowMs = 100
        let first = try await d.enqueue([short])[0]
        try await Task.sleep(for: .milliseconds(150))  // the window is time itself
        short.id = .make()
        let later = try await d.enqueue([short])[0]
        try check(first != later, "after its window a key makes a new job")
    }

    /// Pausing stops leasing; resuming starts it again.
    @Sendable public static func pauseAndResume(_ make: Factory) async throws {
        let d = try await make(), q = unique("pause")
        try await d.pause(queue: q)
        _ = try await d.enqueue([.test(q)])
        let b = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
        try check(b.jobs.isEmpty && b.paused, "a paused queue must not lease")
        try check(try await d.counts(queue: q).paused, "counts must show the pause")
        try await d.resume(queue: q)
        let c = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
        try check(c.jobs.count == 1, "a resumed queue leases again")
    }

    /// Starts per clock-aligned window never exceed the limit.
    @Sendable public static func rateLimitPerWindow(_ make: Factory) async throws {
        let d = try await make(), q = unique("rate")
        _ = try await d.enqueue((0..<12).map { JobRequest.test(q, n: $0) })
        let rate = RateLimit(5, per: .milliseconds(400))
        var starts: [Int64] = []
        var limited = false
        let deadline = ContinuousClock.now + .seconds(10)
        while starts.count < 12 && ContinuousClock.now < deadline {
            let b = try await d.lease(queue: q, worker: "w", count: 3, leaseDuration: .seconds(30), rateLimit: rate)
            starts += b.jobs.compactMap(\.record.startedAtMs)
            if let until = b.rateLimitedUntilMs {
                limited = true
                try await Task.sleep(for: .milliseconds(max(1, until - Clock.nowMs())))
            }
        }
        try check(starts.count == 12, "all jobs must run eventually (\(starts.count))")
        try check(limited, "the limit must have been hit")
        let perWindow = Dictionary(grouping: starts, by: { $0 / 400 }).mapValues(\.count)
        try check(perWindow.values.allSatisfy { $0 <= 5 }, "more than 5 starts in a window: \(perWindow)")
    }

    /// `waitForWork` returns when a job arrives, well before its timeout.
    @Sendable public static func waitForWorkWakesOnEnqueue(_ make: Factory) async throws {
        let d = try await make(), q = unique("wake")
        _ = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
        let start = ContinuousClock.now
        async let waited: Void = d.waitForWork(queue: q, timeout: .seconds(20))
        try await Task.sleep(for: .milliseconds(50))
        _ = try await d.enqueue([.test(q)])
        try await waited
        try check(ContinuousClock.now - start < .seconds(10), "waitForWork did not wake on enqueue")
    }

    /// Removing deletes a job; listing shows jobs by state.
    @Sendable public static func removeAndList(_ make: Factory) async throws {
        let d = try await make(), q = unique("list")
        let ids = try await d.enqueue((0..<5).map { JobRequest.test(q, n: $0) })
        let listed = try await d.jobs(queue: q, state: .waiting, offset: 1, limit: 2).map(\.id)
        try check(listed == [ids[1], ids[2]], "waiting jobs list in run order: \(listed)")
        try check(try await d.remove(ids[0], queue: q), "remove must report success")
        try check(try await d.job(ids[0], queue: q) == nil, "a removed job is gone")
        try check(try await d.counts(queue: q).waiting == 4, "counts drop with a removal")
        let b = try await d.lease(queue: q, worker: "w", count: 10, leaseDuration: .seconds(30), rateLimit: nil)
        try check(b.jobs.map(\.lease.id) == Array(ids.dropFirst()), "a removed job is never leased")
    }

    /// A company administrator's counts: exactly its own jobs in each state, none of another tenant's or of no tenant.
    @Sendable public static func tenantCounts(_ make: Factory) async throws {
        let d = try await make(), q = unique("tenants")
        func job(_ tenant: String?, runAtMs: Int64 = 0) -> JobRequest {
            var r = JobRequest.test(q, runAtMs: runAtMs)
            r.tenant = tenant
            return r
        }
        let later = Clock.nowMs() + 3_600_000
        let ids = try await d.enqueue([job("acme"), job("acme"), job("acme"), job("acme", runAtMs: later),
                                       job("globex"), job("globex", runAtMs: later), job(nil)])
        // Run order: the three waiting acme jobs first. One completes, one fails, one stays active.
        let b = try await d.lease(queue: q, worker: "w", count: 3, leaseDuration: .seconds(30), rateLimit: nil)
        try check(b.jobs.map(\.lease.id) == Array(ids.prefix(3)), "acme's waiting jobs lease first: \(b.jobs.map(\.lease.id))")
        try check(try await d.complete(b.jobs[0].lease, result: nil), "completes")
        let e = AttemptError(attempt: 1, code: "x", message: "no", atMs: Clock.nowMs(), permanent: true)
        try check(try await d.fail(b.jobs[1].lease, error: e, retryAtMs: nil), "fails")
        let acme = try await d.counts(queue: q, tenant: "acme")
        try check(acme == QueueCounts(waiting: 0, delayed: 1, active: 1, completed: 1, failed: 1), "acme: \(acme)")
        let globex = try await d.counts(queue: q, tenant: "globex")
        try check(globex == QueueCounts(waiting: 1, delayed: 1), "globex: \(globex)")
        try check(try await d.counts(queue: q, tenant: "initech") == QueueCounts(), "a tenant without jobs has none")
        // Lists of one tenant: its jobs only, in the state's order, paged.
        let delayed = try await d.jobs(queue: q, state: .delayed, tenant: "globex", offset: 0, limit: 10).map(\.id)
        try check(delayed == [ids[5]], "globex's delayed job only: \(delayed)")
        let more = try await d.enqueue([job("acme"), job("globex"), job("acme")])
        let acmeWaiting = try await d.jobs(queue: q, state: .waiting, tenant: "acme", offset: 0, limit: 10).map(\.id)
        try check(acmeWaiting == [more[0], more[2]], "acme's waiting jobs in run order: \(acmeWaiting)")
        let second = try await d.jobs(queue: q, state: .waiting, tenant: "acme", offset: 1, limit: 1).map(\.id)
        try check(second == [more[2]], "paged: \(second)")
        try check(try await d.jobs(queue: q, state: .waiting, tenant: "initech", offset: 0, limit: 10).isEmpty, "none of nobody's")
        try await d.pause(queue: q)
        try check(try await d.counts(queue: q, tenant: "acme").paused, "a paused queue says so to every tenant")
    }
}

