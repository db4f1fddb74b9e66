// A worker or scheduler process for the fault tests: the Redis tests start it as a real child process, kill it, and read
// what it did from its standard output (one line per event, flushed at once).
//
//   folio-queue-testworker work     <redis-url> <queue> <lease-ms> <concurrency> <rate-limit or 0> <rate-window-ms>
//   folio-queue-testworker schedule <redis-url> <queue> <schedule-name> <cron> <run-ms>
//
// Jobs have kind "job" and payload {"n": Int, "hangFirstAttempt": Bool}: a first attempt with hangFirstAttempt never ends.
import FolioQueue
import FolioRedis
import Foundation


struct Payload: Codable, Sendable {
    var n: Int
    var hangFirstAttempt: Bool
}

func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let args = CommandLine.arguments
guard args.count >= 4 else { say("usage: folio-queue-testworker work|schedule <url> <queue> …"); exit(2) }
let driver = try RedisDriver(url: args[2])
let queueName = QueueName(args[3])

switch args[1] {
case "work":
    let leaseMs = Int64(args[4])!, concurrency = Int(args[5])!, rate = Int(args[6])!, window = Int64(args[7])!
    let kind = JobKind<Payload>("job", queue: queueName)
    let registry = JobRegistry()
    registry.register(kind) { p, ctx in
        say("start \(ctx.id) \(ctx.attempt) \(Clock.nowMs())")
        if p.hangFirstAttempt && ctx.attempt == 1 { try await Task.sleep(for: .seconds(3600)) }
        say("done \(ctx.id) \(ctx.attempt)")
    }
    let table = QueueTable([QueueConfiguration(name: queueName, concurrency: concurrency,
                                               rateLimit: rate > 0 ? RateLimit(rate, per: .milliseconds(window)) : nil,
                                               maxAttempts: 5, retry: .none, leaseDuration: .milliseconds(leaseMs),
                                               retention: Retention(completedCount: 100_000))])
    let pool = WorkerPool(driver: driver, registry: registry, table: table,
                          configuration: .init(queues: [queueName], gracePeriod: .seconds(1), idleWait: .milliseconds(500)))
    say("ready \(getpid())")
    try await pool.run()
case "schedule":
    let name = args[4], cron = args[5], runMs = Int(args[6])!
    let queue = JobQueue(driver: driver, table: QueueTable())
    let kind = JobKind<Payload>("tick", queue: queueName)
    let scheduler = Scheduler(driver: driver, jobs: [
        ScheduledJob(name: name, schedule: try .cron(cron), queue: queue, kind: kind, payload: Payload(n: 0, hangFirstAttempt: false)),
    ])
    say("ready \(getpid())")
    let task = Task { try await scheduler.run() }
    try await Task.sleep(for: .milliseconds(runMs))
    scheduler.shutdown()
    try await task.value
    say("stopped")
default:
    say("unknown mode \(args[1])")
    exit(2)
}
driver.shutdown()
