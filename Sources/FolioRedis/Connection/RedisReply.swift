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

    public var string: String? {
        switch self {
        case .string(let b): String(decoding: b, as: UTF8.self)
        case .status(let s): s
        case .integer(let i): String(i)
        default: nil
        }
    }
    public var int: Int64? {
        switch self {
        case .integer(let i): i
        case .string, .status: string.flatMap { Int64($0) }
        default: nil
        }
    }
    public var array: [RedisReply]? { if case .array(let a) = self { a } else { nil } }
    public var isNull: Bool { self == .null }

    /// Throws the reply's error as a ``QueueError``.
    @discardableResult
    public func check() throws -> RedisReply {
        if case .error(let message) = self { throw QueueError(.protocolError, "Redis answered: \(message)") }
        return self
    }
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
