import FolioQueue
import FolioRedis
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes
import Hummingbird

/// `/api/queue/…`: the operators' API. `platform_admin` and `admin` see everything; `company_admin` sees its own company's
/// jobs and counts, and may retry or cancel them, but not pause, resume or clean shared queues.
extension FolioService {
    func addOperatorRoutes(to router: Router<FolioRequestContext>) {
        route(router, .get, "/api/queue/stats") { try await self.queueStats($0, $1) }
        route(router, .get, "/api/queue/health") { try await self.queueHealth($0, $1) }
        route(router, .get, "/api/queue/info") { try await self.queueInfo($0, $1) }
        route(router, .get, "/api/queue/:queue/jobs") { try await self.queueJobs($0, $1) }
        route(router, .post, "/api/queue/:queue/jobs/:id/retry") { try await self.jobAction($0, $1, retry: true) }
        route(router, .post, "/api/queue/:queue/jobs/:id/cancel") { try await self.jobAction($0, $1, retry: false) }
        route(router, .post, "/api/queue/:queue/pause") { try await self.pauseResume($0, $1, pause: true) }
        route(router, .post, "/api/queue/:queue/resume") { try await self.pauseResume($0, $1, pause: false) }
        route(router, .post, "/api/queue/:queue/clean") { try await self.clean($0, $1) }
    }

    func queueName(_ context: FolioRequestContext) throws -> QueueName {
        let raw = try context.parameters.require("queue")
        let name = QueueName(raw)
        guard engine.table.queues[name] != nil else {
            throw APIError(.notFound, "unknown_queue", "no queue named '\(raw.prefix(40))'; queues: "
                           + engine.table.queues.keys.map(\.rawValue).sorted().joined(separator: ", "))
        }
        return name
    }

    static func countsValue(_ c: QueueCounts) -> Value {
        .obj(["waiting": .int(c.waiting), "delayed": .int(c.delayed), "active": .int(c.active),
              "completed": .int(c.completed), "failed": .int(c.failed), "paused": .bool(c.paused)])
    }

    /// Counts the caller may see: the driver's counts, or for a company admin, its own company's jobs.
    func visibleCounts(_ backend: Backend, queue: QueueName, caller: Identity) async throws -> QueueCounts {
        if caller.seesAllCompanies { return try await backend.driver.counts(queue: queue) }
        guard let company = caller.company else {
            let all = try await backend.driver.counts(queue: queue)
            return QueueCounts(paused: all.paused)
        }
        return try await backend.driver.counts(queue: queue, tenant: company)
    }

    func queueStats(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let caller = try context.requireOperator()
        var queues: [Value] = []
        for name in engine.table.queues.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            var perBackend: [(String, Value)] = []
            for backend in engine.reachable {
                let counts = try await visibleCounts(backend, queue: name, caller: caller)
                var entry: [(String, Value)] = [("counts", Self.countsValue(counts))]
                if caller.seesAllCompanies {
                    let stats = try await QueueStats.collect(from: backend.driver, queue: name, sample: 200, failures: 0)
                    metrics.queue(stats, backend: backend.name)
                    entry.append(("throughput", .obj(["completedLastMinute": .int(stats.throughput.completedLastMinute),
                                                      "completedLastHour": .int(stats.throughput.completedLastHour),
                                                      "failedLastMinute": .int(stats.throughput.failedLastMinute),
                                                      "failedLastHour": .int(stats.throughput.failedLastHour)])))
                    entry.append(("waitMs", Self.percentiles(stats.waitTime)))
                    entry.append(("runMs", Self.percentiles(stats.runTime)))
                }
                perBackend.append((backend.name, .object(ValueObject(entry))))
            }
            queues.append(.obj(["queue": .string(name.rawValue), "engines": .object(ValueObject(perBackend))]))
        }
        return JSONResponse.make(.obj(["scope": .string(caller.seesAllCompanies ? "all" : "company:\(caller.company ?? "")"),
                                       "queues": .array(queues)]))
    }

    static func percentiles(_ p: Percentiles) -> Value {
        .obj(["p50": .integer(p.p50), "p90": .integer(p.p90), "p99": .integer(p.p99), "max": .integer(p.max)])
    }

    func queueHealth(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        _ = try context.requireOperator()
        let reachable = await engine.probePrimary()
        var workers: [Value] = []
        for backend in engine.reachable {
            for w in (try? await backend.driver.liveWorkers()) ?? [] {
                workers.append(.obj(["id": .string(w.id), "host": .string(w.host), "pid": .integer(Int64(w.pid)),
                                     "queues": .array(w.queues.map { .string($0.rawValue) }), "inFlight": .int(w.inFlight),
                                     "engine": .string(backend.name)]))
            }
        }
        let current = engine.current
        let depth = (try? await current.driver.counts(queue: .pdf)).map { $0.waiting + $0.delayed } ?? -1
        let memory = reachable ? await engine.redisMemory() : nil
        let files = engine.backends.lazy.compactMap { $0.results.store as? FileResultStore }.first
        let (free, filesFull) = files.map { admission.space(of: $0) } ?? (nil, false)
        let minFree = configuration.limits.minFreeResultsBytes
        let full = (memory?.isFull ?? false) || (filesFull && current.results.store is FileResultStore)
        return JSONResponse.make(.obj([
            "status": .string(engine.isDegraded || full ? "degraded" : "ok"),
            "engine": .string(current.name),
            "redis": engine.hasFallback ? .obj(["configured": .bool(true), "reachable": .bool(reachable),
                                                "latencyMs": engine.primaryLatencyMs.map { .number($0) },
                                                "memory": memory.map(Self.memory)]) : .obj(["configured": .bool(false)]),
            "results": files.map { f in .obj(["directory": .string(f.directory), "freeBytes": free.map { .integer($0) } ?? .null,
                                              "minFreeBytes": .integer(minFree), "full": .bool(filesFull)]) },
            "workers": .array(workers),
            "renderQueue": .obj(["depth": .int(depth), "limit": .int(configuration.limits.maxQueueDepth),
                                 "renderThreads": .int(engine.pool.threadCount), "renderBacklog": .int(engine.pool.backlog)]),
        ]))
    }

    /// Redis's memory against its limit: when `full`, new work is refused (503 `store_full`) until there is room.
    static func memory(_ m: RedisMemory) -> Value {
        .obj(["usedBytes": .integer(m.usedBytes), "maxBytes": m.maxBytes.map { .integer($0) } ?? .null,
              "policy": .string(m.policy), "full": .bool(m.isFull)])
    }

    /// How long a queue keeps finished jobs; a count of `null` is no count limit (the `pdf` queue keeps every render for
    /// `result_ttl`).
    static func retention(_ r: Retention) -> Value {
        .obj(["completedCount": r.completedCount == .max ? .null : .int(r.completedCount),
              "completedAgeMs": .integer(r.completedAge.milliseconds),
              "failedCount": r.failedCount == .max ? .null : .int(r.failedCount),
              "failedAgeMs": .integer(r.failedAge.milliseconds),
              "keepsCompletedPayload": .bool(r.keepsCompletedPayload)])
    }

    func queueInfo(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        _ = try context.requireOperator()
        let queues = engine.table.queues.values.sorted { $0.name.rawValue < $1.name.rawValue }.map { q -> Value in
            .obj(["name": .string(q.name.rawValue), "concurrency": .int(q.concurrency),
                  "rateLimit": q.rateLimit.map { .obj(["limit": .int($0.limit), "windowMs": .integer($0.window.milliseconds)]) },
                  "maxAttempts": .int(q.maxAttempts), "retry": .string(q.retry.description),
                  "timeoutMs": Value.int64(q.timeout?.milliseconds), "leaseMs": .integer(q.leaseDuration.milliseconds),
                  "retention": Self.retention(q.retention)])
        }
        var workers: [Value] = []
        for backend in engine.reachable {
            for w in (try? await backend.driver.liveWorkers()) ?? [] {
                workers.append(.obj(["id": .string(w.id), "engine": .string(backend.name), "inFlight": .int(w.inFlight)]))
            }
        }
        let l = configuration.limits
        return JSONResponse.make(.obj([
            "version": .string(FolioService.version),
            "engine": .string(engine.primary.displayName),
            "fallback": engine.hasFallback ? .string("embedded") : nil,
            "auth": .bool(configuration.auth.isEnabled),
            "templates": .int(engine.library.names.count),
            "limits": .obj(["maxBodyBytes": .int(l.maxBodyBytes), "maxDataBytes": .int(l.maxDataBytes), "maxPages": .int(l.maxPages),
                            "renderTimeMs": .integer(l.renderTime.milliseconds), "maxQueueDepth": .int(l.maxQueueDepth),
                            "rendersPerMinutePerCompany": .int(l.rendersPerMinutePerCompany)]),
            "queues": .array(queues),
            "workers": .array(workers),
        ]))
    }

    func queueJobs(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let caller = try context.requireOperator()
        let queue = try queueName(context)
        let q = request.uri.queryParameters
        guard let state = JobState(rawValue: q.get("state") ?? "failed") else {
            throw APIError.badRequest("state must be one of waiting, delayed, active, completed, failed", code: "invalid_parameter")
        }
        let limit = try Self.intParameter(q.get("limit"), name: "limit", default: 50, range: 1...500)
        let offset = try Self.intParameter(q.get("offset"), name: "offset", default: 0, range: 0...JobPage.maxOffset)
        let page = try await JobPage.read(self, queue: queue, states: [state], caller: caller, offset: offset, limit: limit)
        let items = page.jobs.map { r, backend -> Value in
            r.kind == "render" ? RenderStatus.value(r, backend: backend) : .obj([
                "id": .string(r.id.rawValue), "kind": .string(r.kind), "status": .string(r.state.rawValue),
                "attempts": .int(r.attempts), "engine": .string(backend.name),
                "errors": .array(r.errors.map { .obj(["attempt": .int($0.attempt), "code": .string($0.code), "message": .string($0.message)]) }),
            ])
        }
        return JSONResponse.make(Self.listBody(items, page: page, path: "/api/queue/\(queue.rawValue)/jobs", state: state,
                                               limit: limit, offset: offset,
                                               extra: [("queue", .string(queue.rawValue)), ("state", .string(state.rawValue))]))
    }

    func jobAction(_ request: Request, _ context: FolioRequestContext, retry: Bool) async throws -> Response {
        let caller = try context.requireOperator()
        let queue = try queueName(context)
        let id = try jobID(context)
        guard let (record, backend) = try await engine.find(id, queue: queue), caller.canSee(tenant: record.tenant) else {
            throw APIError.notFound("job \(id)")
        }
        let done = retry ? try await backend.driver.retry(id, queue: queue) : try await backend.driver.cancel(id, queue: queue)
        guard done else {
            throw APIError(.conflict, "invalid_state", retry ? "only failed jobs can be retried (this one is \(record.state.rawValue))"
                           : "only waiting, delayed or active jobs can be cancelled (this one is \(record.state.rawValue))")
        }
        return JSONResponse.make(.obj(["id": .string(id.rawValue), "action": .string(retry ? "retried" : "cancelled")]))
    }

    func requireGlobalOperator(_ context: FolioRequestContext) throws {
        let caller = try context.requireOperator()
        guard caller.seesAllCompanies else {
            throw APIError(.forbidden, "forbidden", "pausing, resuming and cleaning a queue affects every company: admins only")
        }
    }

    func pauseResume(_ request: Request, _ context: FolioRequestContext, pause: Bool) async throws -> Response {
        try requireGlobalOperator(context)
        let queue = try queueName(context)
        for backend in engine.reachable {
            if pause { try await backend.driver.pause(queue: queue) } else { try await backend.driver.resume(queue: queue) }
        }
        return JSONResponse.make(.obj(["queue": .string(queue.rawValue), "paused": .bool(pause)]))
    }

    func clean(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        try requireGlobalOperator(context)
        let queue = try queueName(context)
        let q = request.uri.queryParameters
        let stateText = q.get("state") ?? "completed"
        guard let state = JobState(rawValue: stateText), state.isFinished else {
            throw APIError.badRequest("state must be completed or failed", code: "invalid_parameter")
        }
        let age = try Self.intParameter(q.get("olderThan"), name: "olderThan", default: 3600, range: 0...(365 * 86_400))
        let keep = try Self.intParameter(q.get("keep"), name: "keep", default: 0, range: 0...1_000_000)
        var removed = 0
        for backend in engine.reachable {
            removed += try await backend.driver.clean(queue: queue, state: state, olderThan: .seconds(age), keep: keep)
        }
        return JSONResponse.make(.obj(["queue": .string(queue.rawValue), "state": .string(state.rawValue), "removed": .int(removed)]))
    }
}
