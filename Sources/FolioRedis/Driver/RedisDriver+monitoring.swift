import FolioQueue
import Foundation

extension RedisDriver: QueueMonitoring {
    /// Both worker keys share the hash tag `{workers}`, so the heartbeat script touches one Cluster slot.
    var workersKey: String { configuration.keyPrefix + ":{workers}" }
    var workersExpiryKey: String { configuration.keyPrefix + ":{workers}:expiry" }

    public func throughput(queue: QueueName) async throws -> Throughput {
        let k = keys(queue)
        let now = Clock.nowMs()
        let current = now / Throughput.bucketMs
        let buckets = Array((current - 359)...current)
        let replies = try await connection.send([
            ["MGET"] + buckets.map { RedisArg(k.prefix + "tp:c:\($0)") },
            ["MGET"] + buckets.map { RedisArg(k.prefix + "tp:f:\($0)") },
        ])
        func counts(_ r: RedisReply) throws -> [Int64: Int] {
            let values = try r.check().array ?? []
            var out: [Int64: Int] = [:]
            for (b, v) in zip(buckets, values) { if let n = v.int { out[b] = Int(n) } }
            return out
        }
        let c = Throughput.sum(try counts(replies[0]), now: now)
        let f = Throughput.sum(try counts(replies[1]), now: now)
        return Throughput(completedLastMinute: c.minute, completedLastHour: c.hour, failedLastMinute: f.minute, failedLastHour: f.hour)
    }

    public func recordHeartbeat(_ beat: WorkerHeartbeat, ttl: Duration) async throws {
        let json = try JSONCoding.encoder.encode(beat)
        _ = try await scripts.recordHeartbeat.run(
            on: connection, keys: [workersKey, workersExpiryKey],
            args: [RedisArg(beat.id), RedisArg([UInt8](json)), RedisArg(beat.lastSeenMs + ttl.milliseconds), RedisArg(Clock.nowMs())])
    }

    public func liveWorkers() async throws -> [WorkerHeartbeat] {
        let ids = try await command(["ZRANGEBYSCORE", RedisArg(workersExpiryKey), RedisArg("(\(Clock.nowMs())"), "+inf"])
            .array?.compactMap(\.string) ?? []
        if ids.isEmpty { return [] }
        let values = try await command(["HMGET", RedisArg(workersKey)] + ids.map { RedisArg($0) }).array ?? []
        return values.compactMap { v in
            guard case .string(let bytes) = v else { return nil }
            return try? JSONCoding.decoder.decode(WorkerHeartbeat.self, from: Data(bytes))
        }.sorted { $0.id < $1.id }
    }
}
