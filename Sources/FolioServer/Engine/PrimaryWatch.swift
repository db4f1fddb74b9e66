import FolioWorkers
import Foundation
import HTTPTypes
import ServiceLifecycle

/// Probes the primary backend every `interval` so the service notices an outage and a recovery on its own.
public struct PrimaryWatch: Service {
    let engine: Engine
    let interval: Duration
    public init(engine: Engine, interval: Duration = .seconds(1)) { self.engine = engine; self.interval = interval }

    public func run() async throws {
        // A service that returns early would end its whole ServiceGroup: with nothing to watch, wait for shutdown.
        guard engine.hasFallback else { try? await gracefulShutdown(); return }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            _ = await engine.probePrimary()
            try? await gracefulShutdownAwareSleep(interval)
        }
    }
}

/// Deletes expired documents from stores that do not expire them on their own.
public struct ResultSweeper: Service {
    let engine: Engine
    let interval: Duration
    public init(engine: Engine, interval: Duration = .seconds(300)) { self.engine = engine; self.interval = interval }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            for b in engine.backends { _ = try? await b.results.purgeExpired() }
            try? await gracefulShutdownAwareSleep(interval)
        }
    }
}

/// Sleeps for `d`, returning early on cancellation or graceful shutdown.
func gracefulShutdownAwareSleep(_ d: Duration) async throws {
    try await cancelWhenGracefulShutdown { try await Task.sleep(for: d) }
}
