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
        let redis = try RedisServerProcess()
        try await redis.start()
        defer { redis.stop() }
        try await TestService.with(redisURL: redis.url) { s in
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

            try await redis.start()
            // The watch reconnects on its own; wait (bounded) for the service to notice.
            var back = false
            for _ in 0..<100 {
                if try await s.request(.GET, "/readyz").json["status"]?.string == "ready" { back = true; break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(back)
            let after = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(after.status == 200)
            let afterStatus = try await s.request(.GET, try #require(after.header("Location")), token: token)
            #expect(afterStatus.json["engine"]?.string == "redis")
            // What was accepted during the outage is still readable from this process.
            #expect(try await s.request(.GET, duringID + "/document", token: token).status == 200)
        }
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
