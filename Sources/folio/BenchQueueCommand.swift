import ArgumentParser
import FolioQueue
import FolioRedis
import Foundation

/// `folio bench queue`: measures the queue engine on the embedded driver and, given a Redis URL, on Redis.
///
/// Enqueue throughput one job per call (one producer, then concurrent producers) and batched, enqueue latency p50/p99,
/// end-to-end throughput of no-op jobs through a `WorkerPool`, and Redis commands per job (counted by the client, and from
/// `INFO commandstats`, which also counts the commands scripts run inside Redis).
struct BenchQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure enqueue and end-to-end throughput of the queue drivers.")

    @Option(help: "Redis URL; without it (and without FOLIO_REDIS_URL) only the embedded driver is measured.")
    var redisURL: String?

    @Option(help: "Jobs per measurement.")
    var jobs: Int = 20_000

    @Option(help: "Jobs per batch for batched enqueue.")
    var batch: Int = 500

    @Option(help: "Concurrent producers for the concurrent enqueue measurement.")
    var producers: Int = 8

    @Option(help: "Worker concurrency (jobs in flight) for the end-to-end measurement.")
    var workers: Int = 32

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    struct Row: Codable {
        var driver: String
        var enqueueSinglePerSec: Double
        var enqueueConcurrentPerSec: Double
        var enqueueBatchedPerSec: Double
        var enqueueP50Micros: Double
        var enqueueP99Micros: Double
        var endToEndPerSec: Double
        var clientCommandsPerJob: Double?
        var serverCommandsPerJob: Double?
    }

    struct Noop: Codable, Sendable {}

    func run() async throws {
        var rows: [Row] = []
        rows.append(try await measure(name: "embedded", driver: EmbeddedDriver(), redis: nil))
        if let url = redisURL ?? ProcessInfo.processInfo.environment["FOLIO_REDIS_URL"] {
            var config = try RedisConfiguration(url: url)
            config.keyPrefix = "foliobench"
            let driver = try RedisDriver(configuration: config)
            defer { driver.shutdown() }
            try await deleteBenchKeys(driver)
            rows.append(try await measure(name: "redis", driver: driver, redis: driver))
            try await deleteBenchKeys(driver)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            printTable(rows)
        }
    }

    func measure(name: String, driver: any QueueDriver & QueueAdministration, redis: RedisDriver?) async throws -> Row {
        let stamp = UUID().uuidString.prefix(6)
        func table(_ q: QueueName) -> QueueTable {
            QueueTable([QueueConfiguration(name: q, concurrency: workers, maxAttempts: 3, retention: Retention(completedCount: 1000))])
        }

        // Enqueue, one job per call, one producer: throughput and latency.
        let q1 = QueueName("bench-single-\(stamp)")
        let queue1 = JobQueue(driver: driver, table: table(q1))
        let kind1 = JobKind<Noop>("noop", queue: q1)
        var latencies: [Double] = []
        latencies.reserveCapacity(jobs)
        let t1 = ContinuousClock.now
        for _ in 0..<jobs {
            let s = ContinuousClock.now
            try await queue1.enqueue(kind1, Noop())
            latencies.append(Self.micros(ContinuousClock.now - s))
        }
        let single = Double(jobs) / Self.seconds(ContinuousClock.now - t1)
        latencies.sort()

        // Enqueue, one job per call, concurrent producers (the Redis lanes pipeline what arrives together).
        let q2 = QueueName("bench-concurrent-\(stamp)")
        let queue2 = JobQueue(driver: driver, table: table(q2))
        let kind2 = JobKind<Noop>("noop", queue: q2)
        let t2 = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { g in
            for p in 0..<producers {
                g.addTask {
                    for _ in stride(from: p, to: jobs, by: producers) { try await queue2.enqueue(kind2, Noop()) }
                }
            }
            try await g.waitForAll()
        }
        let concurrent = Double(jobs) / Self.seconds(ContinuousClock.now - t2)

        // Enqueue in batches.
        let q3 = QueueName("bench-batched-\(stamp)")
        let queue3 = JobQueue(driver: driver, table: table(q3))
        let kind3 = JobKind<Noop>("noop", queue: q3)
        let payloads = [Noop](repeating: Noop(), count: batch)
        let t3 = ContinuousClock.now
        var done = 0
        while done < jobs {
            try await queue3.enqueue(kind3, batch: Array(payloads.prefix(min(batch, jobs - done))))
            done += batch
        }
        let batched = Double(jobs) / Self.seconds(ContinuousClock.now - t3)

        // End to end: a batch-enqueued backlog drained by a pool of no-op handlers; commands counted over enqueue + drain.
        let q4 = QueueName("bench-e2e-\(stamp)")
        let t4table = table(q4)
        let queue4 = JobQueue(driver: driver, table: t4table)
        let kind4 = JobKind<Noop>("noop", queue: q4)
        let clientBefore = redis?.commandsSent
        var serverBefore: Int?
        if let redis { serverBefore = try await Self.serverCalls(redis) }
        var sent = 0
        while sent < jobs {
            try await queue4.enqueue(kind4, batch: Array(payloads.prefix(min(batch, jobs - sent))))
            sent += batch
        }
        let finished = Counter()
        let registry = JobRegistry()
        registry.register(kind4) { _, _ in finished.increment() }
        let pool = WorkerPool(driver: driver, registry: registry, table: t4table,
                              configuration: .init(queues: [q4], gracePeriod: .seconds(5), idleWait: .milliseconds(200)))
        let t4 = ContinuousClock.now
        let poolTask = Task { try await pool.run() }
        while true {
            let c = try await driver.counts(queue: q4)
            if c.waiting == 0 && c.active == 0 && c.delayed == 0 { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let e2e = Double(jobs) / Self.seconds(ContinuousClock.now - t4)
        pool.shutdown()
        try await poolTask.value
        var clientPerJob: Double?
        var serverPerJob: Double?
        if let redis, let clientBefore, let serverBefore {
            clientPerJob = Double(redis.commandsSent - clientBefore) / Double(jobs)
            serverPerJob = Double(try await Self.serverCalls(redis) - serverBefore - 1) / Double(jobs)
        }
        return Row(driver: name, enqueueSinglePerSec: single, enqueueConcurrentPerSec: concurrent, enqueueBatchedPerSec: batched,
                   enqueueP50Micros: latencies[latencies.count / 2], enqueueP99Micros: latencies[latencies.count * 99 / 100],
                   endToEndPerSec: e2e, clientCommandsPerJob: clientPerJob, serverCommandsPerJob: serverPerJob)
    }

    /// The total of `calls=` over `INFO commandstats`.
    static func serverCalls(_ redis: RedisDriver) async throws -> Int {
        let text = try await redis.command(["INFO", "commandstats"]).string ?? ""
        var total = 0
        for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("cmdstat_") {
            if let r = line.range(of: "calls="), let n = Int(line[r.upperBound...].prefix { $0.isNumber }) { total += n }
        }
        return total
    }

    func deleteBenchKeys(_ redis: RedisDriver) async throws {
        var cursor = "0"
        repeat {
            let reply = try await redis.command(["SCAN", RedisArg(cursor), "MATCH", "foliobench:*", "COUNT", "1000"])
            guard let parts = reply.array, parts.count == 2 else { return }
            cursor = parts[0].string ?? "0"
            let keys = parts[1].array?.compactMap(\.string) ?? []
            if !keys.isEmpty { _ = try await redis.command(["UNLINK"] + keys.map { RedisArg($0) }) }
        } while cursor != "0"
    }

    func printTable(_ rows: [Row]) {
        func f(_ v: Double) -> String { String(Int(v.rounded())) }
        func o(_ v: Double?) -> String { v.map { String(format: "%.2f", $0) } ?? "-" }
        let header = ["driver", "enqueue/s (1 producer)", "enqueue/s (\(producers) producers)", "enqueue/s (batch \(batch))",
                      "enqueue p50 µs", "enqueue p99 µs", "end-to-end/s (\(workers) in flight)", "client cmds/job", "server cmds/job"]
        let body = rows.map { r in
            [r.driver, f(r.enqueueSinglePerSec), f(r.enqueueConcurrentPerSec), f(r.enqueueBatchedPerSec), String(format: "%.0f", r.enqueueP50Micros),
             String(format: "%.0f", r.enqueueP99Micros), f(r.endToEndPerSec), o(r.clientCommandsPerJob), o(r.serverCommandsPerJob)]
        }
        let widths = header.indices.map { i in ([header[i]] + body.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            "| " + cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: " | ") + " |"
        }
        print("\(jobs) jobs per measurement")
        print(line(header))
        print("|" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "|") + "|")
        for r in body { print(line(r)) }
    }

    static func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    static func micros(_ d: Duration) -> Double { seconds(d) * 1e6 }
}

/// A thread-safe counter for the no-op handler.
final class Counter: Sendable {
    private let value = LockedState(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
