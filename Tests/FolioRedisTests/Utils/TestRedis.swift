import FolioQueue
import FolioRedis
import Foundation
import Testing

/// The private Redis that `scripts/with-redis.sh` (and so `make test`) starts; tests skip without it.
enum TestRedis {
    static let url = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_URL"]
    static let server = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_SERVER"]
    static let available = url != nil
    static let skipReason: Comment = "FOLIO_TEST_REDIS_URL is not set: run the Redis tests with scripts/with-redis.sh swift test (make test)"

    /// One driver shared by the tests of this process; every test uses its own queue names.
    static let shared: RedisDriver? = url.flatMap { try? RedisDriver(url: $0) }
}
