/// An error from the queue engine: a code to branch on and a message a person can act on.
public struct QueueError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
        /// The backing store cannot be reached (Redis down); nothing was written.
        public static let unavailable = Code("unavailable")
        /// The store refuses writes because it is full (Redis over its `maxmemory`, with no eviction); nothing was
        /// written. Unlike ``unavailable`` the store is there and its data is intact: work resumes once it has room.
        public static let storeFull = Code("store_full")
        /// The store answers reads but refuses every write (Redis as a read-only replica, after a failover that left Folio
        /// on the wrong node); nothing was written.
        public static let refusesWrites = Code("refuses_writes")
        public static let timeout = Code("timeout")
        public static let notFound = Code("not_found")
        public static let decodeFailed = Code("decode_failed")
        public static let schemaMismatch = Code("schema_mismatch")
        public static let protocolError = Code("protocol_error")
        public static let invalidConfiguration = Code("invalid_configuration")
        public static let noHandler = Code("no_handler")
    }
    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code; self.message = message; self.cause = cause
    }
    public var description: String { "\(code): \(message)" }
    public static func == (a: QueueError, b: QueueError) -> Bool { a.code == b.code && a.message == b.message }
    public func hash(into h: inout Hasher) { h.combine(code); h.combine(message) }
}

/// What a handler throws to say how its attempt failed.
///
/// A permanent error goes straight to `failed`; a retryable one (and any other error) is retried by the job's
/// ``RetryPolicy`` until its attempts run out.
public struct JobError: Error, Sendable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var isPermanent: Bool
    public init(code: String = "error", message: String, permanent: Bool) {
        self.code = code; self.message = message; self.isPermanent = permanent
    }
    public static func permanent(_ message: String, code: String = "permanent") -> JobError {
        JobError(code: code, message: message, permanent: true)
    }
    public static func retryable(_ message: String, code: String = "retryable") -> JobError {
        JobError(code: code, message: message, permanent: false)
    }
    public var description: String { "\(code): \(message)" }
}
