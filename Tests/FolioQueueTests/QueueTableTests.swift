import FolioQueue
import Foundation
import Logging
import ServiceLifecycle
import Testing

@Suite("Queue table, priorities and the pool as a Service")
struct QueueTableTests {
    @Test("the six queues and their defaults")
    func standardQueues() {
        let t = QueueTable.standard(cores: 8)
        #expect(t[.pdf].concurrency == 8 && t[.pdf].rateLimit == nil && t[.pdf].maxAttempts == 3)
        #expect(t[.email].concurrency == 5 && t[.email].rateLimit == .perMinute(100) && t[.email].maxAttempts == 5)
        #expect(t[.notification].concurrency == 10 && t[.notification].rateLimit == .perMinute(200) && t[.notification].maxAttempts == 3)
        #expect(t[.ai].concurrency == 2 && t[.ai].rateLimit == .perMinute(10) && t[.ai].maxAttempts == 2 && t[.ai].timeout == .seconds(120))
        #expect(t[.oma].concurrency == 4 && t[.oma].maxAttempts == 3)
        #expect(t[.scheduled].concurrency == 1)
        var custom = t
        custom[.email].rateLimit = .perMinute(500)
        #expect(custom[.email].rateLimit == .perMinute(500), "defaults are configurable")
    }

    @Test("options resolve against the queue's defaults")
    func resolveOptions() throws {
        struct P: Codable, Sendable { var x: Int }
        let queue = JobQueue(driver: EmbeddedDriver(), table: .standard(cores: 2))
        let kind = JobKind<P>("ask", queue: .ai)
        let r = try queue.request(kind, P(x: 1), now: 1_000)
        #expect(r.maxAttempts == 2 && r.timeoutMs == 120_000 && r.retry == .default && r.runAtMs == 0)
        let o = try queue.request(kind, P(x: 1), options: JobOptions(priority: .high, delay: .seconds(5), maxAttempts: 7,
                                                                    retry: .fixed(.seconds(1)), tenant: "acme"), now: 1_000)
        #expect(o.maxAttempts == 7 && o.runAtMs == 6_000 && o.priority == .high && o.tenant == "acme" && o.retry == .fixed(.seconds(1)))
    }

    @Test("priorities age: a low job that has waited long enough outranks a fresh urgent one")
    func ageing() {
        let now: Int64 = 10_000_000
        #expect(Priority.urgent.rank(readyAtMs: now) < Priority.low.rank(readyAtMs: now))
        let oldLow = Priority.low.rank(readyAtMs: now - 3 * Priority.ageing.milliseconds - 1)
        #expect(oldLow < Priority.urgent.rank(readyAtMs: now))
    }

    @Test("a ServiceGroup's graceful shutdown stops the pool after in-flight jobs finish")
    func serviceGroupShutdown() async throws {
        struct Empty: Codable, Sendable {}
        let driver = EmbeddedDriver()
        let q = QueueName("svc-\(UUID().uuidString.prefix(6))")
        let table = QueueTable([QueueConfiguration(name: q)])
        let kind = JobKind<Empty>("slowish", queue: q)
        let registry = JobRegistry()
        registry.register(kind) { _, _ in try await Task.sleep(for: .milliseconds(200)) }
        let queue = JobQueue(driver: driver, table: table)
        let events = try await driver.events(queue: q)
        let id = try await queue.enqueue(kind, Empty())
        let pool = WorkerPool(driver: driver, registry: registry, table: table, configuration: .init(queues: [q]))
        let group = ServiceGroup(configuration: .init(services: [pool], logger: Logger(label: "test")))
        let run = Task { try await group.run() }
        for await e in events where e.kind == .active { break }
        await group.triggerGracefulShutdown()
        try await run.value
        #expect(try await driver.job(id, queue: q)?.state == .completed, "the in-flight job finished within the grace period")
    }
}
