import Foundation
import FolioQueue

extension Conformance {
    /// Throughput, wait/run percentiles and recent failures per queue; live workers by heartbeat.
    @Sendable public static func statsAndHeartbeats(_ make: Factory) async throws {
        let d = try await make(), q = unique("stats")
        let kind = JobKind<Numbered>("maybe", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { p, _ in if p.n == 0 { throw JobError.permanent("zero") } }
        let t = table(q)
        let queue = JobQueue(driver: d, table: t)
        let ids = try await queue.enqueue(kind, batch: (0..<6).map { Numbered(n: $0) })
        let workerID = "stats-worker-\(q.rawValue)"
        let pool = WorkerPool(driver: d, registry: registry, table: t,
                              configuration: .init(queues: [q], workerID: workerID, idleWait: .milliseconds(200)))
        let task = Task { try await pool.run() }
        for id in ids { _ = try await queue.wait(for: id, queue: q, timeout: .seconds(20)) }
        // The first beat is sent as the pool starts, concurrently with the jobs; give it a moment if the jobs were faster.
        var live = try await d.liveWorkers()
        let deadline = ContinuousClock.now + .seconds(5)
        while !live.contains(where: { $0.id == workerID }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            live = try await d.liveWorkers()
        }
        try check(live.contains { $0.id == workerID && $0.queues == [q] && $0.pid == getpid() }, "the running pool is listed: \(live.map(\.id))")
        pool.shutdown()
        try await task.value
        try check(try await !d.liveWorkers().contains { $0.id == workerID }, "a stopped pool leaves the list")
        let stats = try await QueueStats.collect(from: d, queue: q)
        try check(stats.counts.completed == 5 && stats.counts.failed == 1, "counts: \(stats.counts)")
        try check(stats.throughput.completedLastMinute == 5 && stats.throughput.completedLastHour == 5, "throughput: \(stats.throughput)")
        try check(stats.throughput.failedLastMinute == 1, "failures per minute: \(stats.throughput)")
        try check(stats.sampleSize == 5 && stats.runTime.max >= stats.runTime.p50, "percentiles over the completed jobs")
        try check(stats.recentFailures.map(\.id) == [ids[0]], "recent failures list the failed job")
    }
}
