import FolioQueue
import FolioRedis
import Foundation

/// Documents kept in Redis with a time to live, so any instance sharing the Redis can serve any document.
///
/// One hash per document (`<prefix>:result:<id>`: `bytes`, `type`, `name`, `etag`), expiring on its own.
public final class RedisResultStore: ResultStore, Sendable {
    let driver: RedisDriver
    public let timeToLive: Duration
    let prefix: String

    public init(driver: RedisDriver, timeToLive: Duration = .seconds(24 * 3600)) {
        self.driver = driver
        self.timeToLive = timeToLive
        self.prefix = driver.configuration.keyPrefix + ":result:"
    }

    /// Writes the hash and its expiry in one transaction, so no document is ever kept without a time to live. (A script
    /// would copy the document into Lua and back: three times the work in Redis for a 30 KB PDF.) Every document has the
    /// same four fields, so a second attempt's document replaces the first one's whole.
    public func put(_ document: StoredDocument, for id: JobID) async throws {
        _ = try await driver.transaction(commands(document, for: id))
    }

    /// Rides with the job's completion (``RedisDriver/ride(_:withCompletionOf:)``): the document and the completion go
    /// to Redis in one transaction, so the document exists exactly when the job is completed.
    public func putForCompletion(_ document: StoredDocument, for id: JobID) async throws {
        if !driver.ride(commands(document, for: id), withCompletionOf: id) { try await put(document, for: id) }
    }

    private func commands(_ document: StoredDocument, for id: JobID) -> [[RedisArg]] {
        let key = RedisArg(prefix + id.rawValue)
        return [
            ["HSET", key, "bytes", RedisArg(document.bytes), "type", RedisArg(document.contentType),
             "name", RedisArg(document.filename), "etag", RedisArg(document.etag)],
            ["PEXPIRE", key, RedisArg(timeToLive.milliseconds)],
        ]
    }

    public func get(_ id: JobID) async throws -> StoredDocument? {
        let r = try await driver.command(["HMGET", RedisArg(prefix + id.rawValue), "bytes", "type", "name", "etag"]).array ?? []
        guard r.count == 4, case .string(let bytes) = r[0], let type = r[1].string else { return nil }
        return StoredDocument(bytes: bytes, contentType: type, filename: r[2].string ?? "document", etag: r[3].string ?? "")
    }

    public func head(_ id: JobID) async throws -> StoredDocument? {
        let r = try await driver.command(["HMGET", RedisArg(prefix + id.rawValue), "type", "name", "etag"]).array ?? []
        guard r.count == 3, let type = r[0].string else { return nil }
        return StoredDocument(bytes: [], contentType: type, filename: r[1].string ?? "document", etag: r[2].string ?? "")
    }

    @discardableResult
    public func remove(_ id: JobID) async throws -> Bool {
        (try await driver.command(["DEL", RedisArg(prefix + id.rawValue)]).int ?? 0) > 0
    }

    public func purgeExpired() async throws -> Int { 0 }
}
