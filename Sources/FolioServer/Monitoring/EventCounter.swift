import FolioQueue
import HTTPTypes
import ServiceLifecycle

/// Follows every queue's events on every backend and counts them into ``ServiceMetrics`` (failures, retries, stalls).
struct EventCounter: Service {
    let engine: Engine
    let metrics: ServiceMetrics

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for backend in engine.backends {
                for queue in engine.table.queues.keys {
                    group.addTask {
                        guard let events = try? await backend.driver.events(queue: queue) else { return }
                        await cancelWhenGracefulShutdown {
                            for await e in events {
                                metrics.jobEvent(queue: queue, kind: e.kind)
                                // A stall (a worker stopped renewing its lease) shows as a retry or failure whose
                                // latest error is `lease_expired`.
                                if e.kind == .retrying || e.kind == .failed,
                                   let r = try? await backend.driver.job(e.id, queue: queue),
                                   r.errors.last?.code == "lease_expired" {
                                    metrics.stalled(queue: queue)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
