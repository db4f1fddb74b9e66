import FolioQueue
import NIOCore
import NIOPosix

/// One ``RedisLoopConnection`` per event loop of a group. A caller running on one of the loops (in `folio serve`, every
/// task does) gets that loop's connection, so its command goes out and its reply comes back without a thread hop; other
/// callers take the connections in turn.
final class RedisLoopPool: Sendable {
    let connections: [RedisLoopConnection]
    private let byLoop: [ObjectIdentifier: RedisLoopConnection]
    private let next = LockedState(0)

    init(configuration: RedisConfiguration) {
        connections = configuration.eventLoopGroup.makeIterator().map {
            RedisLoopConnection(eventLoop: $0, configuration: configuration)
        }
        byLoop = Dictionary(uniqueKeysWithValues: connections.map { (ObjectIdentifier($0.eventLoop), $0) })
    }

    var connection: RedisLoopConnection {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let c = byLoop[ObjectIdentifier(loop)] { return c }
        let i = next.withLock { n -> Int in n = (n + 1) % connections.count; return n }
        return connections[i]
    }

    var sentCount: Int { connections.map(\.sentCount).reduce(0, +) }

    func stop() {
        for c in connections { c.stop() }
    }
}
