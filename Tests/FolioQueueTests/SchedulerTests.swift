import FolioQueue
import Foundation
import Testing

@Suite("Scheduler")
struct SchedulerTests {
    struct Tick: Codable, Sendable {}

    @Test("two schedulers on one store fire each occurrence once")
    func twoSchedulersFireOnce() async throws {
        let driver = EmbeddedDriver()
        let q = QueueName("sched-\(UUID().uuidString.prefix(6))")
        let queue = JobQueue(driver: driver, table: QueueTable())
        let kind = JobKind<Tick>("tick", queue: q)
        let job = ScheduledJob(name: "tick", schedule: .every(.milliseconds(100)), queue: queue, kind: kind, payload: Tick())
        let a = Scheduler(driver: driver, jobs: [job]), b = Scheduler(driver: driver, jobs: [job])
        let events = try await driver.events(queue: q)
        let ta = Task { try await a.run() }, tb = Task { try await b.run() }
        var seen = 0
        for await e in events where e.kind == .enqueued { seen += 1; if seen == 5 { break } }
        a.shutdown(); b.shutdown()
        try await ta.value; try await tb.value
        let jobs = try await driver.jobs(queue: q, state: .waiting, offset: 0, limit: 100)
        let keys = jobs.compactMap(\.idempotencyKey)
        #expect(keys.count == Set(keys).count, "an occurrence fired twice: \(keys)")
        #expect(jobs.count >= 5)
    }

    @Test("a restarted scheduler catches up on missed occurrences")
    func catchUp() async throws {
        let driver = EmbeddedDriver()
        let q = QueueName("catchup-\(UUID().uuidString.prefix(6))")
        let queue = JobQueue(driver: driver, table: QueueTable())
        let kind = JobKind<Tick>("tick", queue: q)
        let every = Schedule.every(.seconds(3600))
        let now = Clock.nowMs()
        // The scheduler last fired three occurrences ago.
        try await driver.recordOccurrence(every.next(afterMs: now - 4 * 3_600_000)!, of: "hourly")
        let s = Scheduler(driver: driver, jobs: [ScheduledJob(name: "hourly", schedule: every, queue: queue, kind: kind, payload: Tick())],
                          catchUpWindow: .seconds(86_400))
        let events = try await driver.events(queue: q)
        let t = Task { try await s.run() }
        var seen = 0
        for await e in events where e.kind == .enqueued { seen += 1; if seen == 3 { break } }
        s.shutdown()
        try await t.value
        #expect(try await driver.counts(queue: q).waiting == 3)
    }
}
