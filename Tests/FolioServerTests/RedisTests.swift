import FolioQueueConformance
import FolioQueue
import FolioRedis
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

let redisURL = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_URL"]
let redisServer = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_SERVER"]

/// With Redis: jobs and documents live in Redis; when Redis goes away the service keeps answering on the embedded engine.
@Suite("Redis engine", .serialized) struct RedisTests {
    @Test("renders go through Redis and the document is stored in Redis", .enabled(if: redisURL != nil))
    func rendersThroughRedis() async throws {
        try await TestService.with(redisURL: redisURL) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(r.status == 200)
            let id = try #require(r.header("Location")?.split(separator: "/").last.map(String.init))
            let status = try await s.request(.GET, "/v1/renders/\(id)", token: token)
            #expect(status.json["engine"]?.string == "redis")
            #expect(try await s.engine.primary.results.get(JobID(id))?.bytes.count == Int(r.body.count))
            let admin = try await TestService.token(["admin"], company: nil)
            let health = try await s.request(.GET, "/api/queue/health", token: admin)
            #expect(health.json["redis"]?["reachable"] == .bool(true))
        }
    }

    @Test("Redis stops: the server answers, new work runs in-process, health is degraded; Redis returns: work goes back",
          .enabled(if: redisServer != nil))
    func outage() async throws {
        try await Self.withPrivateRedis { s, redis, _ in
            let token = try await TestService.token(["user"], company: "acme")
            let admin = try await TestService.token(["admin"], company: nil)
            let before = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(before.status == 200)

            redis.kill()
            let ready = try await s.request(.GET, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.json["status"]?.string == "degraded")
            #expect(try await s.request(.GET, "/api/queue/health", token: admin).json["status"]?.string == "degraded")
            let during = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(during.status == 200)
            #expect(Array(during.body.prefix(5)) == Array("%PDF-".utf8))
            let duringID = try #require(during.header("Location"))
            let duringStatus = try await s.request(.GET, duringID, token: token)
            #expect(duringStatus.json["engine"]?.string == "embedded")
            #expect(try await s.request(.GET, "/v1/templates", token: token).status == 200)
            // A render in Redis cannot be read now: that is "try again", not "no such render".
            let unreadable = try await s.request(.GET, try #require(before.header("Location")), token: token)
            #expect(unreadable.status == 503 && unreadable.json["error"]?["code"]?.string == "unavailable")
            #expect(unreadable.header("Retry-After") != nil)

            try await redis.start()
            // The watch reconnects on its own; wait (bounded) for the service to notice.
            #expect(try await Self.readyAgain(s))
            let after = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(after.status == 200)
            let afterStatus = try await s.request(.GET, try #require(after.header("Location")), token: token)
            #expect(afterStatus.json["engine"]?.string == "redis")
            // What was accepted during the outage is still readable from this process.
            #expect(try await s.request(.GET, duringID + "/document", token: token).status == 200)
        }
    }

    @Test("Redis full: a render is refused with 503 store_full and nothing is stored; reads go on; health shows the memory; with room again renders go through",
          .enabled(if: redisServer != nil))
    func redisFull() async throws {
        try await Self.withPrivateRedis { s, _, operatorConnection in
            let token = try await TestService.token(["user"], company: "acme")
            let admin = try await TestService.token(["admin"], company: nil)
            let before = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(before.status == 200)
            let beforeID = try #require(before.header("Location"))
            #expect(await s.engine.redisMemory()?.mayEvict == false, "the test Redis has no limit")

            _ = try await operatorConnection.command(["CONFIG", "SET", "maxmemory", "1"])
            let jobs = try await s.engine.primary.driver.counts(queue: .pdf)
            let refused = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(refused.status == 503)
            #expect(refused.json["error"]?["code"]?.string == "store_full")
            #expect(refused.json["error"]?["message"]?.string?.contains("maxmemory") == true)
            #expect(refused.header("Retry-After") == "30")
            #expect(try await s.engine.primary.driver.counts(queue: .pdf) == jobs, "nothing was stored")
            #expect(s.engine.current.name == "redis", "a full Redis is no reason to fall back: its data is there")
            #expect(try await s.request(.GET, beforeID, token: token).json["status"]?.string == "completed")
            #expect(try await s.request(.GET, beforeID + "/document", token: token).status == 200)
            let health = try await s.request(.GET, "/api/queue/health", token: admin).json
            #expect(health["status"]?.string == "degraded")
            #expect(health["redis"]?["memory"]?["full"] == .bool(true))
            #expect(health["redis"]?["memory"]?["maxBytes"]?.int == 1)
            #expect((health["redis"]?["memory"]?["usedBytes"]?.int ?? 0) > 1)

            _ = try await operatorConnection.command(["CONFIG", "SET", "maxmemory", "0"])
            let after = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(after.status == 200 && Array(after.body.prefix(5)) == Array("%PDF-".utf8))
            #expect(try await s.request(.GET, "/api/queue/health", token: admin).json["status"]?.string == "ok")

            _ = try await operatorConnection.command(["CONFIG", "SET", "maxmemory", "1gb"])
            _ = try await operatorConnection.command(["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"])
            #expect(await s.engine.redisMemory()?.mayEvict == true, "a Redis that may evict is noticed (and warned about at start)")
        }
    }

    @Test("Redis away when the service starts: renders run in-process; once Redis is up, the queues' retention is stored there too",
          .enabled(if: redisServer != nil))
    func redisAwayAtStart() async throws {
        try await Self.withPrivateRedis(started: false) { s, redis, operatorConnection in
            let token = try await TestService.token(["user"], company: "acme")
            let early = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(early.status == 200)
            #expect(try await s.request(.GET, try #require(early.header("Location")), token: token).json["engine"]?.string == "embedded")

            try await redis.start()
            // Without it the pdf queue would trim completed renders at the scripts' default count (1,000) and keep
            // their data. Set within a heartbeat or two (5 s each) of Redis answering.
            var stored: [String: String] = [:]
            for _ in 0..<150 {
                let keys = try await operatorConnection.command(["KEYS", "*:{pdf}:meta"]).array?.compactMap(\.string) ?? []
                if let key = keys.first {
                    let pairs = try await operatorConnection.command(["HGETALL", RedisArg(key)]).array?.compactMap(\.string) ?? []
                    stored = Dictionary(uniqueKeysWithValues: stride(from: 0, to: pairs.count - 1, by: 2).map { (pairs[$0], pairs[$0 + 1]) })
                    if stored["cp"] != nil { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(stored["cp"] == "0", "completed renders drop their data: \(stored)")
            #expect(stored["cc"] == String(Int.max), "no count limit on renders: \(stored)")
        }
    }

    @Test("Redis turns into a read-only replica: new work runs in-process and health is degraded; writable again: work goes back",
          .enabled(if: redisServer != nil))
    func readOnlyReplica() async throws {
        try await Self.withPrivateRedis { s, _, operatorConnection in
            let token = try await TestService.token(["user"], company: "acme")
            let admin = try await TestService.token(["admin"], company: nil)
            let before = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(before.status == 200)

            // A replica of a master that is not there: it keeps its data, answers reads and refuses writes (READONLY).
            _ = try await operatorConnection.command(["REPLICAOF", "127.0.0.1", "1"])
            let during = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(during.status == 200, "READONLY is Redis unable to take work now, not a server fault")
            let duringStatus = try await s.request(.GET, try #require(during.header("Location")), token: token)
            #expect(duringStatus.json["engine"]?.string == "embedded")
            #expect(try await s.request(.GET, try #require(before.header("Location")) + "/document", token: token).status == 200)
            let delete = try await s.request(.DELETE, try #require(before.header("Location")), token: token)
            #expect(delete.status == 503 && delete.errorCode == "unavailable", "a replica takes no changes: try again")
            #expect(try await s.request(.GET, try #require(before.header("Location")), token: token).status == 200, "nothing removed")
            #expect(try await s.request(.GET, "/api/queue/health", token: admin).json["status"]?.string == "degraded")
            #expect(try await s.request(.GET, "/readyz").json["status"]?.string == "degraded")

            _ = try await operatorConnection.command(["REPLICAOF", "NO", "ONE"])
            #expect(try await Self.readyAgain(s))
            let after = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(after.status == 200)
            #expect(try await s.request(.GET, try #require(after.header("Location")), token: token).json["engine"]?.string == "redis")
        }
    }

    @Test("Redis's refusals: out of memory is store_full, a read-only replica refuses_writes, loading unavailable, the rest protocol errors")
    func outOfMemoryReplies() {
        func code(_ message: String) -> QueueError.Code? {
            do { try RedisReply.error(message).check(); return nil } catch { return (error as? QueueError)?.code }
        }
        #expect(code("OOM command not allowed when used memory > 'maxmemory'.") == .storeFull)
        #expect(code("OOM command not allowed when used memory > 'maxmemory'. script: 9d0e, on @user_script:120.") == .storeFull)
        #expect(code("WRONGTYPE Operation against a key holding the wrong kind of value") == .protocolError)
        #expect(code("READONLY You can't write against a read only replica. script: 9d0e, on @user_script:183.") == .refusesWrites)
        #expect(code("LOADING Redis is loading the dataset in memory") == .unavailable)
    }

    /// A service on a private redis-server of the test's own (started unless `started` is false), with a plain
    /// connection to that Redis for what an operator would do by hand.
    static func withPrivateRedis(started: Bool = true,
                                 _ body: @Sendable (TestService, RedisServerProcess, RedisDriver) async throws -> Void) async throws {
        let redis = try RedisServerProcess()
        if started { try await redis.start() }
        defer { redis.stop() }
        let operatorConnection = try RedisDriver(configuration: RedisConfiguration(endpoint: try RedisEndpoint(url: redis.url)))
        defer { operatorConnection.shutdown() }
        try await TestService.with(redisURL: redis.url) { s in try await body(s, redis, operatorConnection) }
    }

    /// Waits (bounded, 10 s) for `/readyz` to say ready again: the watch notices Redis on its own.
    static func readyAgain(_ s: TestService) async throws -> Bool {
        for _ in 0..<100 {
            if try await s.request(.GET, "/readyz").json["status"]?.string == "ready" { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

/// The Redis result store on its own: put, head, get, expiry set, remove.
@Suite("Redis result store") struct RedisResultStoreTests {
    @Test("a document round-trips with its headers and always has a time to live", .enabled(if: redisURL != nil))
    func roundTrip() async throws {
        let driver = try RedisDriver(configuration: RedisConfiguration(endpoint: try RedisEndpoint(url: redisURL!),
                                                                       keyPrefix: "rs" + UUID().uuidString.prefix(6)))
        defer { driver.shutdown() }
        let store = RedisResultStore(driver: driver, timeToLive: .seconds(60))
        let id = JobID.make()
        let doc = StoredDocument(bytes: [0, 1, 2, 255], contentType: "application/pdf", filename: "a.pdf", etag: "\"e\"")
        try await store.put(doc, for: id)
        #expect(try await store.get(id) == doc)
        #expect(try await store.head(id)?.etag == "\"e\"")
        let ttl = try await driver.command(["PTTL", RedisArg(driver.configuration.keyPrefix + ":result:" + id.rawValue)]).int ?? -1
        #expect(ttl > 0 && ttl <= 60_000)
        #expect(try await store.remove(id))
        #expect(try await store.get(id) == nil)
    }
}
