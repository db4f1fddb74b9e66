import FolioQueue
import FolioWorkers
import HTTPTypes

/// Everything a queue driver must offer the service: storage, events for `?wait=`, administration and monitoring.
public typealias ServiceDriver = any QueueDriver & JobEventSource & QueueAdministration & QueueMonitoring

/// One place jobs live (the embedded engine, or Redis) with the store its documents go to.
public struct Backend: Sendable {
    /// `embedded` or `redis`.
    public var name: String
    /// What operators see: `embedded` or the Redis URL without its password.
    public var displayName: String
    public var driver: ServiceDriver
    /// The document store, with a hand-off to `?wait=` requests of this process.
    public var results: HandoffResultStore
    public var queue: JobQueue

    public init(name: String, displayName: String, driver: ServiceDriver, results: any ResultStore, table: QueueTable) {
        self.name = name; self.displayName = displayName; self.driver = driver; self.results = HandoffResultStore(results)
        self.queue = JobQueue(driver: driver, table: table)
    }
}
