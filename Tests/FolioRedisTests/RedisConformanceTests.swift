import FolioQueue
import FolioQueueConformance
import FolioRedis
import Testing

/// The conformance suite, unchanged, against a real redis-server.
@Suite("Redis driver conformance", .enabled(if: TestRedis.available, TestRedis.skipReason))
struct RedisConformanceTests {
    static let factory: Conformance.Factory = {
        guard let d = TestRedis.shared else { throw QueueError(.unavailable, "no test Redis") }
        return d
    }

    @Test(arguments: Conformance.all.map(\.0))
    func scenario(_ name: String) async throws {
        let run = Conformance.all.first { $0.0 == name }!.1
        try await run(Self.factory)
    }
}
