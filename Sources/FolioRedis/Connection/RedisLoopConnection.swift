import FolioQueue
import Foundation
import NIOCore
import NIOPosix

/// A Redis connection that lives on one event loop: commands are written to the socket without blocking any thread, any
/// number of callers' pipelines are in flight at once, and replies (read by hiredis's protocol reader) resume their callers
/// in order. A caller already on the connection's loop pays no thread hop; one elsewhere hops once. A blocking command
/// (`BZPOPMIN`, `XREAD … BLOCK`) holds its connection, not a thread: it gets a connection of its own, never a pooled one,
/// whose other callers' replies it would hold up.
///
/// What callers send during one turn of the loop goes out in one write at the end of the turn (a request finding the
/// connection idle goes out at once), and mergeable commands (``RedisMerge``) sent in the same turn go out as one command.
///
/// Connects on the first request and again on the first request after the connection breaks; while Redis stays
/// unreachable, requests fail at once with ``QueueError/Code/unavailable`` and attempts back off from 50 ms to 2 s. A
/// request without a reply within ``RedisConfiguration/commandTimeout`` drops the connection and fails every request in
/// flight on it.
final class RedisLoopConnection: @unchecked Sendable {
    private typealias Continuation = CheckedContinuation<[RedisReply], any Error>

    private enum Completion {
        case caller(Continuation)
        /// The callers of a merged command: each one's first item and item count in the reply's array.
        case merged([(continuation: Continuation, item: Int, count: Int)])
        case setup(any Channel)
    }

    private struct InFlight {
        var expected: Int
        var replies: [RedisReply]
        var completion: Completion
        var sentAt: NIODeadline
    }

    private enum Request {
        case pipeline(ByteBuffer, count: Int, Continuation)
        case mergeable([RedisArg], RedisMerge, Continuation)

        var continuation: Continuation {
            switch self {
            case .pipeline(_, _, let c), .mergeable(_, _, let c): c
            }
        }
    }

    /// Mergeable commands gathered during this turn of the loop: the first command, extended by the others' items.
    private struct MergeBatch {
        var command: [RedisArg]
        var items: Int
        var callers: [(continuation: Continuation, item: Int, count: Int)]
    }

    private enum State {
        case idle
        case connecting
        case settingUp(any Channel)
        case ready(any Channel)

        var channel: (any Channel)? {
            switch self {
            case .settingUp(let c), .ready(let c): c
            case .idle, .connecting: nil
            }
        }
    }

    let eventLoop: any EventLoop
    let configuration: RedisConfiguration
    private let setup: RedisConnectionSetup
    private let sent = LockedState(0)

    // Everything below is touched on `eventLoop` only.
    private var state = State.idle
    private var stopped = false
    private var waiting: [Request] = []
    private var merging: [String: MergeBatch] = [:]
    private var flushScheduled = false
    private var inFlight = CircularBuffer<InFlight>()
    private var backoff = ReconnectBackoff()
    private var timer: Scheduled<Void>?

    init(eventLoop: any EventLoop, configuration: RedisConfiguration) {
        self.eventLoop = eventLoop
        self.configuration = configuration
        self.setup = RedisConnectionSetup(endpoint: configuration.endpoint, keyPrefix: configuration.keyPrefix)
    }

    /// Commands written on this connection, for `folio bench queue`.
    var sentCount: Int { sent.withLock { $0 } }

    /// Sends `commands` as one pipeline; one reply per command (Redis errors are replies, not throws). Throws
    /// ``FolioQueue/QueueError`` `.unavailable` when the connection cannot be made or breaks.
    func send(_ commands: [[RedisArg]]) async throws -> [RedisReply] {
        if commands.isEmpty { return [] }
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        buffer.writeRedisCommands(commands)
        let count = commands.count
        return try await withCheckedThrowingContinuation { c in
            submitOnLoop(.pipeline(buffer, count: count, c))
        }
    }

    func send(_ command: [RedisArg]) async throws -> RedisReply {
        try await send([command])[0]
    }

    /// Sends one command that may go out merged with concurrent ones of the same ``RedisMerge/key``.
    func send(_ command: [RedisArg], merge: RedisMerge) async throws -> RedisReply {
        try await withCheckedThrowingContinuation { c in
            submitOnLoop(.mergeable(command, merge, c))
        }[0]
    }

    private func submitOnLoop(_ request: Request) {
        if eventLoop.inEventLoop {
            submit(request)
        } else {
            eventLoop.execute { self.submit(request) }
        }
    }

    /// Fails new requests from now on; requests in flight still get their replies, then the connection closes.
    func stop() {
        eventLoop.execute {
            self.stopped = true
            let refused = self.waiting
            self.waiting.removeAll()
            for w in refused { w.continuation.resume(throwing: Self.shutDown) }
            if self.inFlight.isEmpty && self.merging.isEmpty { self.state.channel?.close(promise: nil) }
        }
    }

    private static let shutDown = QueueError(.unavailable, "the Redis client was shut down")

    private func submit(_ request: Request) {
        if stopped { return request.continuation.resume(throwing: Self.shutDown) }
        switch state {
        case .ready(let channel):
            switch request {
            case .pipeline(let buffer, let count, let c):
                write(buffer, count: count, completion: .caller(c), on: channel)
                // A lone request on an idle connection goes out at once; under load, requests wait for the turn's end.
                if inFlight.count == 1 && !flushScheduled { return channel.flush() }
            case .mergeable(let command, let merge, let c):
                gather(command, merge, c, on: channel)
            }
            if !flushScheduled {
                flushScheduled = true
                eventLoop.execute { self.flush() }
            }
        case .connecting, .settingUp:
            waiting.append(request)
        case .idle:
            if let refusal = backoff.refusal(nowMs: Clock.nowMs()) { return request.continuation.resume(throwing: refusal) }
            waiting.append(request)
            connect()
        }
    }

    private func gather(_ command: [RedisArg], _ merge: RedisMerge, _ c: Continuation, on channel: any Channel) {
        if var batch = merging[merge.key], batch.items + merge.items <= RedisMerge.maxItems {
            batch.command += command[merge.headCount...]
            batch.callers.append((c, batch.items, merge.items))
            batch.items += merge.items
            merging[merge.key] = batch
            return
        }
        if let full = merging.removeValue(forKey: merge.key) { write(full, on: channel) }
        merging[merge.key] = MergeBatch(command: command, items: merge.items, callers: [(c, 0, merge.items)])
    }

    private func write(_ batch: MergeBatch, on channel: any Channel) {
        var buffer = ByteBufferAllocator().buffer(capacity: 0)
        buffer.writeRedisCommands([batch.command])
        let completion: Completion = batch.callers.count == 1 ? .caller(batch.callers[0].continuation) : .merged(batch.callers)
        write(buffer, count: 1, completion: completion, on: channel)
    }

    /// Ends the loop's turn for this connection: gathered merges are written, then everything goes out in one write.
    private func flush() {
        flushScheduled = false
        guard case .ready(let channel) = state else { return }
        if !merging.isEmpty {
            for batch in merging.values { write(batch, on: channel) }
            merging.removeAll(keepingCapacity: true)
        }
        channel.flush()
    }

    private func write(_ buffer: ByteBuffer, count: Int, completion: Completion, on channel: any Channel) {
        inFlight.append(InFlight(expected: count, replies: [], completion: completion, sentAt: .now()))
        sent.withLock { $0 += count }
        channel.write(buffer, promise: nil)
        if timer == nil { armTimer() }
    }

    private func connect() {
        state = .connecting
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.milliseconds(configuration.connectTimeout.milliseconds))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = RedisReplyHandler(onReply: { [self] in received($0) },
                                                    onClose: { [self] in closed(channel, reason: $0) })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let endpoint = configuration.endpoint
        let connected: EventLoopFuture<any Channel>
        switch endpoint.address {
        case .tcp(let host, let port): connected = bootstrap.connect(host: host, port: port)
        case .unix(let path): connected = bootstrap.connect(unixDomainSocketPath: path)
        }
        connected.whenComplete { result in
            switch result {
            case .success(let channel):
                if self.stopped {
                    channel.close(promise: nil)
                    return self.setupFailed(Self.shutDown)
                }
                self.state = .settingUp(channel)
                var buffer = ByteBufferAllocator().buffer(capacity: 0)
                let commands = self.setup.commands
                buffer.writeRedisCommands(commands)
                self.write(buffer, count: commands.count, completion: .setup(channel), on: channel)
                channel.flush()
            case .failure(let error):
                self.setupFailed(QueueError(.unavailable, "Redis at \(endpoint) is unreachable: \(Self.reason(error))"))
            }
        }
    }

    /// The cause of a failed connect in a few words ("Connection refused"), not NIO's nested error values.
    private static func reason(_ error: any Error) -> String {
        var error = error
        if let e = error as? NIOConnectionError, let last = e.connectionErrors.last { error = last.error }
        if let e = error as? IOError { return String(cString: strerror(e.errnoCode)) }
        if case ChannelError.connectTimeout(let t) = error { return "no connection within \(t.nanoseconds / 1_000_000) ms" }
        return "\(error)"
    }

    private func setupFailed(_ error: any Error) {
        let e = backoff.failed(error, nowMs: Clock.nowMs())
        let channel = state.channel
        state = .idle
        channel?.close(promise: nil)
        failAll(e)
    }

    private func received(_ reply: RedisReply) {
        guard !inFlight.isEmpty else {
            return drop(QueueError(.protocolError, "Redis sent a reply no request was waiting for"))
        }
        inFlight[inFlight.startIndex].replies.append(reply)
        guard inFlight[inFlight.startIndex].replies.count == inFlight[inFlight.startIndex].expected else { return }
        let done = inFlight.removeFirst()
        switch done.completion {
        case .caller(let c):
            c.resume(returning: done.replies)
        case .merged(let callers):
            let reply = done.replies[0]
            for part in callers {
                if case .array(let items) = reply, part.item + part.count <= items.count {
                    part.continuation.resume(returning: [.array(Array(items[part.item..<(part.item + part.count)]))])
                } else {
                    part.continuation.resume(returning: [reply])
                }
            }
        case .setup(let channel):
            do {
                try setup.check(done.replies)
            } catch {
                return setupFailed(error)
            }
            backoff.connected()
            state = .ready(channel)
            let queued = waiting
            waiting.removeAll()
            for w in queued { submit(w) }
        }
        if stopped && inFlight.isEmpty { state.channel?.close(promise: nil) }
    }

    private func closed(_ channel: any Channel, reason: String) {
        guard let current = state.channel, current === channel else { return }
        if case .settingUp = state {
            setupFailed(QueueError(.unavailable, "Redis at \(configuration.endpoint) closed the connection: \(reason)"))
        } else {
            drop(QueueError(.unavailable, "lost the Redis connection: \(reason)"))
        }
    }

    /// Closes the connection and fails every request on it; the next request connects again.
    private func drop(_ error: QueueError) {
        let channel = state.channel
        state = .idle
        channel?.close(promise: nil)
        failAll(error)
    }

    private func failAll(_ error: any Error) {
        let lost = inFlight
        inFlight.removeAll()
        let queued = waiting
        waiting.removeAll()
        let gathered = merging.values.flatMap(\.callers)
        merging.removeAll()
        for r in lost {
            switch r.completion {
            case .caller(let c): c.resume(throwing: error)
            case .merged(let callers): for part in callers { part.continuation.resume(throwing: error) }
            case .setup: break
            }
        }
        for part in gathered { part.continuation.resume(throwing: error) }
        for w in queued { w.continuation.resume(throwing: error) }
    }

    /// Checks, when the oldest request in flight would reach the command timeout, whether it has been answered.
    private func armTimer() {
        guard let oldest = inFlight.first else { timer = nil; return }
        let timeout = TimeAmount.milliseconds(configuration.commandTimeout.milliseconds)
        timer = eventLoop.scheduleTask(deadline: oldest.sentAt + timeout) {
            guard let oldest = self.inFlight.first else { self.timer = nil; return }
            if oldest.sentAt + timeout <= .now() {
                self.timer = nil
                self.drop(QueueError(.unavailable, "Redis did not answer within \(self.configuration.commandTimeout)"))
            } else {
                self.armTimer()
            }
        }
    }
}
