import FolioQueue
import FolioRedis
import Foundation
import Testing

/// Calls that reach Redis together: concurrent completions on one connection, batch events.
@Suite("Redis batching", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct RedisBatchingTests {
    struct Empty: Codable, Sendable {}

    @Test("concurrent completions each get their own outcome, a stale lease among them is refused, every job's event arrives",
)
    func concurrentCompletions() async throws {
        let prefix = "fb\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix)
        let q: QueueName = "merge"
        let events = try await d.events(queue: q)
        let ids = try await d.enqueue((0..<40).map { n in
            JobRequest(queue: q, kind: "k", payload: Data("{}".utf8), tenant: nil, priority: .normal, runAtMs: 0,
                       maxAttempts: 1, retry: .none, timeoutMs: nil, idempotencyKey: nil, idempotencyWindowMs: 0,
                       removeOnComplete: n % 5 == 0)
        })
        let leased = try await d.lease(queue: q, worker: "w", count: 40, leaseDuration: .seconds(30), rateLimit: nil).jobs
        #expect(leased.count == 40)
        let stale = Lease(id: leased[0].lease.id, queue: q, token: leased[0].lease.token + 1)
        let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { g in
            for (i, j) in leased.enumerated() {
                g.addTask { (i, try await d.complete(j.lease, result: Data("{\"n\":\(i)}".utf8))) }
            }
            g.addTask { (-1, try await d.complete(stale, result: nil)) }
            var out: [Int: Bool] = [:]
            for try await (i, ok) in g { out[i] = ok }
            return out
        }
        #expect(outcomes[-1] == false, "the stale lease is refused")
        #expect((0..<40).allSatisfy { outcomes[$0] == true }, "\(outcomes)")
        let counts = try await d.counts(queue: q)
        #expect(counts.active == 0 && counts.completed == 32, "\(counts)")
        for (i, j) in leased.enumerated() where i % 5 != 0 {
            let r = try await d.job(j.lease.id, queue: q)
            #expect(r?.state == .completed && r?.result == Data("{\"n\":\(i)}".utf8))
        }
        // Every job's enqueued, active and completed events arrive, though each call writes one stream entry per kind.
        var seen: [JobEvent.Kind: Set<JobID>] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        for await e in events {
            seen[e.kind, default: []].insert(e.id)
            if seen[.completed]?.count == 40 || ContinuousClock.now > deadline { break }
        }
        #expect(seen[.enqueued] == Set(ids) && seen[.active] == Set(ids) && seen[.completed] == Set(ids))
        try await TestRedis.cleanup(d, prefix: prefix)
    }
}
