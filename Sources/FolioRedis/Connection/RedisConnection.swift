import CHiredis
import FolioQueue
import Foundation
import NIOCore

/// One hiredis connection. Blocking, not thread-safe: only its ``RedisLane`` thread touches it.
final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?

    var isConnected: Bool { context != nil }

    /// Connects, then runs `setup` (authentication, database, schema check).
    func connect(to endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration,
                 setup: RedisConnectionSetup) throws {
        close()
        let tv = timeval(duration: connectTimeout)
        let ctx: UnsafeMutablePointer<redisContext>?
        switch endpoint.address {
        case .tcp(let host, let port): ctx = redisConnectWithTimeout(host, Int32(port), tv)
        case .unix(let path): ctx = redisConnectUnixWithTimeout(path, tv)
        }
        guard let ctx else { throw QueueError(.unavailable, "Redis at \(endpoint) is unreachable: out of memory") }
        if ctx.pointee.err != 0 {
            let message = Self.errorText(ctx)
            redisFree(ctx)
            throw QueueError(.unavailable, "Redis at \(endpoint) is unreachable: \(message)")
        }
        redisSetTimeout(ctx, timeval(duration: commandTimeout))
        redisEnableKeepAlive(ctx)
        context = ctx
        do {
            try setup.check(try pipeline(setup.commands))
        } catch {
            close()
            throw error
        }
    }

    /// Sends all commands, then reads one reply per command. Throws (and closes) on any I/O error.
    func pipeline(_ commands: [[RedisArg]]) throws -> [RedisReply] {
        guard let ctx = context else { throw QueueError(.unavailable, "not connected to Redis") }
        if Self.appendAll(ctx, commands) != REDIS_OK { throw fail(ctx) }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(ctx, &raw) != REDIS_OK || raw == nil { throw fail(ctx) }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(RedisReply(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    func close() {
        if let ctx = context { redisFree(ctx) }
        context = nil
    }

    deinit { close() }

    private func fail(_ ctx: UnsafeMutablePointer<redisContext>) -> QueueError {
        let message = Self.errorText(ctx)
        close()
        return QueueError(.unavailable, "lost the Redis connection: \(message)")
    }

    private static func errorText(_ ctx: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: ctx.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Encodes the whole pipeline in the Redis protocol in one buffer and hands it to hiredis as is, which saves
    /// hiredis formatting each argument again.
    private static func appendAll(_ ctx: UnsafeMutablePointer<redisContext>, _ commands: [[RedisArg]]) -> Int32 {
        if commands.isEmpty { return REDIS_OK }
        var out = ByteBuffer()
        out.writeRedisCommands(commands)
        return out.withUnsafeReadableBytes { raw in
            redisAppendFormattedCommand(ctx, raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count)
        }
    }
}

extension timeval {
    init(duration: Duration) {
        let ms = duration.milliseconds
        self.init(tv_sec: Int(ms / 1000), tv_usec: Int((ms % 1000) * 1000))
    }
}
