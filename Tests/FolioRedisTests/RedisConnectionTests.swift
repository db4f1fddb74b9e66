import FolioQueue
import FolioQueueConformance
import FolioRedis
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The driver's event-loop connections: many callers in flight on one socket, timeouts, refused setups.
@Suite("Redis connections", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct RedisConnectionTests {
    @Test("hundreds of concurrent callers, on and off the event loops, each get their own replies")
    func concurrentCallers() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var c = try RedisConfiguration(url: TestRedis.url!)
        c.eventLoopGroup = group
        let d = try RedisDriver(configuration: c)
        let key = "fc\(UUID().uuidString.prefix(6)):counter"
        let results = try await withThrowingTaskGroup(of: (Int, RedisReply, [RedisReply]).self) { g in
            for i in 0..<400 {
                g.addTask {
                    let echo = try await d.command(["ECHO", RedisArg("caller \(i)")])
                    let pair = try await d.transaction([["INCR", RedisArg(key)], ["ECHO", RedisArg("\(i)")]])
                    return (i, echo, pair)
                }
            }
            // Callers running on the connection's own loop take the same connection without a hop.
            let onLoop = try await group.next().submit {
                Task { try await d.command(["ECHO", "from the loop"]) }
            }.get().value
            #expect(onLoop.string == "from the loop")
            var out: [(Int, RedisReply, [RedisReply])] = []
            for try await r in g { out.append(r) }
            return out
        }
        #expect(results.count == 400)
        for (i, echo, pair) in results {
            #expect(echo.string == "caller \(i)")
            #expect(pair.count == 2 && pair[1].string == "\(i)")
        }
        let counts = Set(results.compactMap { $0.2.first?.int })
        #expect(counts == Set((1...400).map(Int64.init)), "every INCR ran once, in its own transaction")
        _ = try await d.command(["DEL", RedisArg(key)])
        d.shutdown()
        try await group.shutdownGracefully()
    }

    @Test("a command Redis does not answer within the timeout fails as unavailable; the next one reconnects")
    func commandTimeout() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        var c = try RedisConfiguration(url: server.url)
        c.commandTimeout = .milliseconds(300)
        let d = try RedisDriver(configuration: c)
        let admin = try RedisDriver(url: server.url)
        defer { d.shutdown(); admin.shutdown() }
        #expect(try await d.command(["PING"]).string == "PONG")
        _ = try await admin.command(["CLIENT", "PAUSE", "1500", "ALL"])
        let start = ContinuousClock.now
        let error = await #expect(throws: QueueError.self) { try await d.command(["PING"]) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("did not answer") == true, "\(String(describing: error))")
        #expect(ContinuousClock.now - start < .seconds(1.4), "the timeout fired before the pause ended")
        try await Task.sleep(for: .milliseconds(1500))
        #expect(try await d.command(["PING"]).string == "PONG")
    }

    @Test("a connection setup Redis refuses (a password it does not know) fails with Redis's own message")
    func refusedSetup() async throws {
        let server = try RedisServerProcess()
        try await server.start()
        defer { server.stop() }
        let d = try RedisDriver(url: "redis://:not-the-password@127.0.0.1:\(server.port)/0")
        defer { d.shutdown() }
        let error = await #expect(throws: QueueError.self) { try await d.command(["PING"]) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("refused the connection setup") == true, "\(String(describing: error))")
        #expect(error?.message.contains("not-the-password") == false, "the password is not echoed")
    }

    @Test("a unix:// URL reaches Redis over its socket: jobs go through as over TCP; a missing socket is named")
    func unixSocket() async throws {
        let socket = try #require(TestRedis.socket, "FOLIO_TEST_REDIS_SOCKET is not set (scripts/with-redis.sh sets it)")
        let prefix = "fu\(UUID().uuidString.prefix(6))"
        var c = try RedisConfiguration(url: "unix://\(socket)?db=0")
        c.keyPrefix = prefix
        let overSocket = try RedisDriver(configuration: c)
        let overTCP = try TestRedis.driver(prefix: prefix)
        let q = JobQueue(driver: overSocket, table: QueueTable())
        let id = try await q.enqueue(JobKind<[String: String]>("k", queue: "pdf"), ["a": "b"])
        // The same server: what went in over the socket is seen over TCP, and leased and completed over the socket.
        #expect(try await overTCP.job(id, queue: "pdf")?.state == .waiting)
        let batch = try await overSocket.lease(queue: "pdf", worker: "w", count: 1, leaseDuration: .seconds(30), rateLimit: nil)
        let job = try #require(batch.jobs.first)
        #expect(job.record.id == id)
        #expect(try await overSocket.complete(job.lease, result: nil))
        #expect(try await overTCP.job(id, queue: "pdf")?.state == .completed)
        overSocket.shutdown()
        try await TestRedis.cleanup(overTCP, prefix: prefix)

        let missing = try RedisDriver(url: "unix:///nonexistent/folio-redis.sock")
        defer { missing.shutdown() }
        let error = await #expect(throws: QueueError.self) { try await missing.command(["PING"]) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("/nonexistent/folio-redis.sock") == true, "\(String(describing: error))")
    }
}
