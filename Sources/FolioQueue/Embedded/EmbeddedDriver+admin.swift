import Foundation

extension EmbeddedDriver: QueueAdministration {
    public func counts(queue: QueueName) async throws -> QueueCounts {
        withQueue(queue) { q, _ in q.counts }
    }

    public func counts(queue: QueueName, tenant: String) async throws -> QueueCounts {
        withQueue(queue) { q, _ in
            var c = QueueCounts(paused: q.counts.paused)
            for entry in q.jobs.values where entry.record.tenant == tenant { c.add(entry.record.state) }
            return c
        }
    }

    public func jobs(queue: QueueName, state: JobState, offset: Int, limit: Int) async throws -> [JobRecord] {
        listed(queue, state, offset: offset, limit: limit) { _ in true }
    }

    public func jobs(queue: QueueName, state: JobState, tenant: String, offset: Int, limit: Int) async throws -> [JobRecord] {
        listed(queue, state, offset: offset, limit: limit) { $0.record.tenant == tenant }
    }

    private func listed(_ queue: QueueName, _ state: JobState, offset: Int, limit: Int,
                        _ include: (Entry) -> Bool) -> [JobRecord] {
        withQueue(queue) { q, _ in
            let entries = q.jobs.values.filter { $0.record.state == state && include($0) }
            let all: [JobRecord]
            switch state {
            case .completed, .failed:
                all = entries.map(\.record).sorted { ($0.finishedAtMs ?? 0, $0.id) > ($1.finishedAtMs ?? 0, $1.id) }
            case .waiting:
                all = entries.sorted { ScoredID(score: $0.rank, id: $0.record.id) < ScoredID(score: $1.rank, id: $1.record.id) }
                    .map(\.record)
            case .delayed:
                all = entries.map(\.record).sorted { ($0.runAtMs, $0.id) < ($1.runAtMs, $1.id) }
            case .active:
                all = entries.sorted { ($0.leaseExpiryMs, $0.record.id) < ($1.leaseExpiryMs, $1.record.id) }.map(\.record)
            }
            return Array(all.dropFirst(offset).prefix(limit))
        }
    }

    public func retry(_ id: JobID, queue: QueueName) async throws -> Bool {
        let now = Clock.nowMs()
        let ok = withQueue(queue) { q, events -> Bool in
            guard let e = q.jobs[id], e.record.state == .failed else { return false }
            e.record.attempts = 0
            e.record.cancelRequested = false
            e.record.finishedAtMs = nil
            e.record.runAtMs = now
            e.rank = e.record.priority.rank(readyAtMs: now)
            q.setState(e, .waiting)
            q.waiting.insert(ScoredID(score: e.rank, id: id))
            q.jobs[id] = e
            events.append(JobEvent(id: id, queue: queue, kind: .enqueued, atMs: now))
            return true
        }
        if ok { signal(queue).signal() }
        return ok
    }

    public func cancel(_ id: JobID, queue: QueueName) async throws -> Bool {
        let now = Clock.nowMs()
        return withQueue(queue) { q, events -> Bool in
            guard let e = q.jobs[id] else { return false }
            switch e.record.state {
            case .waiting, .delayed:
                e.record.errors.append(AttemptError(attempt: e.record.attempts, code: "cancelled",
                                                    message: "cancelled before it ran", atMs: now, permanent: true))
                e.record.finishedAtMs = now
                q.setState(e, .failed)
                q.failed.append(ScoredID(score: now, id: id))
                q.countFinish(.failed, now: now)
                q.jobs[id] = e
                events.append(JobEvent(id: id, queue: queue, kind: .failed, atMs: now))
                return true
            case .active:
                e.record.cancelRequested = true
                q.jobs[id] = e
                events.append(JobEvent(id: id, queue: queue, kind: .cancelRequested, atMs: now))
                return true
            case .completed, .failed:
                return false
            }
        }
    }

    public func remove(_ id: JobID, queue: QueueName) async throws -> Bool {
        let now = Clock.nowMs()
        return withQueue(queue) { q, events -> Bool in
            guard let e = q.jobs.removeValue(forKey: id) else { return false }
            q.adjust(e.record.state, -1)
            events.append(JobEvent(id: id, queue: queue, kind: .removed, atMs: now))
            return true
        }
    }

    public func pause(queue: QueueName) async throws {
        let now = Clock.nowMs()
        withQueue(queue) { q, events in
            q.counts.paused = true
            events.append(JobEvent(id: JobID(""), queue: queue, kind: .paused, atMs: now))
        }
    }

    public func resume(queue: QueueName) async throws {
        let now = Clock.nowMs()
        withQueue(queue) { q, events in
            q.counts.paused = false
            events.append(JobEvent(id: JobID(""), queue: queue, kind: .resumed, atMs: now))
        }
        signal(queue).signal()
    }

    public func clean(queue: QueueName, state: JobState, olderThan: Duration, keep: Int) async throws -> Int {
        guard state.isFinished else { return 0 }
        let cutoff = Clock.nowMs() - olderThan.milliseconds
        return withQueue(queue) { q, _ in
            let finished = q.jobs.values.map(\.record).filter { $0.state == state }
                .sorted { ($0.finishedAtMs ?? 0, $0.id) > ($1.finishedAtMs ?? 0, $1.id) }
            var removed = 0
            for r in finished.dropFirst(keep) where (r.finishedAtMs ?? 0) <= cutoff {
                q.jobs[r.id] = nil
                q.adjust(state, -1)
                removed += 1
            }
            return removed
        }
    }
}
