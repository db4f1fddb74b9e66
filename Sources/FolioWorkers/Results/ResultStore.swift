import FolioQueue
import Foundation

/// A rendered document as stored for download.
public struct StoredDocument: Sendable, Hashable {
    public var bytes: [UInt8]
    public var contentType: String
    public var filename: String
    /// A strong entity tag of the bytes (quoted, as HTTP wants it).
    public var etag: String
    public init(bytes: [UInt8], contentType: String, filename: String, etag: String) {
        self.bytes = bytes; self.contentType = contentType; self.filename = filename; self.etag = etag
    }
}

/// Where finished documents wait to be downloaded.
///
/// Implementers guarantee: a document ``put(_:for:)`` is readable by ``get(_:)`` wherever its job can be read (every
/// process sharing the Redis for ``RedisResultStore``; the writing process for ``FileResultStore``, whose jobs live in
/// that process) until ``remove(_:)`` or until its time to live passes; after that `get` returns `nil`. Writes of the
/// same id replace.
public protocol ResultStore: Sendable {
    func put(_ document: StoredDocument, for id: JobID) async throws
    /// Stores the document of a job this process's worker is about to complete. A store that shares the queue's
    /// transactions (Redis) writes it with the completion, one round trip fewer, and it is readable from then on; the
    /// others store it as ``put(_:for:)`` does.
    func putForCompletion(_ document: StoredDocument, for id: JobID) async throws
    func get(_ id: JobID) async throws -> StoredDocument?
    /// Size and headers without the bytes (for `HEAD` and status), or `nil`.
    func head(_ id: JobID) async throws -> StoredDocument?
    @discardableResult
    func remove(_ id: JobID) async throws -> Bool
    /// Deletes documents older than their time to live; returns how many. Stores that expire on their own return 0.
    func purgeExpired() async throws -> Int
}

extension ResultStore {
    public func head(_ id: JobID) async throws -> StoredDocument? { try await get(id) }
    public func putForCompletion(_ document: StoredDocument, for id: JobID) async throws { try await put(document, for: id) }
}
