/// One state change of one job.
public struct JobEvent: Sendable, Hashable {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        public static let enqueued = Kind("enqueued")
        public static let delayed = Kind("delayed")
        public static let active = Kind("active")
        public static let progress = Kind("progress")
        public static let completed = Kind("completed")
        public static let retrying = Kind("retrying")
        public static let failed = Kind("failed")
        /// An active job was asked to stop; its worker cancels the handler.
        public static let cancelRequested = Kind("cancel_requested")
        public static let released = Kind("released")
        public static let removed = Kind("removed")
        public static let paused = Kind("paused")
        public static let resumed = Kind("resumed")

        /// After this event the job will not change again unless retried by hand.
        public var isFinal: Bool { self == .completed || self == .failed || self == .removed }
    }
    public var id: JobID
    public var queue: QueueName
    public var kind: Kind
    public var atMs: Int64
    public init(id: JobID, queue: QueueName, kind: Kind, atMs: Int64) {
        self.id = id; self.queue = queue; self.kind = kind; self.atMs = atMs
    }
}
