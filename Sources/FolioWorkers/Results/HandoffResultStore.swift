import FolioQueue
import Foundation

/// A result store that also hands a document just rendered in this process to a request of this process waiting for
/// it (`POST /v1/renders?wait=`), so the waiter does not read back what this process has just written to Redis.
///
/// Only documents a caller said it waits for (``expect(_:)``) are kept, until ``take(_:)`` or ``forget(_:)``; everything
/// else goes straight to the store. Every other read goes to the store, so deleting a render or its expiry is seen by all
/// instances at once.
public final class HandoffResultStore: ResultStore, Sendable {
    public let store: any ResultStore
    private enum Slot {
        case waiting(sinceMs: Int64)
        case ready(StoredDocument)

        /// Ready documents are never the oldest: their waiter is about to take them.
        var sinceMs: Int64 {
            switch self {
            case .waiting(let since): since
            case .ready: .max
            }
        }
    }
    private let slots = LockedState<[JobID: Slot]>([:])
    /// Most expectations held at once; past it, the oldest are dropped (their waiters read from the store).
    static let capacity = 4_096

    public init(_ store: any ResultStore) { self.store = store }

    /// Keep the document of `id` for ``take(_:)`` when it is stored by this process.
    public func expect(_ id: JobID) {
        slots.withLock { s in
            if s.count >= Self.capacity {
                let oldest = s.min { a, b in a.value.sinceMs < b.value.sinceMs }
                if let oldest { s[oldest.key] = nil }
            }
            s[id] = .waiting(sinceMs: Clock.nowMs())
        }
    }

    /// The document of `id` if this process stored it since ``expect(_:)``; the expectation ends either way.
    public func take(_ id: JobID) -> StoredDocument? {
        slots.withLock { s in
            defer { s[id] = nil }
            if case .ready(let document)? = s[id] { return document }
            return nil
        }
    }

    /// Ends an expectation without taking the document.
    public func forget(_ id: JobID) { slots.withLock { $0[id] = nil } }

    public func put(_ document: StoredDocument, for id: JobID) async throws {
        try await store.put(document, for: id)
        handOver(document, for: id)
    }

    public func putForCompletion(_ document: StoredDocument, for id: JobID) async throws {
        try await store.putForCompletion(document, for: id)
        handOver(document, for: id)
    }

    private func handOver(_ document: StoredDocument, for id: JobID) {
        slots.withLock { s in
            if case .waiting? = s[id] { s[id] = .ready(document) }
        }
    }

    public func get(_ id: JobID) async throws -> StoredDocument? { try await store.get(id) }
    public func head(_ id: JobID) async throws -> StoredDocument? { try await store.head(id) }

    @discardableResult
    public func remove(_ id: JobID) async throws -> Bool {
        forget(id)
        return try await store.remove(id)
    }

    public func purgeExpired() async throws -> Int { try await store.purgeExpired() }
}
