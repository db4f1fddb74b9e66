import FolioQueue
import FolioRedis
import Foundation
import Testing

/// Faults with real processes against the shared test Redis: a worker killed mid-job, a rate limit shared by two worker
/// processes, a cron schedule run by two scheduler processes.
@Suite("Process faults", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct ProcessFaultTests {
    struct Payload: Codable, Sendable { var n: Int; var hangFirstAttempt: Bool }

    func driver() throws -> RedisDriver {
        guard let d = TestRedis.shared else { throw QueueError(.unavailable, "no test Redis") }
        return d
    }

    func unique(_ s: String) -> QueueName { QueueName("\(s)-\(UUID().uuidString.prefix(8).lowercased())") }

    @Test("a worker killed with SIGKILL mid-job: its jobs return after the lease expires and complete once elsewhere")
    func sigkillMidJob() async throws {
        let d = try driver(), q = unique("kill")
        let queue = JobQueue(driver: d, table: QueueTable([QueueConfiguration(name: q, maxAttempts: 5)]))
        let kind = JobKind<Payload>("job", queue: q)
        let ids = try await queue.enqueue(kind, batch: (0..<8).map { Payload(n: $0, hangFirstAttempt: true) })
        let victim = try ChildProcess(ChildProcess.testWorker, ["work", TestRedis.url!, q.rawValue, "1000", "8", "0", "0"])
        defer { victim.kill() }
        try await victim.waitForLines(8) { $0.hasPrefix("start ") }
        victim.kill(SIGKILL)
        victim.waitExit()
        #expect(try await d.counts(queue: q).active == 8, "the dead worker's jobs are still leased")

        let rescuer = try ChildProcess(ChildProcess.testWorker, ["work", TestRedis.url!, q.rawValue, "5000", "4", "0", "0"])
        defer { rescuer.kill() }
        try await rescuer.waitForLines(8) { $0.hasPrefix("done ") }
        for id in ids {
            let r = try await queue.wait(for: id, queue: q, timeout: .seconds(10))
            #expect(r.state == .completed && r.attempts == 2, "\(id): \(r.state) after \(r.attempts) attempts")
            #expect(r.errors.map(\.code) == ["lease_expired"])
        }
        let done = rescuer.all.withLock { $0.filter { $0.hasPrefix("done ") } }
        #expect(Set(done.map { $0.split(separator: " ")[1] }).count == 8 && done.count == 8, "each job completed exactly once")
        #expect(victim.all.withLock { $0.filter { $0.hasPrefix("done ") } }.isEmpty)
    }

    @Test("a rate limit holds across two worker processes")
    func rateLimitAcrossProcesses() async throws {
        let d = try driver(), q = unique("rate2")
        let queue = JobQueue(driver: d, table: QueueTable([QueueConfiguration(name: q, retention: Retention(completedCount: 1000))]))
        let kind = JobKind<Payload>("job", queue: q)
        let ids = try await queue.enqueue(kind, batch: (0..<20).map { Payload(n: $0, hangFirstAttempt: false) })
        let args = ["work", TestRedis.url!, q.rawValue, "5000", "5", "4", "500"]
        let a = try ChildProcess(ChildProcess.testWorker, args), b = try ChildProcess(ChildProcess.testWorker, args)
        defer { a.kill(); b.kill() }
        var starts: [Int64] = []
        for id in ids {
            let r = try await queue.wait(for: id, queue: q, timeout: .seconds(30))
            #expect(r.state == .completed)
            starts.append(r.startedAtMs ?? 0)
        }
        let perWindow = Dictionary(grouping: starts, by: { $0 / 500 }).mapValues(\.count)
        #expect(perWindow.values.allSatisfy { $0 <= 4 }, "more than 4 starts in a 500 ms window: \(perWindow)")
        let byA = a.all.withLock { $0.filter { $0.hasPrefix("start ") }.count }
        let byB = b.all.withLock { $0.filter { $0.hasPrefix("start ") }.count }
        #expect(byA + byB == 20, "every job started once (a: \(byA), b: \(byB))")
    }

    @Test("a cron schedule run by two scheduler processes fires each occurrence exactly once")
    func cronTwoSchedulers() async throws {
        let d = try driver(), q = unique("cron2")
        let name = "tick-\(q.rawValue)"
        let args = ["schedule", TestRedis.url!, q.rawValue, name, "* * * * * *", "3500"]
        let a = try ChildProcess(ChildProcess.testWorker, args), b = try ChildProcess(ChildProcess.testWorker, args)
        defer { a.kill(); b.kill() }
        try await a.waitForLines(1) { $0 == "stopped" }
        try await b.waitForLines(1) { $0 == "stopped" }
        let jobs = try await d.jobs(queue: q, state: .waiting, offset: 0, limit: 1000)
        let occurrences = jobs.compactMap { $0.idempotencyKey?.split(separator: ":").last.flatMap { Int64($0) } }.sorted()
        #expect(occurrences.count == jobs.count && occurrences.count >= 3, "jobs: \(jobs.count), occurrences: \(occurrences)")
        #expect(Set(occurrences).count == occurrences.count, "an occurrence fired twice: \(occurrences)")
        #expect(zip(occurrences, occurrences.dropFirst()).allSatisfy { $1 - $0 == 1000 }, "an occurrence was lost: \(occurrences)")
    }
}
