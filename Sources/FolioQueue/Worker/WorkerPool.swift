import Foundation
import Logging
import ServiceLifecycle

/// Runs registered handlers for jobs leased from a driver: the consumer side of the engine, as a ServiceLifecycle `Service`.
///
/// Per queue, per process: at most `concurrency` jobs at once; leases renewed every third of their duration while a handler
/// runs; the queue's rate limit is enforced by the driver across processes. On graceful shutdown the pool stops leasing,
/// lets in-flight jobs finish within ``Configuration/gracePeriod``, then cancels the rest and hands them back unpenalised.
public final class WorkerPool: Service, Sendable {
    public struct Configuration: Sendable {
        /// The queues to work; `nil` means every queue with a registered handler.
        public var queues: [QueueName]?
        /// This process's name in leases, job records and heartbeats.
        public var workerID: String
        /// How long in-flight jobs may run on after shutdown begins before they are cancelled and handed back.
        public var gracePeriod: Duration
        /// The longest a fetcher blocks waiting for work before looking again (bounds shutdown latency too).
        public var idleWait: Duration
        /// Follow the queue's events to stop a cancelled job at once; without it cancellation is seen at the next lease
        /// renewal (a third of the lease duration).
        public var listenForCancellation: Bool
        /// How often the pool tells a ``QueueMonitoring`` driver it is alive (it is forgotten after three missed beats).
        public var heartbeatInterval: Duration
        public init(queues: [QueueName]? = nil, workerID: String = WorkerPool.defaultWorkerID(),
                    gracePeriod: Duration = .seconds(30), idleWait: Duration = .seconds(1), listenForCancellation: Bool = true,
                    heartbeatInterval: Duration = .seconds(5)) {
            self.queues = queues; self.workerID = workerID; self.gracePeriod = gracePeriod; self.idleWait = idleWait
            self.listenForCancellation = listenForCancellation; self.heartbeatInterval = heartbeatInterval
        }
    }

    let driver: any QueueDriver
    let registry: JobRegistry
    let table: QueueTable
    let configuration: Configuration
    let logger: Logger
    let stopping = LockedState(false)
    let stopWake = WakeSignal()
    let inFlight = LockedState<[InFlight]>([])
    let slotSignals = LockedState<[WakeSignal]>([])
    let startedAtMs = Clock.nowMs()

    public init(driver: any QueueDriver, registry: JobRegistry, table: QueueTable = .standard(),
                configuration: Configuration = Configuration(), logger: Logger = Logger(label: "folio.worker")) {
        self.driver = driver; self.registry = registry; self.table = table
        self.configuration = configuration; self.logger = logger
    }

    /// `host:pid:random`, unique per pool.
    public static func defaultWorkerID() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, 255)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(name):\(getpid()):\(JobID.hex(UInt64.random(in: 0..<(1 << 24)), width: 6))"
    }

    /// Asks the pool to stop leasing and wind down, as a graceful shutdown does.
    public func shutdown() {
        stopping.withLock { $0 = true }
        stopWake.signal()
        for s in slotSignals.withLock({ $0 }) { s.signal() }
    }
    var isStopping: Bool { stopping.withLock { $0 } }

    /// Works the queues until graceful shutdown (or ``shutdown()``), then winds down as described above.
    public func run() async throws {
        let queues = configuration.queues ?? registry.queues
        for q in queues { await driver.setRetention(table[q].retention, for: q) }
        let heartbeat = Task { await heartbeatLoop(queues: queues) }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for q in queues {
                    let runner = QueueRunner(pool: self, config: self.table[q])
                    inFlight.withLock { $0.append(runner.inFlight) }
                    slotSignals.withLock { $0.append(runner.slotFreed) }
                    group.addTask { await runner.run() }
                }
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        shutdown()
        await heartbeat.value
    }

    /// Jobs running in this pool now, over all queues.
    public var runningCount: Int { inFlight.withLock { $0.reduce(0) { $0 + $1.count } } }

    /// Beats between two re-applications of the queues' retention when nothing failed: a store that lost its settings
    /// (a Redis restarted without persistence) gets them back within about a minute.
    static let retentionEvery = 12

    private func heartbeatLoop(queues: [QueueName]) async {
        guard let monitor = driver as? any QueueMonitoring else { return }
        let host = configuration.workerID.split(separator: ":").first.map(String.init) ?? ""
        var lastFailed = false
        var beats = 0
        while !Task.isCancelled && !isStopping {
            let beat = WorkerHeartbeat(id: configuration.workerID, host: host, pid: getpid(), queues: queues,
                                       inFlight: runningCount, startedAtMs: startedAtMs, lastSeenMs: Clock.nowMs())
            do {
                try await monitor.recordHeartbeat(beat, ttl: configuration.heartbeatInterval * 3)
                // The retention set at start is lost if the store was away then (or forgot it since): set it again
                // once the store answers, or the queues trim by the defaults (a count of 1,000 renders, say).
                beats += 1
                if lastFailed || beats == 1 || beats % Self.retentionEvery == 0 {
                    for q in queues { await driver.setRetention(table[q].retention, for: q) }
                }
                lastFailed = false
            } catch {
                lastFailed = true
                logger.debug("heartbeat failed", metadata: ["error": "\(error)"])
            }
            await pause(configuration.heartbeatInterval)
        }
        // Leave the list at once rather than after three missed beats.
        let last = WorkerHeartbeat(id: configuration.workerID, host: host, pid: getpid(), queues: queues, inFlight: 0,
                                   startedAtMs: startedAtMs, lastSeenMs: Clock.nowMs() - 1)
        try? await monitor.recordHeartbeat(last, ttl: .zero)
    }

    /// Sleeps for `d` unless the pool is asked to stop first.
    func pause(_ d: Duration) async {
        if isStopping { return }
        await stopWake.wait(timeout: d)
        if isStopping { stopWake.signal() }
    }
}
