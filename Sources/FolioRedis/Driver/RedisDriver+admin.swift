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

    /// Jobs that change state during the walk (``walkTenant(_:_:_:_:)``) may be counted in neither or both of their
    /// states, as with any count taken while workers run.
    public func counts(queue: QueueName, tenant: String) async throws -> QueueCounts {
        let paused = try await connection.send(["HGET", RedisArg(keys(queue).meta), "paused"]).check().string == "1"
        var c = QueueCounts(paused: paused)
        for state in JobState.allCases {
            try await walkTenant(queue, state, tenant) { ids in c.add(state, ids.count); return true }
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

    /// Reads whole records of the page of the tenant's jobs asked for only (``walkTenant(_:_:_:_:)``).
    public func jobs(queue: QueueName, state: JobState, tenant: String, offset: Int, limit: Int) async throws -> [JobRecord] {
        guard limit > 0 else { return [] }
        var skipped = 0, chosen: [String] = []
        try await walkTenant(queue, state, tenant) { ids in
            for id in ids where chosen.count < limit {
                if skipped < offset { skipped += 1 } else { chosen.append(id) }
            }
            return chosen.count < limit
        }
        return try await records(chosen, queue: queue)
    }

    /// Walks a state's set in its listing order a page of 1,000 at a time, reading only each job's tenant field (one
    /// pipelined round trip per page), so Redis is never blocked for long and no payload travels; hands `page` the ids of
    /// the tenant's jobs on each page until it returns `false`.
    private func walkTenant(_ queue: QueueName, _ state: JobState, _ tenant: String,
                            _ page: ([String]) throws -> Bool) async throws {
        let k = keys(queue)
        let (set, reverse) = stateSet(queue, state)
        let size = 1_000
        var start = 0
        while true {
            let ids = try await connection.send([reverse ? "ZREVRANGE" : "ZRANGE", RedisArg(set), RedisArg(start),
                                                 RedisArg(start + size - 1)]).check().array?.compactMap(\.string) ?? []
            if ids.isEmpty { return }
            let tenants = try await connection.send(ids.map { ["HGET", RedisArg(k.job(JobID($0))), "t"] })
            let own = zip(ids, tenants).filter { $0.1.string == tenant }.map(\.0)
            if try !page(own) || ids.count < size { return }
            start += size
        }
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
