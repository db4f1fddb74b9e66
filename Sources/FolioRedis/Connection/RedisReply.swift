import CHiredis
import FolioQueue

/// One reply from Redis (RESP2).
public enum RedisReply: Sendable, Hashable {
    case string([UInt8])
    case status(String)
    case integer(Int64)
    case array([RedisReply])
    case null
    case error(String)

    init(_ r: UnsafeMutablePointer<redisReply>) {
        switch r.pointee.type {
        case REDIS_REPLY_STRING:
            self = .string(r.pointee.str.map { p in Array(UnsafeRawBufferPointer(start: p, count: Int(r.pointee.len))) } ?? [])
        case REDIS_REPLY_STATUS:
            self = .status(r.pointee.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_ERROR:
            self = .error(r.pointee.str.map { String(cString: $0) } ?? "")
        case REDIS_REPLY_INTEGER:
            self = .integer(Int64(r.pointee.integer))
        case REDIS_REPLY_ARRAY:
            var items: [RedisReply] = []
            items.reserveCapacity(Int(r.pointee.elements))
            for i in 0..<Int(r.pointee.elements) { if let e = r.pointee.element[i] { items.append(RedisReply(e)) } }
            self = .array(items)
        default:
            self = .null
        }
    }

    /// A bulk string, status or integer as text.
    public var string: String? {
        switch self {
        case .string(let b): String(decoding: b, as: UTF8.self)
        case .status(let s): s
        case .integer(let i): String(i)
        default: nil
        }
    }
    /// An integer, or a string holding one.
    public var int: Int64? {
        switch self {
        case .integer(let i): i
        case .string, .status: string.flatMap { Int64($0) }
        default: nil
        }
    }
    public var array: [RedisReply]? { if case .array(let a) = self { a } else { nil } }
    public var isNull: Bool { self == .null }

    /// Throws the reply's error as a ``QueueError``: ``QueueError/Code/storeFull`` when Redis refused a write for want of
    /// memory, ``QueueError/Code/protocolError`` otherwise.
    @discardableResult
    public func check() throws -> RedisReply {
        if case .error(let message) = self { throw Self.error(message, context: "Redis answered") }
        return self
    }

    /// The ``QueueError`` for an error reply; `context` says what answered it. Redis saying it cannot take the command
    /// now (loading its data, a busy script, a cluster or master down) is ``QueueError/Code/unavailable``, like a
    /// connection that is gone; a read-only replica is ``QueueError/Code/refusesWrites``. Either way new work falls back
    /// in-process and the watch waits for Redis to take writes again; a replica still serves what it holds.
    static func error(_ message: String, context: String) -> QueueError {
        if isOutOfMemory(message) {
            return QueueError(.storeFull, "Redis is out of memory (over its maxmemory) and refuses writes: \(message)")
        }
        if message.hasPrefix("READONLY") {
            return QueueError(.refusesWrites, "Redis is a read-only replica and refuses writes: \(message)")
        }
        if notNowPrefixes.contains(where: { message.hasPrefix($0) }) {
            return QueueError(.unavailable, "Redis cannot take this command now: \(message)")
        }
        return QueueError(.protocolError, "\(context): \(message)")
    }

    /// Redis refused a write for want of memory: `OOM …` in a reply, or inside a script's error.
    static func isOutOfMemory(_ message: String) -> Bool {
        message.hasPrefix("OOM") || message.contains("-OOM ") || message.contains(" OOM command")
    }

    /// Error codes with which Redis refuses a command for a while, not for good.
    static let notNowPrefixes = ["LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY", "NOREPLICAS"]
}

/// One argument of a Redis command.
public struct RedisArg: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ s: String) { self.bytes = Array(s.utf8) }
    public init(_ i: Int64) { self.bytes = Array(String(i).utf8) }
    public init(_ i: Int) { self.bytes = Array(String(i).utf8) }
    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int) { self.init(value) }
}
