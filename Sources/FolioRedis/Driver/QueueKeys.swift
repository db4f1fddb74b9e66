import FolioQueue

/// The keys of one queue. All share the hash tag `{queue}`, so a queue lives on one Redis Cluster slot.
struct QueueKeys: Sendable {
    let prefix: String
    let wait, delayed, active, completed, failed, marker, events, cancels, meta: String

    init(_ queue: QueueName, keyPrefix: String) {
        prefix = "\(keyPrefix):{\(queue.rawValue)}:"
        wait = prefix + "wait"; delayed = prefix + "delayed"; active = prefix + "active"
        completed = prefix + "completed"; failed = prefix + "failed"; marker = prefix + "marker"
        events = prefix + "events"; cancels = prefix + "cancels"; meta = prefix + "meta"
    }

    func job(_ id: JobID) -> String { prefix + "job:" + id.rawValue }
}
