import FolioQueue
import Foundation

extension RedisDriver {
    /// Stores jobs without idempotency keys (nearly every enqueue) as one MULTI/EXEC transaction instead of the `addJobs`
    /// script: the same hashes, sets, events and marker, atomically, but Redis does not copy every payload into Lua and
    /// back nor run the script (measured: about half of Redis's time per enqueue). Jobs with an idempotency key need the
    /// script's check-and-set and never come here.
    func enqueueInTransaction(_ jobs: [JobRequest], keys k: QueueKeys, now: Int64) async throws {
        var commands: [[RedisArg]] = []
        commands.reserveCapacity(jobs.count + 5)
        var ready: [RedisArg] = ["ZADD", RedisArg(k.wait)]
        var delayed: [RedisArg] = ["ZADD", RedisArg(k.delayed)]
        var readyIds: [RedisArg] = [], delayedIds: [RedisArg] = []
        var kindArg: (String, RedisArg)?
        var retryArg: (RetryPolicy, RedisArg)?
        let nowArg = RedisArg(now)
        for r in jobs {
            let runAt = max(r.runAtMs, now)
            let isDelayed = runAt > now
            if kindArg?.0 != r.kind { kindArg = (r.kind, RedisArg(r.kind)) }
            if retryArg?.0 != r.retry { retryArg = (r.retry, RedisArg(r.retry.description)) }
            var hset: [RedisArg] = ["HSET", RedisArg(k.job(r.id)), "k", kindArg!.1, "p", RedisArg([UInt8](r.payload)),
                                    "pr", Self.priorities[r.priority.rawValue, default: RedisArg(r.priority.rawValue)],
                                    "s", isDelayed ? "delayed" : "waiting", "m", RedisArg(r.maxAttempts), "r", retryArg!.1,
                                    "eq", nowArg, "ra", RedisArg(runAt)]
            if let tenant = r.tenant, !tenant.isEmpty { hset += ["t", RedisArg(tenant)] }
            if let timeout = r.timeoutMs { hset += ["to", RedisArg(timeout)] }
            if r.removeOnComplete { hset += ["roc", "1"] }
            commands.append(hset)
            let id = RedisArg(r.id.rawValue)
            if isDelayed {
                delayed += [RedisArg(runAt), id]
                delayedIds += ["j", id]
            } else {
                ready += [RedisArg(r.priority.rank(readyAtMs: runAt)), id]
                readyIds += ["j", id]
            }
        }
        let xadd: [RedisArg] = ["XADD", RedisArg(k.events), "MAXLEN", "~", maxEvents, "*"]
        if !readyIds.isEmpty {
            commands.append(ready)
            commands.append(xadd + readyIds + ["e", "enqueued"])
        }
        if !delayedIds.isEmpty {
            commands.append(delayed)
            commands.append(xadd + delayedIds + ["e", "delayed"])
        }
        commands.append(["ZADD", RedisArg(k.marker), "0", "m"])
        _ = try await transaction(commands)
    }
}
