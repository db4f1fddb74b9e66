import FolioQueueConformance
import FolioQueue
import FolioRedis
import Foundation
import Testing

/// Redis itself failing: a restart in the middle of a load (AOF on), and enqueues while it is down.
@Suite("Redis restart", .enabled(if: TestRedis.server != nil, TestRedis.skipReason))
struct RedisRestartTests {
    struct Payload: Codable, Sendable { var n: Int }

    @Test("Redis killed and restarted mid-load: every acknowledged job completes, workers reconnect by themselves")
    func restartMidLoad() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let driver = try RedisDriver(url: server.url)
        defer { driver.shutdown() }
        let q = QueueName("restart")
        let table = QueueTable([QueueConfiguration(name: q, concurrency: 8, maxAttempts: 10, retry: .fixed(.milliseconds(100)),
                                                   leaseDuration: .seconds(2), retention: Retention(completedCount: 100_000))])
        let queue = JobQueue(driver: driver, table: table)
        let kind = JobKind<Payload>("job", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in }
        let pool = WorkerPool(driver: driver, registry: registry, table: table,
                              configuration: .init(queues: [q], gracePeriod: .seconds(2), idleWait: .milliseconds(500)))
        let poolTask = Task { try await pool.run() }

        var acknowledged: [JobID] = []
        var refused = 0
        for n in 0..<500 { acknowledged.append(try await queue.enqueue(kind, Payload(n: n))) }
        server.kill()
        for n in 500..<600 {
            do { acknowledged.append(try await queue.enqueue(kind, Payload(n: n))) } catch { refused += 1 }
        }
        try await server.start()
        var n = 600
        while acknowledged.count < 1300 {
            do { acknowledged.append(try await queue.enqueue(kind, Payload(n: n))) } catch {
                refused += 1
                try await Task.sleep(for: .milliseconds(20))
            }
            n += 1
        }
        #expect(refused > 0, "enqueues while Redis was down must fail")
        // After the restart, calls fail fast until the driver's reconnect backoff lets it try again; waiters retry.
        var notDone: [JobID] = []
        let deadline = ContinuousClock.now + .seconds(60)
        for id in acknowledged {
            var record: JobRecord?
            while record == nil && ContinuousClock.now < deadline {
                do { record = try await queue.wait(for: id, queue: q, timeout: .seconds(20)) } catch let e as QueueError where e.code == .unavailable {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            if record?.state != .completed { notDone.append(id) }
        }
        #expect(notDone.isEmpty, "\(notDone.count) of \(acknowledged.count) acknowledged jobs did not complete")
        pool.shutdown()
        try await poolTask.value
    }

    @Test("enqueue while Redis is down fails fast with a clear error")
    func enqueueWhileDown() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        let driver = try RedisDriver(url: server.url)
        defer { driver.shutdown(); server.stop() }
        let queue = JobQueue(driver: driver, table: QueueTable())
        let kind = JobKind<Payload>("job", queue: QueueName("down"))
        _ = try await queue.enqueue(kind, Payload(n: 1))
        server.kill()
        for _ in 0..<3 {
            let start = ContinuousClock.now
            let error = await #expect(throws: QueueError.self) { try await queue.enqueue(kind, Payload(n: 2)) }
            #expect(error?.code == .unavailable)
            #expect(error?.message.contains("127.0.0.1:\(server.port)") == true || error?.message.contains("Redis") == true,
                    "the message should say what is unreachable: \(String(describing: error))")
            #expect(ContinuousClock.now - start < .seconds(2), "failing took \(ContinuousClock.now - start)")
        }
    }
}
