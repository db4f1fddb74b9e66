import FolioQueue
import FolioRedis
import Foundation
import Testing

/// How job events reach waiters and subscribers when several processes share one Redis (here: two drivers, as two
/// processes would have).
@Suite("Redis event delivery", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct RedisEventDeliveryTests {
    func request(_ q: QueueName) -> JobRequest {
        JobRequest(queue: q, kind: "k", payload: Data("{}".utf8), tenant: nil, priority: .normal, runAtMs: 0, maxAttempts: 1,
                   retry: .none, timeoutMs: nil, idempotencyKey: nil, idempotencyWindowMs: 0, removeOnComplete: false)
    }

    @Test("a job completed in another process ends a wait here; one completed here ends it too; every subscriber sees each completion once")
    func waitsAcrossProcesses() async throws {
        let prefix = "fe\(UUID().uuidString.prefix(6))"
        let here = try TestRedis.driver(prefix: prefix), there = try TestRedis.driver(prefix: prefix)
        let q: QueueName = "deliver"
        let seenHere = try await here.events(queue: q), seenThere = try await there.events(queue: q)
        let ids = try await there.enqueue([request(q), request(q)])
        let leasedThere = try await there.lease(queue: q, worker: "there", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs
        let leasedHere = try await here.lease(queue: q, worker: "here", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs
        #expect(leasedThere.count == 1 && leasedHere.count == 1)
        let remote = leasedThere[0].lease, local = leasedHere[0].lease
        // Both waits are made here, before either job completes.
        let waitRemote = Task { try await here.waitUntilFinished(remote.id, queue: q, timeout: .seconds(20)) }
        let waitLocal = Task { try await here.waitUntilFinished(local.id, queue: q, timeout: .seconds(20)) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(try await there.complete(remote, result: nil))
        #expect(try await here.complete(local, result: nil))
        #expect(try await waitRemote.value == .completed)
        #expect(try await waitLocal.value == .completed)
        // A last job marks the end: the stream is ordered, so once its event arrives every earlier one has.
        let marker = try await there.enqueue([request(q)])[0]
        for stream in [seenHere, seenThere] {
            var completed: [JobID] = []
            for await e in stream {
                if e.kind == .completed { completed.append(e.id) }
                if e.id == marker { break }
            }
            #expect(completed.sorted { $0.rawValue < $1.rawValue } == ids.sorted { $0.rawValue < $1.rawValue },
                    "each completion once: \(completed)")
        }
        there.shutdown()
        try await TestRedis.cleanup(here, prefix: prefix)
    }

    /// `POST /v1/renders?wait=` waits for a job it has just enqueued. When this process followed the queue's events from
    /// before the enqueue began, the job's ending is an event still to come or one the hub has heard: no state read.
    @Test("a wait for a job enqueued after the events were followed needs no state read, even when the job ended before the wait")
    func waitWithoutStateRead() async throws {
        let prefix = "fw\(UUID().uuidString.prefix(6))"
        let here = try TestRedis.driver(prefix: prefix), there = try TestRedis.driver(prefix: prefix)
        let q: QueueName = "nostate"
        _ = try await here.events(queue: q)
        let since = ContinuousClock.now
        let id = try await there.enqueue([request(q)])[0]
        let leased = try await there.lease(queue: q, worker: "there", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs
        #expect(leased.count == 1)
        #expect(try await there.complete(leased[0].lease, result: nil))
        // The job's hash goes away (as retention would remove it): a state read would now say the job does not exist.
        let hash = try await TestRedis.keys(here, "\(prefix):*\(id.rawValue)*")
        #expect(!hash.isEmpty)
        _ = try await here.command(["DEL"] + hash.map { RedisArg($0) })
        #expect(try await here.waitUntilFinished(id, queue: q, timeout: .seconds(20), enqueuedSince: since) == .completed)
        // Without knowing when the enqueue began, the wait reads the state first, and finds no job.
        let fresh = try TestRedis.driver(prefix: prefix)
        await #expect(throws: QueueError.self) {
            _ = try await fresh.waitUntilFinished(id, queue: q, timeout: .seconds(2))
        }
        fresh.shutdown()
        there.shutdown()
        try await TestRedis.cleanup(here, prefix: prefix)
    }
}

