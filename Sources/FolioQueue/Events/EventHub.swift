import Foundation

/// Fans events out to in-process subscribers and to `wait(for:)` callers. Drivers feed it; it never blocks a publisher.
public final class EventHub: Sendable {
    private typealias Continuation = CheckedContinuation<JobEvent.Kind?, any Error>

    /// One caller of ``waitForFinal(_:timeout:isFinished:)``: registered before its check (`pending`, keeping a final event
    /// that arrives meanwhile), then suspended (`waiting`).
    private struct Waiter {
        enum Slot {
            case pending
            case arrived(JobEvent.Kind)
            case waiting(Continuation)
        }
        var deadline: ContinuousClock.Instant
        var slot: Slot
    }

    private struct State {
        var subscribers: [UUID: (QueueName, AsyncStream<JobEvent>.Continuation)] = [:]
        var waiters: [JobID: [Int: Waiter]] = [:]
        var nextWaiter = 0
        var sweeping = false
        /// The last ``recentCapacity`` final events, so that a wait registered just after its job's event still sees it.
        var recent: [JobID: JobEvent.Kind] = [:]
        var recentOrder: [JobID] = []
        var recentNext = 0
    }
    private let state = LockedState(State())
    public init() {}

    /// How many final events are remembered for waits that register after them.
    static let recentCapacity = 4_096

    /// How often timed-out waits are looked for: a wait may end up to this much after its timeout.
    static let sweepInterval = Duration.milliseconds(50)

    /// Whether anyone listens: publishers may skip building events when not.
    public var hasListeners: Bool { state.withLock { !$0.subscribers.isEmpty || !$0.waiters.isEmpty } }

    /// Delivers an event to the queue's subscribers and, if final, to the job's waiters.
    public func publish(_ event: JobEvent) {
        let (subs, woken) = state.withLock { s -> ([AsyncStream<JobEvent>.Continuation], [Continuation]) in
            let subs = s.subscribers.values.filter { $0.0 == event.queue }.map(\.1)
            guard event.kind.isFinal else { return (subs, []) }
            return (subs, Self.wake(event.id, event.kind, in: &s))
        }
        for c in subs { c.yield(event) }
        for c in woken { c.resume(returning: event.kind) }
    }

    /// Ends the job's waits with a final `kind` without telling subscribers: for a driver that learns of an ending in this
    /// process before the event comes back through its shared stream (which then reaches subscribers once, as usual).
    public func settle(_ id: JobID, as kind: JobEvent.Kind) {
        guard kind.isFinal else { return }
        let woken = state.withLock { Self.wake(id, kind, in: &$0) }
        for c in woken { c.resume(returning: kind) }
    }

    private static func wake(_ id: JobID, _ kind: JobEvent.Kind, in s: inout State) -> [Continuation] {
        remember(id, kind, in: &s)
        guard var ws = s.waiters[id] else { return [] }
        var woken: [Continuation] = []
        for (key, w) in ws {
            switch w.slot {
            case .pending: ws[key]?.slot = .arrived(kind)
            case .waiting(let c): woken.append(c); ws[key] = nil
            case .arrived: break
            }
        }
        s.waiters[id] = ws.isEmpty ? nil : ws
        return woken
    }

    private static func remember(_ id: JobID, _ kind: JobEvent.Kind, in s: inout State) {
        if s.recent.updateValue(kind, forKey: id) != nil { return }
        if s.recentOrder.count < recentCapacity {
            s.recentOrder.append(id)
        } else {
            s.recent[s.recentOrder[s.recentNext]] = nil
            s.recentOrder[s.recentNext] = id
            s.recentNext = (s.recentNext + 1) % recentCapacity
        }
    }

    /// A subscription to the queue's events from now on (the newest 10 000 undelivered are buffered).
    public func stream(queue: QueueName) -> AsyncStream<JobEvent> {
        let key = UUID()
        let (stream, continuation) = AsyncStream<JobEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        state.withLock { $0.subscribers[key] = (queue, continuation) }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.subscribers.removeValue(forKey: key) } }
        return stream
    }

    /// Waits until a final event for `id` is published, `timeout` passes (throws ``QueueError/Code/timeout``), or the task
    /// is cancelled. `isFinished` is checked after registering, so an event published just before cannot be missed.
    /// For a `newJob` (one the caller has just enqueued, so it has never ended before) the last ``recentCapacity`` final
    /// events are looked up first; an older job may have run again since its last ending (retried by an operator).
    /// Returns the final event's kind, or `nil` when `isFinished` said the job had already finished (or on cancellation):
    /// read the job's state then.
    ///
    /// One suspension and no task or timer of its own per wait: timeouts are found by one sweep every
    /// ``sweepInterval`` while anyone waits (a wait for an event that comes at once was a task group, a timer and a
    /// spin before).
    @discardableResult
    public func waitForFinal(_ id: JobID, timeout: Duration, newJob: Bool = false,
                             isFinished: @escaping @Sendable () async throws -> Bool) async throws -> JobEvent.Kind? {
        let deadline = ContinuousClock.now + timeout
        enum Registration { case waiter(Int), ended(JobEvent.Kind) }
        let registration = state.withLock { s -> Registration in
            if newJob, let kind = s.recent[id] { return .ended(kind) }
            s.nextWaiter &+= 1
            s.waiters[id, default: [:]][s.nextWaiter] = Waiter(deadline: deadline, slot: .pending)
            return .waiter(s.nextWaiter)
        }
        let key: Int
        switch registration {
        case .waiter(let k): key = k
        case .ended(let kind): return kind
        }
        let finishedBefore: Bool
        do {
            finishedBefore = try await isFinished()
        } catch {
            _ = removeWaiter(id, key)
            throw error
        }
        if finishedBefore {
            if case .arrived(let kind)? = removeWaiter(id, key)?.slot { return kind }
            return nil
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: Continuation) in
                enum Next { case resume(JobEvent.Kind?), timedOut, wait(startSweep: Bool) }
                let next = state.withLock { s -> Next in
                    guard let w = s.waiters[id]?[key] else { return .resume(nil) }
                    if case .arrived(let kind) = w.slot { Self.remove(id, key, from: &s); return .resume(kind) }
                    if Task.isCancelled { Self.remove(id, key, from: &s); return .resume(nil) }
                    if w.deadline <= .now { Self.remove(id, key, from: &s); return .timedOut }
                    s.waiters[id]?[key]?.slot = .waiting(c)
                    if s.sweeping { return .wait(startSweep: false) }
                    s.sweeping = true
                    return .wait(startSweep: true)
                }
                switch next {
                case .resume(let kind): c.resume(returning: kind)
                case .timedOut: c.resume(throwing: Self.timeoutError(id, timeout))
                case .wait(let startSweep): if startSweep { Task { await self.sweep() } }
                }
            }
        } onCancel: {
            if case .waiting(let c)? = removeWaiter(id, key)?.slot { c.resume(returning: nil) }
        }
    }

    private static func timeoutError(_ id: JobID, _ timeout: Duration?) -> QueueError {
        QueueError(.timeout, "job \(id) did not finish within \(timeout.map { "\($0)" } ?? "its timeout")")
    }

    private func removeWaiter(_ id: JobID, _ key: Int) -> Waiter? {
        state.withLock { Self.remove(id, key, from: &$0) }
    }

    @discardableResult
    private static func remove(_ id: JobID, _ key: Int, from s: inout State) -> Waiter? {
        let w = s.waiters[id]?.removeValue(forKey: key)
        if s.waiters[id]?.isEmpty == true { s.waiters[id] = nil }
        return w
    }

    /// Ends the waits past their deadline, every ``sweepInterval`` until no one waits.
    private func sweep() async {
        while true {
            try? await Task.sleep(for: Self.sweepInterval)
            let now = ContinuousClock.now
            let (expired, done) = state.withLock { s -> ([(JobID, Continuation)], Bool) in
                var expired: [(JobID, Continuation)] = []
                for (id, ws) in s.waiters {
                    for (key, w) in ws where w.deadline <= now {
                        guard case .waiting(let c) = w.slot else { continue }
                        expired.append((id, c))
                        Self.remove(id, key, from: &s)
                    }
                }
                let done = !s.waiters.values.contains { ws in ws.values.contains { if case .waiting = $0.slot { true } else { false } } }
                if done { s.sweeping = false }
                return (expired, done)
            }
            for (id, c) in expired { c.resume(throwing: Self.timeoutError(id, nil)) }
            if done { return }
        }
    }
}
