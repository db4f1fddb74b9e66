import FolioQueue
import FolioRedis
import Testing

@Suite("Redis URLs")
struct RedisEndpointTests {
    @Test("redis:// with user, password, port and database")
    func full() throws {
        let e = try RedisEndpoint(url: "redis://folio:s%40cret@cache.internal:6380/3")
        #expect(e.address == .tcp(host: "cache.internal", port: 6380))
        #expect(e.username == "folio" && e.password == "s@cret" && e.database == 3)
        #expect(!e.description.contains("cret"), "descriptions never show the password")
    }

    @Test("defaults: port 6379, database 0; a lone user part is the password")
    func defaults() throws {
        let e = try RedisEndpoint(url: "redis://localhost")
        #expect(e.address == .tcp(host: "localhost", port: 6379) && e.database == 0 && e.password == nil)
        let p = try RedisEndpoint(url: "redis://:pw@localhost/1")
        #expect(p.username == nil && p.password == "pw" && p.database == 1)
        let legacy = try RedisEndpoint(url: "redis://pw@localhost")
        #expect(legacy.username == nil && legacy.password == "pw")
    }

    @Test("unix sockets, with a database in the query")
    func unix() throws {
        let e = try RedisEndpoint(url: "unix:///run/redis/redis.sock?db=2")
        #expect(e.address == .unix(path: "/run/redis/redis.sock") && e.database == 2)
        let u = try RedisEndpoint(url: "redis+unix:///tmp/r.sock")
        #expect(u.address == .unix(path: "/tmp/r.sock") && u.database == 0)
    }

    @Test("bad URLs are configuration errors that do not echo passwords", arguments: [
        "http://localhost", "redis://", "redis://h/notanumber", "rediss://h", "unix://", "redis://user:topsecret@/x",
    ])
    func invalid(_ url: String) {
        let error = #expect(throws: QueueError.self) { try RedisEndpoint(url: url) }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("topsecret") == false)
    }
}
