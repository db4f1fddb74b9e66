import CHiredis
import FolioQueue
import Foundation

/// One hiredis connection. Blocking, not thread-safe: only its ``RedisLane`` thread touches it.
final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?

    var isConnected: Bool { context != nil }

    /// Connects, authenticates, selects the database and checks the schema version.
    func connect(to endpoint: RedisEndpoint, connectTimeout: Duration, commandTimeout: Duration,
                 onConnect: [[RedisArg]], schema: (key: String, version: String)?) throws {
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
        var setup: [[RedisArg]] = []
        if let password = endpoint.password {
            setup.append(endpoint.username.map { ["AUTH", RedisArg($0), RedisArg(password)] } ?? ["AUTH", RedisArg(password)])
        }
        if endpoint.database != 0 { setup.append(["SELECT", RedisArg(endpoint.database)]) }
        setup += onConnect
        if let schema { setup += [["SET", RedisArg(schema.key), RedisArg(schema.version), "NX"], ["GET", RedisArg(schema.key)]] }
        if setup.isEmpty { return }
        let replies = try pipeline(setup)
        if let schema, let found = replies.last?.string, found != schema.version {
            close()
            throw QueueError(.schemaMismatch, "Redis at \(endpoint) holds queue schema \(found) under \(schema.key); this build "
                             + "speaks \(schema.version). Migrate or point at another database.")
        }
        for r in replies {
            if case .error(let message) = r {
                close()
                throw QueueError(.unavailable, "Redis at \(endpoint) refused the connection setup: \(message)")
            }
        }
    }

    /// Sends all commands, then reads one reply per command. Throws (and closes) on any I/O error.
    func pipeline(_ commands: [[RedisArg]]) throws -> [RedisReply] {
        guard let ctx = context else { throw QueueError(.unavailable, "not connected to Redis") }
        for command in commands {
            let status = Self.append(ctx, command)
            if status != REDIS_OK { throw fail(ctx) }
        }
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

    private static func append(_ ctx: UnsafeMutablePointer<redisContext>, _ args: [RedisArg]) -> Int32 {
        var total = 0
        for a in args { total += a.bytes.count }
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, total))
        defer { buffer.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        var lengths: [Int] = []
        pointers.reserveCapacity(args.count)
        lengths.reserveCapacity(args.count)
        var offset = 0
        for a in args {
            a.bytes.withUnsafeBufferPointer { src in
                if let base = src.baseAddress { (buffer + offset).update(from: base, count: src.count) }
            }
            pointers.append(UnsafeRawPointer(buffer + offset).assumingMemoryBound(to: CChar.self))
            lengths.append(a.bytes.count)
            offset += a.bytes.count
        }
        return pointers.withUnsafeMutableBufferPointer { p in
            lengths.withUnsafeBufferPointer { l in
                redisAppendCommandArgv(ctx, Int32(args.count), p.baseAddress, l.baseAddress)
            }
        }
    }
}

extension timeval {
    init(duration: Duration) {
        let ms = duration.milliseconds
        self.init(tv_sec: Int(ms / 1000), tv_usec: Int((ms % 1000) * 1000))
    }
}
