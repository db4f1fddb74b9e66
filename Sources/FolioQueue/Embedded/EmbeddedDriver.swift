import Foundation

/// The in-process driver: the same promises as the Redis driver, kept in memory behind one lock per driver.
///
/// Nothing survives the process; use it for a single-process deployment, tests and as the fallback while Redis is away.
public final class EmbeddedDriver: QueueDriver, Sendable {
    /// A job as the embedded driver keeps it: a reference, so the tables hold pointers and updates happen in place.
    /// Only touched under its queue's lock.
    final class Entry {
        var record: JobRecord
        var token: Int64 = 0
        var leaseExpiryMs: Int64 = 0
        var rank: Int64 = 0
        var removeOnComplete = false
        init(record: JobRecord) { self.record = record }
    }

    struct QueueState {
        var jobs: [JobID: Entry] = [:]
        var waiting = MinHeap<ScoredID>()
        var delayed = MinHeap<ScoredID>()
        var active = MinHeap<ScoredID>()
        var completed = FinishedList()
        var failed = FinishedList()
        var counts = QueueCounts()
        var idempotency: [String: (id: JobID, expiresMs: Int64)] = [:]
        var idempotencyPruneAtMs: Int64 = 0
        var rateWindow: (index: Int64, used: Int) = (-1, 0)
        var retention = Retention()
        var finishes: [Int64: (completed: Int, failed: Int)] = [:]
    }

    /// One queue's state behind its own lock, with its wake-up signal.
    final class QueueBox: Sendable {
        let state = LockedState(QueueState())
        let signal = WakeSignal()
    }
    let queues = LockedState<[QueueName: QueueBox]>([:])
    let hub = EventHub()
    /// Only `cancelRequested` events, for workers: they need not see every event.
    let cancelHub = EventHub()
    let scheduleMarks = LockedState<[String: Int64]>([:])
    let heartbeats = LockedState<[String: (beat: WorkerHeartbeat, expiresMs: Int64)]>([:])

    public init() {}

    func box(_ queue: QueueName) -> QueueBox {
        queues.withLock { all in
            if let b = all[queue] { return b }
            let b = QueueBox()
            all[queue] = b
            return b
        }
    }

    func signal(_ queue: QueueName) -> WakeSignal { box(queue).signal }

    /// Runs `body` on the queue's state under the lock, then publishes the events it collected.
    func withQueue<R>(_ queue: QueueName, _ body: (inout QueueState, inout [JobEvent]) throws -> R) rethrows -> R {
        try withQueue(box(queue), body)
    }

    func withQueue<R>(_ box: QueueBox, _ body: (inout QueueState, inout [JobEvent]) throws -> R) rethrows -> R {
        var events: [JobEvent] = []
        let r = try box.state.withLock { q in try body(&q, &events) }
        if !events.isEmpty {
            if hub.hasListeners { for e in events { hub.publish(e) } }
            if cancelHub.hasListeners { for e in events where e.kind == .cancelRequested { cancelHub.publish(e) } }
        }
        return r
    }

    public func setRetention(_ retention: Retention, for queue: QueueName) async {
        withQueue(queue) { q, _ in q.retention = retention }
    }

    // MARK: QueueDriver

    public func enqueue(_ jobs: [JobRequest]) async throws -> [JobID] {
        let now = jobs.first?.enqueuedAtMs ?? Clock.nowMs()
        var ids = [JobID](repeating: JobID(""), count: jobs.count)
        if let first = jobs.first?.queue, jobs.allSatisfy({ $0.queue == first }) {
            let b = box(first)
            withQueue(b) { q, events in
                for i in jobs.indices { ids[i] = q.add(jobs[i], now: now, events: &events) }
            }
            b.signal.signal()
            return ids
        }
        var byQueue: [QueueName: [Int]] = [:]
        for (i, r) in jobs.enumerated() { byQueue[r.queue, default: []].append(i) }
        for (queue, indices) in byQueue {
            withQueue(queue) { q, events in
                for i in indices { ids[i] = q.add(jobs[i], now: now, events: &events) }
            }
        }
        let touched = byQueue.keys
        for q in touched { signal(q).signal() }
        return ids
    }

    public func lease(queue: QueueName, worker: String, count: Int, leaseDuration: Duration,
                      rateLimit: RateLimit?) async throws -> LeaseBatch {
        let now = Clock.nowMs()
        return withQueue(queue) { q, events in
            q.promoteAndReclaim(queue: queue, now: now, events: &events)
            var batch = LeaseBatch(nextDueMs: q.nextDueMs, paused: q.counts.paused)
            if q.counts.paused { return batch }
            var n = count
            if let rate = rateLimit, rate.limit > 0 {
                let w = max(1, rate.window.milliseconds)
                let index = now / w
                if q.rateWindow.index != index { q.rateWindow = (index, 0) }
                n = min(n, rate.limit - q.rateWindow.used)
                if n <= 0 { batch.rateLimitedUntilMs = (index + 1) * w; return batch }
            }
            while batch.jobs.count < n, let top = q.waiting.popMin() {
                guard let e = q.jobs[top.id], e.record.state == .waiting, e.rank == top.score else { continue }
                e.token += 1
                e.record.attempts += 1
                e.record.startedAtMs = now
                e.record.worker = worker
                e.leaseExpiryMs = now + leaseDuration.milliseconds
                q.setState(e, .active)
                q.active.insert(ScoredID(score: e.leaseExpiryMs, id: top.id))
                batch.jobs.append(LeasedJob(lease: Lease(id: top.id, queue: queue, token: e.token), record: e.record))
                events.append(JobEvent(id: top.id, queue: queue, kind: .active, atMs: now))
            }
            if rateLimit != nil { q.rateWindow.used += batch.jobs.count }
            return batch
        }
    }

    public func waitForWork(queue: QueueName, timeout: Duration) async throws {
        await signal(queue).wait(timeout: timeout)
    }

    public func renew(_ leases: [Lease], duration: Duration) async throws -> [LeaseStatus] {
        let now = Clock.nowMs()
        var out: [LeaseStatus] = []
        for lease in leases {
            out.append(withQueue(lease.queue) { q, _ in
                guard let e = q.jobs[lease.id], e.record.state == .active, e.token == lease.token else { return .lost }
                e.leaseExpiryMs = now + duration.milliseconds
                q.active.insert(ScoredID(score: e.leaseExpiryMs, id: lease.id))
                q.jobs[lease.id] = e
                return e.record.cancelRequested ? .cancelRequested : .held
            })
        }
        return out
    }

    public func complete(_ lease: Lease, result: Data?) async throws -> Bool {
        let now = Clock.nowMs()
        return withQueue(lease.queue) { q, events in
            guard let e = q.jobs[lease.id], e.record.state == .active, e.token == lease.token else { return false }
            e.record.result = result
            if !q.retention.keepsCompletedPayload { e.record.payload = Data() }
            e.record.finishedAtMs = now
            e.record.progress.percent = 100
            q.setState(e, .completed)
            q.countFinish(.completed, now: now)
            events.append(JobEvent(id: lease.id, queue: lease.queue, kind: .completed, atMs: now))
            if e.removeOnComplete {
                q.jobs[lease.id] = nil
                q.counts.completed -= 1
            } else {
                q.completed.append(ScoredID(score: now, id: lease.id))
                q.trim(.completed, now: now)
            }
            return true
        }
    }

    public func fail(_ lease: Lease, error: AttemptError, retryAtMs: Int64?) async throws -> Bool {
        let now = Clock.nowMs()
        let ok = withQueue(lease.queue) { q, events -> Bool in
            guard let e = q.jobs[lease.id], e.record.state == .active, e.token == lease.token else { return false }
            e.record.errors.append(error)
            if let at = retryAtMs, !e.record.cancelRequested {
                e.record.runAtMs = at
                if at > now {
                    q.setState(e, .delayed)
                    q.delayed.insert(ScoredID(score: at, id: lease.id))
                } else {
                    e.rank = e.record.priority.rank(readyAtMs: now)
                    q.setState(e, .waiting)
                    q.waiting.insert(ScoredID(score: e.rank, id: lease.id))
                }
                q.jobs[lease.id] = e
                events.append(JobEvent(id: lease.id, queue: lease.queue, kind: .retrying, atMs: now))
            } else {
                e.record.finishedAtMs = now
                q.setState(e, .failed)
                q.jobs[lease.id] = e
                q.failed.append(ScoredID(score: now, id: lease.id))
                q.countFinish(.failed, now: now)
                q.trim(.failed, now: now)
                events.append(JobEvent(id: lease.id, queue: lease.queue, kind: .failed, atMs: now))
            }
            return true
        }
        if ok { signal(lease.queue).signal() }
        return ok
    }

    public func release(_ lease: Lease) async throws -> Bool {
        let now = Clock.nowMs()
        let ok = withQueue(lease.queue) { q, events -> Bool in
            guard let e = q.jobs[lease.id], e.record.state == .active, e.token == lease.token else { return false }
            e.record.attempts -= 1
            e.rank = e.record.priority.rank(readyAtMs: now)
            q.setState(e, .waiting)
            q.waiting.insert(ScoredID(score: e.rank, id: lease.id))
            q.jobs[lease.id] = e
            events.append(JobEvent(id: lease.id, queue: lease.queue, kind: .released, atMs: now))
            return true
        }
        if ok { signal(lease.queue).signal() }
        return ok
    }

    public func job(_ id: JobID, queue: QueueName) async throws -> JobRecord? {
        withQueue(queue) { q, _ in q.jobs[id]?.record }
    }

    public func updateProgress(_ lease: Lease, progress: JobProgress) async throws -> Bool {
        let now = Clock.nowMs()
        return withQueue(lease.queue) { q, events in
            guard let e = q.jobs[lease.id], e.record.state == .active, e.token == lease.token else { return false }
            e.record.progress = progress
            q.jobs[lease.id] = e
            events.append(JobEvent(id: lease.id, queue: lease.queue, kind: .progress, atMs: now))
            return true
        }
    }
}
