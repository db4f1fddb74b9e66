import FolioRedis
import Logging

extension Engine {
    /// The primary Redis's memory against its limit; `nil` on the embedded engine or when Redis does not answer.
    public func redisMemory() async -> RedisMemory? {
        guard let redis = primary.driver as? RedisDriver else { return nil }
        return try? await redis.memory()
    }

    /// Warns at start when Redis may evict keys to make room (a `maxmemory` with a policy other than `noeviction`): it
    /// would drop jobs and documents that were acknowledged. With `noeviction` a full Redis refuses new work instead
    /// (503 `store_full`), and nothing acknowledged is lost.
    public func warnIfRedisMayEvict(logger: Logger) async {
        guard let memory = await redisMemory(), memory.mayEvict else { return }
        logger.warning("Redis may evict Folio's jobs and documents to make room: maxmemory is \(memory.maxBytes ?? 0) bytes with maxmemory-policy \(memory.policy). Set maxmemory-policy noeviction (a full Redis then refuses new work instead), or give Folio a Redis of its own.")
    }
}
