import Foundation

/// Finished jobs in finish order, oldest first; entries whose job moved on are skipped lazily.
struct FinishedList {
    private(set) var items: [ScoredID] = []
    private(set) var head = 0
    var live: ArraySlice<ScoredID> { items[head...] }
    mutating func append(_ e: ScoredID) { items.append(e) }
    mutating func popFirst() -> ScoredID? {
        guard head < items.count else { return nil }
        let e = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        return e
    }
    mutating func removeAll(where drop: (ScoredID) -> Bool) {
        items = Array(items[head...].filter { !drop($0) }); head = 0
    }
}

extension EmbeddedDriver.QueueState {
    mutating func setState(_ e: EmbeddedDriver.Entry, _ new: JobState) {
        adjust(e.record.state, -1)
        adjust(new, 1)
        e.record.state = new
    }

    mutating func adjust(_ s: JobState, _ d: Int) {
        switch s {
        case .waiting: counts.waiting += d
        case .delayed: counts.delayed += d
        case .active: counts.active += d
        case .completed: counts.completed += d
        case .failed: counts.failed += d
        }
    }

    mutating func add(_ r: JobRequest, now: Int64, events: inout [JobEvent]) -> JobID {
        if let key = r.idempotencyKey {
            if now >= idempotencyPruneAtMs {
                idempotency = idempotency.filter { $0.value.expiresMs > now }
                idempotencyPruneAtMs = now + 60_000
            }
            if let hit = idempotency[key], hit.expiresMs > now { return hit.id }
            idempotency[key] = (r.id, now + r.idempotencyWindowMs)
        }
        let runAt = max(r.runAtMs, now)
        let e = EmbeddedDriver.Entry(record: JobRecord(
            id: r.id, queue: r.queue, kind: r.kind, payload: r.payload, tenant: r.tenant, priority: r.priority,
            state: .waiting, attempts: 0, maxAttempts: r.maxAttempts, retry: r.retry, timeoutMs: r.timeoutMs,
            idempotencyKey: r.idempotencyKey, progress: JobProgress(), result: nil, errors: [], enqueuedAtMs: now,
            runAtMs: runAt, startedAtMs: nil, finishedAtMs: nil, worker: nil, cancelRequested: false))
        e.removeOnComplete = r.removeOnComplete
        if let old = jobs[r.id] { adjust(old.record.state, -1) }
        if runAt > now {
            e.record.state = .delayed
            delayed.insert(ScoredID(score: runAt, id: r.id))
            events.append(JobEvent(id: r.id, queue: r.queue, kind: .delayed, atMs: now))
        } else {
            e.rank = r.priority.rank(readyAtMs: runAt)
            waiting.insert(ScoredID(score: e.rank, id: r.id))
            events.append(JobEvent(id: r.id, queue: r.queue, kind: .enqueued, atMs: now))
        }
        adjust(e.record.state, 1)
        jobs[r.id] = e
        return r.id
    }

    mutating func promoteAndReclaim(queue: QueueName, now: Int64, events: inout [JobEvent]) {
        while let top = delayed.min, top.score <= now {
            delayed.popMin()
            guard let e = jobs[top.id], e.record.state == .delayed, e.record.runAtMs == top.score else { continue }
            e.rank = e.record.priority.rank(readyAtMs: e.record.runAtMs)
            setState(e, .waiting)
            waiting.insert(ScoredID(score: e.rank, id: top.id))
            jobs[top.id] = e
            events.append(JobEvent(id: top.id, queue: queue, kind: .enqueued, atMs: now))
        }
        while let top = active.min, top.score <= now {
            active.popMin()
            guard let e = jobs[top.id], e.record.state == .active, e.leaseExpiryMs == top.score else { continue }
            e.record.errors.append(AttemptError(attempt: e.record.attempts, code: "lease_expired",
                                                message: "the worker \(e.record.worker ?? "?") stopped renewing its lease",
                                                atMs: now, permanent: false))
            if e.record.attempts >= e.record.maxAttempts || e.record.cancelRequested {
                e.record.finishedAtMs = now
                setState(e, .failed)
                failed.append(ScoredID(score: now, id: top.id))
                countFinish(.failed, now: now)
                events.append(JobEvent(id: top.id, queue: queue, kind: .failed, atMs: now))
            } else {
                e.rank = e.record.priority.rank(readyAtMs: now)
                setState(e, .waiting)
                waiting.insert(ScoredID(score: e.rank, id: top.id))
                events.append(JobEvent(id: top.id, queue: queue, kind: .retrying, atMs: now))
            }
            jobs[top.id] = e
        }
    }

    mutating func countFinish(_ s: JobState, now: Int64) {
        let bucket = now / Throughput.bucketMs
        if s == .completed { finishes[bucket, default: (0, 0)].completed += 1 } else { finishes[bucket, default: (0, 0)].failed += 1 }
        if finishes.count > 400 { finishes = finishes.filter { $0.key > bucket - 360 } }
    }

    var nextDueMs: Int64? {
        [delayed.min?.score, active.min?.score].compactMap { $0 }.min()
    }

    /// Applies retention to a finished list: first by count, then by age.
    mutating func trim(_ s: JobState, now: Int64) {
        let (keep, ageMs) = s == .completed
            ? (retention.completedCount, retention.completedAge.milliseconds)
            : (retention.failedCount, retention.failedAge.milliseconds)
        func count() -> Int { s == .completed ? counts.completed : counts.failed }
        while true {
            let head = s == .completed ? completed.live.first : failed.live.first
            guard let h = head else { break }
            let valid = jobs[h.id].map { $0.record.state == s && $0.record.finishedAtMs == h.score } ?? false
            if valid && count() <= keep && h.score >= now - ageMs { break }
            _ = s == .completed ? completed.popFirst() : failed.popFirst()
            if valid { jobs[h.id] = nil; adjust(s, -1) }
        }
    }
}
