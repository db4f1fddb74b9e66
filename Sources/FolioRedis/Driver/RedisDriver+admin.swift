import FolioQueue
import Foundation

extension RedisDriver: QueueAdministration {
    public func counts(queue: QueueName) async throws -> QueueCounts {
        let k = keys(queue)
        let r = try await connection.send([["ZCARD", RedisArg(k.wait)], ["ZCARD", RedisArg(k.delayed)], ["ZCARD", RedisArg(k.active)],
                                     ["ZCARD", RedisArg(k.completed)], ["ZCARD", RedisArg(k.failed)],
                                     ["HGET", RedisArg(k.meta), "paused"]])
        for x in r { try x.check() }
        func n(_ i: Int) -> Int { Int(r[i].int ?? 0) }
        return QueueCounts(waiting: n(0), delayed: n(1), active: n(2), completed: n(3), failed: n(4), paused: r[5].string == "1")
    }

    /// Walks each state's set a page at a time and reads only the tenant field of each job (one pipelined round trip per
    /// page), so Redis is never blocked for long and no payload travels. Jobs that change state during the walk may be
    /// counted in neither or both of their states, as with any count taken while workers run.
    public func counts(queue: QueueName, tenant: String) async throws -> QueueCounts {
        let k = keys(queue)
        let paused = try await connection.send(["HGET", RedisArg(k.meta), "paused"]).check().string == "1"
        var c = QueueCounts(paused: paused)
        let page = 1_000
        for (state, set) in [(JobState.waiting, k.wait), (.delayed, k.delayed), (.active, k.active), (.completed, k.completed),
                             (.failed, k.failed)] {
            var start = 0
            while true {
                let ids = try await connection.send(["ZRANGE", RedisArg(set), RedisArg(start), RedisArg(start + page - 1)])
                    .check().array?.compactMap(\.string) ?? []
                if ids.isEmpty { break }
                let tenants = try await connection.send(ids.map { ["HGET", RedisArg(k.job(JobID($0))), "t"] })
                c.add(state, tenants.filter { $0.string == tenant }.count)
                if ids.count < page { break }
                start += page
            }
        }
        return c
    }

    public func jobs(queue: QueueName, state: JobState, offset: Int, limit: Int) async throws -> [JobRecord] {
        guard limit > 0 else { return [] }
        let (set, reverse) = stateSet(queue, state)
        let ids = try await connection.send([reverse ? "ZREVRANGE" : "ZRANGE", RedisArg(set), RedisArg(offset),
                                             RedisArg(offset + limit - 1)]).check().array?.compactMap(\.string) ?? []
        return try await records(ids, queue: queue)
    }

    /// Walks the state's set a page at a time reading only each job's tenant field, then reads the whole records of the
    /// page of the tenant's jobs asked for.
    public func jobs(queue: QueueName, state: JobState, tenant: String, offset: Int, limit: Int) async throws -> [JobRecord] {
        guard limit > 0 else { return [] }
        let k = keys(queue)
        let (set, reverse) = stateSet(queue, state)
        let page = 1_000
        var skipped = 0, chosen: [String] = [], start = 0
        while chosen.count < limit {
            let ids = try await connection.send([reverse ? "ZREVRANGE" : "ZRANGE", RedisArg(set), RedisArg(start),
                                                 RedisArg(start + page - 1)]).check().array?.compactMap(\.string) ?? []
            if ids.isEmpty { break }
            let tenants = try await connection.send(ids.map { ["HGET", RedisArg(k.job(JobID($0))), "t"] })
            for (id, t) in zip(ids, tenants) where t.string == tenant && chosen.count < limit {
                if skipped < offset { skipped += 1 } else { chosen.append(id) }
            }
            if ids.count < page { break }
            start += page
        }
        return try await records(chosen, queue: queue)
    }

    private func stateSet(_ queue: QueueName, _ state: JobState) -> (set: String, reverse: Bool) {
        let k = keys(queue)
        switch state {
        case .waiting: return (k.wait, false)
        case .delayed: return (k.delayed, false)
        case .active: return (k.active, false)
        case .completed: return (k.completed, true)
        case .failed: return (k.failed, true)
        }
    }

    private func records(_ ids: [String], queue: QueueName) async throws -> [JobRecord] {
        if ids.isEmpty { return [] }
        let k = keys(queue)
        let replies = try await connection.send(ids.map { ["HGETALL", RedisArg(k.job(JobID($0)))] })
        return zip(ids, replies).compactMap { JobRecord(id: JobID($0), queue: queue, fields: $1) }
    }

    public func retry(_ id: JobID, queue: QueueName) async throws -> Bool {
        let k = keys(queue)
        return try await scripts.retryJob.run(
            on: connection, keys: [k.failed, k.wait, k.marker, k.events],
            args: [RedisArg(k.prefix), RedisArg(id.rawValue), RedisArg(Clock.nowMs()), maxEvents, Self.ageing]).int == 1
    }

    public func cancel(_ id: JobID, queue: QueueName) async throws -> Bool {
        let k = keys(queue)
        return try await scripts.cancelJob.run(
            on: connection, keys: [k.wait, k.delayed, k.failed, k.events, k.meta, k.cancels],
            args: [RedisArg(k.prefix), RedisArg(id.rawValue), RedisArg(Clock.nowMs()), maxEvents]).int == 1
    }

    public func remove(_ id: JobID, queue: QueueName) async throws -> Bool {
        let k = keys(queue)
        return try await scripts.removeJob.run(
            on: connection, keys: [k.wait, k.delayed, k.active, k.completed, k.failed, k.events],
            args: [RedisArg(k.prefix), RedisArg(id.rawValue), maxEvents]).int == 1
    }

    public func pause(queue: QueueName) async throws {
        let k = keys(queue)
        _ = try await scripts.setPaused.run(on: connection, keys: [k.meta, k.marker, k.events], args: ["1", maxEvents])
    }

    public func resume(queue: QueueName) async throws {
        let k = keys(queue)
        _ = try await scripts.setPaused.run(on: connection, keys: [k.meta, k.marker, k.events], args: ["0", maxEvents])
    }

    public func clean(queue: QueueName, state: JobState, olderThan: Duration, keep: Int) async throws -> Int {
        let k = keys(queue)
        guard state.isFinished else { return 0 }
        let cutoff = Clock.nowMs() - olderThan.milliseconds
        var total = 0
        while true {
            let n = Int(try await scripts.cleanJobs.run(
                on: connection, keys: [state == .completed ? k.completed : k.failed],
                args: [RedisArg(k.prefix), RedisArg(cutoff), RedisArg(max(0, keep)), 1000]).int ?? 0)
            total += n
            if n < 1000 { return total }
        }
    }
}

extension RedisDriver: ScheduleStore {
    var schedulesKey: String { configuration.keyPrefix + ":schedules" }

    public func lastOccurrence(of schedule: String) async throws -> Int64? {
        try await command(["HGET", RedisArg(schedulesKey), RedisArg(schedule)]).int
    }

    public func recordOccurrence(_ ms: Int64, of schedule: String) async throws {
        _ = try await scripts.recordOccurrence.run(on: connection, keys: [schedulesKey], args: [RedisArg(schedule), RedisArg(ms)])
    }
}
