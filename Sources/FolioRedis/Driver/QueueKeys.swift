import FolioQueue

/// The keys of one queue. All share the hash tag `{queue}`, so a queue lives on one Redis Cluster slot.
struct QueueKeys: Sendable {
    let prefix: String
    let wait, delayed, active, completed, failed, marker, events, cancels, meta: String
    /// A number fixed per queue name (the same in every process), to pick a connection by queue.
    let laneIndex: Int

    init(_ queue: QueueName, keyPrefix: String) {
        prefix = "\(keyPrefix):{\(queue.rawValue)}:"
        wait = prefix + "wait"; delayed = prefix + "delayed"; active = prefix + "active"
        completed = prefix + "completed"; failed = prefix + "failed"; marker = prefix + "marker"
        events = prefix + "events"; cancels = prefix + "cancels"; meta = prefix + "meta"
        laneIndex = Int(queue.rawValue.utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 } % 1024)
    }

    func job(_ id: JobID) -> String { prefix + "job:" + id.rawValue }
}
