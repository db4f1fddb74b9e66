import FolioQueue
import FolioRedis
import Foundation
import Testing

/// Promises of the Redis driver beyond the conformance suite: key layout, scripts, schema guard, bounded memory.
@Suite("Redis driver", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct RedisDriverTests {
    struct Empty: Codable, Sendable {}

    @Test("every key of a queue shares its hash tag; a schema version key is written")
    func hashTags() async throws {
        let prefix = "ft\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix)
        let q = JobQueue(driver: d, table: QueueTable())
        let id = try await q.enqueue(JobKind<Empty>("k", queue: "pdf"), Empty(), options: JobOptions(idempotencyKey: "x"))
        let all = try await TestRedis.keys(d, "\(prefix):*")
        #expect(all.contains("\(prefix):schema"))
        let queueKeys = all.filter { $0 != "\(prefix):schema" }
        #expect(!queueKeys.isEmpty && queueKeys.allSatisfy { $0.hasPrefix("\(prefix):{pdf}:") }, "\(queueKeys)")
        #expect(queueKeys.contains("\(prefix):{pdf}:job:\(id.rawValue)"))
        let ttl = try await d.command(["PTTL", RedisArg("\(prefix):{pdf}:idem:x")]).int ?? -1
        #expect(ttl > 0, "idempotency keys expire with their window")
        try await TestRedis.cleanup(d, prefix: prefix)
    }

    @Test("scripts are reloaded after SCRIPT FLUSH (NOSCRIPT recovery)")
    func noscript() async throws {
        let prefix = "ft\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix)
        let q = JobQueue(driver: d, table: QueueTable())
        let kind = JobKind<Empty>("k", queue: "nos")
        _ = try await q.enqueue(kind, Empty(), options: JobOptions(idempotencyKey: "a"))
        _ = try await d.command(["SCRIPT", "FLUSH"])
        // An idempotency key takes the addJobs script (plain enqueues are a MULTI/EXEC transaction).
        _ = try await q.enqueue(kind, Empty(), options: JobOptions(idempotencyKey: "b"))
        #expect(try await d.counts(queue: "nos").waiting == 2)
        try await TestRedis.cleanup(d, prefix: prefix)
    }

    @Test("an enqueue without an idempotency key (a transaction) stores what the addJobs script stores")
    func transactionMatchesScript() async throws {
        struct Payload: Codable, Sendable { var text: String }
        let prefix = "ft\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix)
        let q = JobQueue(driver: d, table: QueueTable())
        let kind = JobKind<Payload>("k", queue: "tx")
        let events = try await d.events(queue: "tx")
        let runAt = Date(timeIntervalSinceNow: 3600)
        var pairs: [(JobID, JobID)] = []
        for options in [JobOptions(priority: .high, tenant: "acme"),
                        JobOptions(priority: .low, runAt: runAt, maxAttempts: 7, timeout: .seconds(9), tenant: "acme"),
                        JobOptions(retention: JobRetention(removeOnComplete: true))] {
            let plain = try await q.enqueue(kind, Payload(text: "é \" x"), options: options)
            var keyed = options
            keyed.idempotencyKey = UUID().uuidString
            let scripted = try await q.enqueue(kind, Payload(text: "é \" x"), options: keyed)
            pairs.append((plain, scripted))
        }
        func fields(_ id: JobID) async throws -> [String: String] {
            let reply = try await d.command(["HGETALL", RedisArg("\(prefix):{tx}:job:\(id.rawValue)")]).array ?? []
            var out: [String: String] = [:]
            for i in stride(from: 0, to: reply.count - 1, by: 2) { out[reply[i].string ?? ""] = reply[i + 1].string ?? "" }
            out["eq"] = nil; out["ik"] = nil
            return out
        }
        for (plain, scripted) in pairs {
            let a = try await fields(plain), b = try await fields(scripted)
            if a["s"] == "waiting" { #expect(a.filter { $0.key != "ra" } == b.filter { $0.key != "ra" }) } else { #expect(a == b) }
            #expect(!a.isEmpty)
        }
        let delayedScore = { (id: JobID) async throws -> String? in
            try await d.command(["ZSCORE", RedisArg("\(prefix):{tx}:delayed"), RedisArg(id.rawValue)]).string
        }
        #expect(try await delayedScore(pairs[1].0) == (try await delayedScore(pairs[1].1)))
        let counts = try await d.counts(queue: "tx")
        #expect(counts.waiting == 4 && counts.delayed == 2)
        // Every job announced itself: four enqueued, two delayed.
        var seen: [JobEvent.Kind: Int] = [:]
        for await e in events {
            seen[e.kind, default: 0] += 1
            if seen.values.reduce(0, +) == 6 { break }
        }
        #expect(seen[.enqueued] == 4 && seen[.delayed] == 2)
        #expect(try await d.command(["ZCARD", RedisArg("\(prefix):{tx}:marker")]).int == 1)
        try await TestRedis.cleanup(d, prefix: prefix)
    }

    @Test("a store written by another schema version is refused with a clear error")
    func schemaMismatch() async throws {
        let prefix = "ft\(UUID().uuidString.prefix(6))"
        let setup = try TestRedis.driver(prefix: "other")
        _ = try await setup.command(["SET", RedisArg("\(prefix):schema"), "999"])
        let d = try TestRedis.driver(prefix: prefix)
        let error = await #expect(throws: QueueError.self) { try await d.counts(queue: "x") }
        #expect(error?.code == .schemaMismatch)
        _ = try await setup.command(["DEL", RedisArg("\(prefix):schema")])
        setup.shutdown(); d.shutdown()
    }

    @Test("memory stays bounded: the event stream is capped and finished jobs are trimmed")
    func boundedMemory() async throws {
        let prefix = "ft\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix, maxEvents: 100)
        await d.setRetention(Retention(completedCount: 50), for: "mem")
        let q = JobQueue(driver: d, table: QueueTable())
        _ = try await q.enqueue(JobKind<Empty>("k", queue: "mem"), batch: [Empty](repeating: Empty(), count: 500))
        while true {
            let b = try await d.lease(queue: "mem", worker: "w", count: 100, leaseDuration: .seconds(30), rateLimit: nil)
            if b.jobs.isEmpty { break }
            for j in b.jobs { _ = try await d.complete(j.lease, result: nil) }
        }
        let xlen = try await d.command(["XLEN", RedisArg("\(prefix):{mem}:events")]).int ?? 0
        #expect(xlen < 300, "events stream holds \(xlen) entries with a cap of ~100")
        let jobKeys = try await TestRedis.keys(d, "\(prefix):{mem}:job:*")
        #expect(jobKeys.count == 50, "retention keeps 50 job hashes, found \(jobKeys.count)")
        try await TestRedis.cleanup(d, prefix: prefix)
    }

    /// A render's document rides with its job's completion: one transaction, so the document exists exactly when the
    /// job is completed, and one round trip fewer.
    @Test("commands riding with a completion run with it, not before; a failed attempt drops them; a stale lease still runs them")
    func ridersGoWithTheCompletion() async throws {
        let prefix = "fr\(UUID().uuidString.prefix(6))"
        let d = try TestRedis.driver(prefix: prefix)
        let q: QueueName = "riders"
        func request() -> JobRequest {
            JobRequest(queue: q, kind: "k", payload: Data("{}".utf8), maxAttempts: 2, retry: .none)
        }
        _ = try await d.enqueue([request(), request()])
        let leased = try await d.lease(queue: q, worker: "w", count: 2, leaseDuration: .seconds(30), rateLimit: nil).jobs
        #expect(leased.count == 2)
        let done = leased[0].lease, failing = leased[1].lease
        let doneKey = "\(prefix):doc:\(done.id.rawValue)", failingKey = "\(prefix):doc:\(failing.id.rawValue)"
        #expect(d.ride([["SET", RedisArg(doneKey), "document"]], withCompletionOf: done.id))
        #expect(d.ride([["SET", RedisArg(failingKey), "document"]], withCompletionOf: failing.id))
        #expect(try await d.command(["EXISTS", RedisArg(doneKey)]).int == 0, "nothing is written before the completion")
        let sentBefore = d.commandsSent
        #expect(try await d.complete(done, result: nil))
        #expect(try await d.command(["GET", RedisArg(doneKey)]).string == "document")
        #expect(try await d.job(done.id, queue: q)?.state == .completed)
        // MULTI, SET, EVALSHA, EXEC: one round trip (the reader's and the blocking connection's commands aside).
        #expect(d.commandsSent - sentBefore <= 5 + 2, "\(d.commandsSent - sentBefore) commands")
        let e = AttemptError(attempt: 1, code: "x", message: "no", atMs: Clock.nowMs(), permanent: false)
        #expect(try await d.fail(failing, error: e, retryAtMs: Clock.nowMs()))
        #expect(try await d.command(["EXISTS", RedisArg(failingKey)]).int == 0, "a failed attempt's riders never run")
        // The retried attempt rides again; its lease is then taken from it (as if it expired and ran elsewhere): the
        // document is still written, the completion refused, as when the document was stored before completing.
        try await Task.sleep(for: .milliseconds(5))
        let again = try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs
        #expect(again.map(\.lease.id) == [failing.id])
        #expect(d.ride([["SET", RedisArg(failingKey), "document"]], withCompletionOf: failing.id))
        #expect(try await !d.complete(failing, result: nil), "the first attempt's lease is stale")
        #expect(try await d.command(["GET", RedisArg(failingKey)]).string == "document")
        // Redis forgot the completion script (SCRIPT FLUSH): the riders run in the transaction, the script is reloaded
        // and runs on its own.
        _ = try await d.enqueue([request()])
        let third = try #require(try await d.lease(queue: q, worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil).jobs.first)
        let thirdKey = "\(prefix):doc:\(third.lease.id.rawValue)"
        #expect(d.ride([["SET", RedisArg(thirdKey), "document"]], withCompletionOf: third.lease.id))
        _ = try await d.command(["SCRIPT", "FLUSH"])
        #expect(try await d.complete(third.lease, result: nil))
        #expect(try await d.command(["GET", RedisArg(thirdKey)]).string == "document")
        #expect(try await d.job(third.lease.id, queue: q)?.state == .completed)
        try await TestRedis.cleanup(d, prefix: prefix)
    }
}

