import Foundation
import NIOCore

/// How one queue behaves: its defaults for new jobs and the limits workers honour.
public struct QueueConfiguration: Sendable, Hashable {
    /// The queue this configures.
    public var name: QueueName
    /// Jobs run at once per process.
    public var concurrency: Int
    /// Starts per window across every process, or `nil` for no limit.
    public var rateLimit: RateLimit?
    /// Default attempts for new jobs.
    public var maxAttempts: Int
    /// Default backoff for new jobs.
    public var retry: RetryPolicy
    /// Default per-attempt timeout for new jobs.
    public var timeout: Duration?
    /// How long a lease lasts without renewal; the pool renews at a third of it.
    public var leaseDuration: Duration
    /// How many finished jobs the queue keeps, and for how long.
    public var retention: Retention

    public init(name: QueueName, concurrency: Int = 4, rateLimit: RateLimit? = nil, maxAttempts: Int = 3,
                retry: RetryPolicy = .default, timeout: Duration? = nil, leaseDuration: Duration = .seconds(30),
                retention: Retention = Retention()) {
        self.name = name; self.concurrency = max(1, concurrency); self.rateLimit = rateLimit
        self.maxAttempts = max(1, maxAttempts); self.retry = retry; self.timeout = timeout
        self.leaseDuration = leaseDuration; self.retention = retention
    }
}

/// The queues a deployment knows, with their configuration. Unknown queues get ``QueueConfiguration`` defaults.
public struct QueueTable: Sendable {
    public var queues: [QueueName: QueueConfiguration]
    public init(_ queues: [QueueConfiguration] = []) {
        self.queues = Dictionary(queues.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
    }
    public subscript(_ name: QueueName) -> QueueConfiguration {
        get { queues[name] ?? QueueConfiguration(name: name) }
        set { queues[name] = newValue }
    }

    /// Folio's six queues: `pdf` (concurrency = cores, no rate limit, 3 attempts), `email` (5, 100/min, 5 attempts),
    /// `notification` (10, 200/min, 3 attempts), `ai` (2, 10/min, 2 attempts, 2-minute timeout), `oma` (4, 3 attempts),
    /// `scheduled` (1, for cron-fired work).
    public static func standard(cores: Int = ProcessInfoCores.count) -> QueueTable {
        QueueTable([
            QueueConfiguration(name: .pdf, concurrency: cores, maxAttempts: 3),
            QueueConfiguration(name: .email, concurrency: 5, rateLimit: .perMinute(100), maxAttempts: 5),
            QueueConfiguration(name: .notification, concurrency: 10, rateLimit: .perMinute(200), maxAttempts: 3),
            QueueConfiguration(name: .ai, concurrency: 2, rateLimit: .perMinute(10), maxAttempts: 2, timeout: .seconds(120),
                               leaseDuration: .seconds(60)),
            QueueConfiguration(name: .oma, concurrency: 4, maxAttempts: 3),
            QueueConfiguration(name: .scheduled, concurrency: 1, maxAttempts: 3),
        ])
    }
}

/// The cores this process may use: its CPU affinity (`taskset`, cpusets) and its cgroup CPU quota (a container's
/// `--cpus`), not every core of the machine. Render threads and worker concurrency follow it, so a service given two
/// cores of a large machine does not start one render thread per core of the host.
public enum ProcessInfoCores {
    public static var count: Int { max(1, min(NIOCore.System.coreCount, affinityCount ?? .max)) }

    /// The CPUs `sched_getaffinity` allows (NIO reads quotas and cpusets, not the affinity `taskset` sets).
    static var affinityCount: Int? {
        #if os(Linux)
        // Not in the Glibc module map (it needs _GNU_SOURCE).
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return nil }
        typealias GetAffinity = @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32
        var set = cpu_set_t()
        let status = withUnsafeMutableBytes(of: &set) { bytes in
            unsafeBitCast(symbol, to: GetAffinity.self)(0, bytes.count, bytes.baseAddress!)
        }
        guard status == 0 else { return nil }
        let count = withUnsafeBytes(of: &set) { bytes in bytes.reduce(0) { $0 + $1.nonzeroBitCount } }
        return count > 0 ? count : nil
        #else
        return nil
        #endif
    }
}
