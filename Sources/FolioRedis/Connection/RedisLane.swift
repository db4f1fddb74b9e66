import FolioQueue
import Foundation

/// A Redis connection with its own thread, for blocking commands (`BZPOPMIN`, `XREAD … BLOCK`): callers await while the
/// blocking hiredis call runs on the lane's thread, so no event loop and no pool thread waits on Redis. Requests queued
/// while the thread is busy are sent together as one pipeline. Ordinary commands use ``RedisLoopConnection`` instead.
///
/// When the connection breaks the lane reconnects on the next request; while Redis stays unreachable, requests fail at once
/// with ``QueueError/Code/unavailable`` and connection attempts back off from 50 ms to 2 s.
final class RedisLane: RedisSender, @unchecked Sendable {
    struct Request {
        var commands: [[RedisArg]]
        var continuation: CheckedContinuation<[RedisReply], any Error>
    }

    let configuration: RedisConfiguration
    private let setup: RedisConnectionSetup
    private let condition = NSCondition()
    private var pending: [Request] = []
    private var stopped = false
    private let connection = RedisConnection()
    private var backoff = ReconnectBackoff()
    /// Commands sent by this lane, for `folio bench queue`.
    private var commandsSent = 0

    init(configuration: RedisConfiguration, name: String) {
        self.configuration = configuration
        self.setup = RedisConnectionSetup(endpoint: configuration.endpoint, keyPrefix: configuration.keyPrefix)
        let thread = Thread { [self] in
            ThreadNaming.nameCurrentThread(name)
            self.loop()
        }
        thread.name = name
        thread.start()
    }

    func send(_ commands: [[RedisArg]]) async throws -> [RedisReply] {
        try await withCheckedThrowingContinuation { c in
            condition.lock()
            if stopped {
                condition.unlock()
                c.resume(throwing: QueueError(.unavailable, "the Redis client was shut down"))
                return
            }
            pending.append(Request(commands: commands, continuation: c))
            condition.signal()
            condition.unlock()
        }
    }

    var sentCount: Int {
        condition.lock(); defer { condition.unlock() }
        return commandsSent
    }

    /// Stops the thread after the requests already queued.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while pending.isEmpty && !stopped { condition.wait() }
            if pending.isEmpty && stopped {
                condition.unlock()
                connection.close()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            condition.unlock()
            run(batch)
        }
    }

    private func run(_ batch: [Request]) {
        if !connection.isConnected {
            if let refusal = backoff.refusal(nowMs: Clock.nowMs()) {
                for r in batch { r.continuation.resume(throwing: refusal) }
                return
            }
            do {
                try connection.connect(to: configuration.endpoint, connectTimeout: configuration.connectTimeout,
                                       commandTimeout: configuration.commandTimeout, setup: setup)
                backoff.connected()
            } catch {
                let e = backoff.failed(error, nowMs: Clock.nowMs())
                for r in batch { r.continuation.resume(throwing: e) }
                return
            }
        }
        let all = batch.flatMap(\.commands)
        condition.lock(); commandsSent += all.count; condition.unlock()
        do {
            let replies = try connection.pipeline(all)
            var start = 0
            for r in batch {
                r.continuation.resume(returning: Array(replies[start..<(start + r.commands.count)]))
                start += r.commands.count
            }
        } catch {
            for r in batch { r.continuation.resume(throwing: error) }
        }
    }
}
