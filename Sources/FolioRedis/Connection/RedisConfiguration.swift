import NIOCore
import NIOPosix

/// How the Redis driver connects and what it keeps.
public struct RedisConfiguration: Sendable {
    /// Where Redis is.
    public var endpoint: RedisEndpoint
    /// The event loops whose connections carry ordinary commands: one connection per loop, and a caller on a loop uses its
    /// own. `folio serve` runs its tasks on these same loops. Blocking waits use extra connections of their own on the same loops.
    public var eventLoopGroup: any EventLoopGroup
    /// How long a connection attempt may take; while Redis is down, calls fail within this.
    public var connectTimeout: Duration
    /// How long a command may wait for its reply before its connection is dropped (blocking waits are kept well below it).
    public var commandTimeout: Duration
    /// Approximate cap of each queue's event stream.
    public var maxEvents: Int
    /// The first part of every key: `<prefix>:{queue}:…`.
    public var keyPrefix: String

    public init(endpoint: RedisEndpoint, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                connectTimeout: Duration = .milliseconds(500), commandTimeout: Duration = .seconds(5),
                maxEvents: Int = 10_000, keyPrefix: String = "folio") {
        self.endpoint = endpoint; self.eventLoopGroup = eventLoopGroup; self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout; self.maxEvents = maxEvents; self.keyPrefix = keyPrefix
    }

    public init(url: String) throws {
        self.init(endpoint: try RedisEndpoint(url: url))
    }
}
