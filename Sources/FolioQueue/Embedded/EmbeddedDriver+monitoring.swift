import Foundation

extension EmbeddedDriver: QueueMonitoring {
    public func throughput(queue: QueueName) async throws -> Throughput {
        let now = Clock.nowMs()
        let buckets = withQueue(queue) { q, _ in q.finishes }
        let c = Throughput.sum(buckets.mapValues(\.completed), now: now)
        let f = Throughput.sum(buckets.mapValues(\.failed), now: now)
        return Throughput(completedLastMinute: c.minute, completedLastHour: c.hour, failedLastMinute: f.minute, failedLastHour: f.hour)
    }

    public func recordHeartbeat(_ beat: WorkerHeartbeat, ttl: Duration) async throws {
        heartbeats.withLock { $0[beat.id] = (beat, beat.lastSeenMs + ttl.milliseconds) }
    }

    public func liveWorkers() async throws -> [WorkerHeartbeat] {
        let now = Clock.nowMs()
        return heartbeats.withLock { h in
            h = h.filter { $0.value.expiresMs > now }
            return h.values.map(\.beat).sorted { $0.id < $1.id }
        }
    }
}

extension EmbeddedDriver: ScheduleStore {
    public func lastOccurrence(of schedule: String) async throws -> Int64? {
        scheduleMarks.withLock { $0[schedule] }
    }
    public func recordOccurrence(_ ms: Int64, of schedule: String) async throws {
        scheduleMarks.withLock { $0[schedule] = max($0[schedule] ?? ms, ms) }
    }
}
