import Foundation

/// Fans events out to in-process subscribers and to `wait(for:)` callers. Drivers feed it; it never blocks a publisher.
public final class EventHub: Sendable {
    private struct State {
        var subscribers: [UUID: (QueueName, AsyncStream<JobEvent>.Continuation)] = [:]
        var waiters: [JobID: [UUID: CheckedContinuation<Void, Never>]] = [:]
    }
    private let state = LockedState(State())
    public init() {}

    /// Whether anyone listens: publishers may skip building events when not.
    public var hasListeners: Bool { state.withLock { !$0.subscribers.isEmpty || !$0.waiters.isEmpty } }

    public func publish(_ event: JobEvent) {
        let (subs, waiters) = state.withLock { s -> ([AsyncStream<JobEvent>.Continuation], [CheckedContinuation<Void, Never>]) in
            let subs = s.subscribers.values.filter { $0.0 == event.queue }.map(\.1)
            var ws: [CheckedContinuation<Void, Never>] = []
            if event.kind.isFinal, let w = s.waiters.removeValue(forKey: event.id) { ws = Array(w.values) }
            return (subs, ws)
        }
        for c in subs { c.yield(event) }
        for w in waiters { w.resume() }
    }

    public func stream(queue: QueueName) -> AsyncStream<JobEvent> {
        let key = UUID()
        let (stream, continuation) = AsyncStream<JobEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        state.withLock { $0.subscribers[key] = (queue, continuation) }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) } }
        return stream
    }

    /// Waits until a final event for `id` is published, `timeout` passes, or the task is cancelled.
    /// `isFinished` is checked after registering, so an event published just before cannot be missed.
    public func waitForFinal(_ id: JobID, timeout: Duration, isFinished: @escaping @Sendable () async throws -> Bool) async throws {
        let key = UUID()
        let registered = LockedState(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let cancelled = self.state.withLock { s -> Bool in
                            if Task.isCancelled { return true }
                            s.waiters[id, default: [:]][key] = c
                            return false
                        }
                        registered.withLock { $0 = true }
                        if cancelled { c.resume() }
                    }
                } onCancel: {
                    let c = self.state.withLock { s -> CheckedContinuation<Void, Never>? in
                        let c = s.waiters[id]?.removeValue(forKey: key)
                        if s.waiters[id]?.isEmpty == true { s.waiters[id] = nil }
                        return c
                    }
                    c?.resume()
                }
            }
            group.addTask {
                // Wait for registration, then check whether the job already finished.
                while !registered.withLock({ $0 }) { await Task.yield() }
                if try await isFinished() { return }
                try await Task.sleep(for: timeout)
                throw QueueError(.timeout, "job \(id) did not finish within \(timeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }
}
