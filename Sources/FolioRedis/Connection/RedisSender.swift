/// Something that sends pipelines of Redis commands and answers their replies in order.
protocol RedisSender: Sendable {
    /// Sends `commands` as one pipeline; one reply per command (Redis errors are replies, not throws). Throws
    /// ``FolioQueue/QueueError`` `.unavailable` when the connection cannot be made or breaks.
    func send(_ commands: [[RedisArg]]) async throws -> [RedisReply]

    /// Sends one command that may go out merged with concurrent ones of the same ``RedisMerge/key``.
    func send(_ command: [RedisArg], merge: RedisMerge) async throws -> RedisReply
}

extension RedisSender {
    func send(_ command: [RedisArg]) async throws -> RedisReply {
        try await send([command])[0]
    }

    func send(_ command: [RedisArg], merge: RedisMerge) async throws -> RedisReply {
        try await send([command])[0]
    }
}

/// Marks a command that is a head (the first `headCount` arguments) followed by `items` items, and whose reply is an array
/// with one element per item. Such commands with the same `key` sent together go out as one command: the first one's head
/// followed by every command's items. Each caller gets its own items' part of the array (or the whole reply when it is not
/// an array, such as an error).
struct RedisMerge: Sendable {
    var key: String
    var headCount: Int
    var items: Int

    /// Most items one merged command carries.
    static let maxItems = 256
}
