import FolioQueue
import Foundation

/// A Redis connection with its own thread. Callers await; the blocking hiredis calls run on the lane's thread, never on
/// the Swift concurrency pool. Requests queued while the thread is busy are sent together as one pipeline.
///
/// When the connection breaks the lane reconnects on the next request; while Redis stays unreachable, requests fail at once
/// with ``QueueError/Code/unavailable`` and connection attempts back off from 50 ms to 2 s.
final class RedisLane: @unchecked Sendable {
    struct Request {
        var commands: [[RedisArg]]
        var continuation: CheckedContinuation<[RedisReply], any Error>
    }

    let endpoint: RedisEndpoint
    let configuration: RedisConfiguration
    private let onConnect: [[RedisArg]]
    private let condition = NSCondition()
    private var pending: [Request] = []
    private var stopped = false
    private let connection = RedisConnection()
    private var backoffMs: Int64 = 0
    private var nextAttemptMs: Int64 = 0
    private var lastError: QueueError?
    /// Commands sent by this lane, for `folio bench queue`.
    private(set) var commandsSent = 0

    init(endpoint: RedisEndpoint, configuration: RedisConfiguration, name: String, onConnect: [[RedisArg]]) {
        self.endpoint = endpoint
        self.configuration = configuration
        self.onConnect = onConnect
        let thread = Thread { [self] in self.loop() }
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

    func send(_ command: [RedisArg]) async throws -> RedisReply {
        try await send([command])[0]
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
            let now = Clock.nowMs()
            if now < nextAttemptMs, let e = lastError {
                for r in batch { r.continuation.resume(throwing: e) }
                return
            }
            do {
                try connection.connect(to: endpoint, connectTimeout: configuration.connectTimeout,
                                       commandTimeout: configuration.commandTimeout, onConnect: onConnect,
                                       schema: (configuration.keyPrefix + ":schema", RedisScripts.schemaVersion))
                backoffMs = 0
                lastError = nil
            } catch {
                backoffMs = min(2000, max(50, backoffMs * 2))
                nextAttemptMs = now + backoffMs
                let e = (error as? QueueError) ?? QueueError(.unavailable, "\(error)")
                if e.code == .schemaMismatch { for r in batch { r.continuation.resume(throwing: e) }; return }
                lastError = QueueError(.unavailable, "\(e.message) (next attempt within \(backoffMs) ms)")
                for r in batch { r.continuation.resume(throwing: e) }
                return
            }
        }
        var all: [[RedisArg]] = []
        for r in batch { all += r.commands }
        condition.lock(); commandsSent += all.count; condition.unlock()
        do {
            let replies = try connection.pipeline(all)
            var offset = 0
            for r in batch {
                r.continuation.resume(returning: Array(replies[offset..<(offset + r.commands.count)]))
                offset += r.commands.count
            }
        } catch {
            for r in batch { r.continuation.resume(throwing: error) }
        }
    }
}
