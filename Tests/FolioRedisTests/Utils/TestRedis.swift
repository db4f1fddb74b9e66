import FolioQueue
import FolioRedis
import Foundation
import Testing

/// The private Redis that `scripts/with-redis.sh` (and so `make test`) starts; tests skip without it.
enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_URL"]
    static let server = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_SERVER"]
    /// The same server's Unix socket.
    static let socket = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_SOCKET"]
    static let available = url != nil
    static let skipReason: Comment = "FOLIO_TEST_REDIS_URL is not set: run the Redis tests with scripts/with-redis.sh swift test (make test)"

    /// One driver shared by the tests of this process; every test uses its own queue names.
    static let shared: RedisDriver? = url.flatMap { try? RedisDriver(url: $0) }

    /// A driver with a key prefix of its own, so a test can inspect and delete every key it makes.
    static func driver(prefix: String, maxEvents: Int = 10_000) throws -> RedisDriver {
        var c = try RedisConfiguration(url: url!)
        c.keyPrefix = prefix
        c.maxEvents = maxEvents
        return try RedisDriver(configuration: c)
    }

    static func keys(_ d: RedisDriver, _ pattern: String) async throws -> [String] {
        try await d.command(["KEYS", RedisArg(pattern)]).array?.compactMap(\.string).sorted() ?? []
    }

    /// Deletes every key under `prefix`, then shuts the driver down.
    static func cleanup(_ d: RedisDriver, prefix: String) async throws {
        let all = try await keys(d, "\(prefix):*")
        if !all.isEmpty { _ = try await d.command(["DEL"] + all.map { RedisArg($0) }) }
        d.shutdown()
    }
}
