/// How the Redis driver connects and what it keeps.
public struct RedisConfiguration: Sendable {
    public var endpoint: RedisEndpoint
    /// Connections for ordinary commands; each has its own thread. Blocking waits use extra, dedicated connections.
    public var poolSize: Int
    public var connectTimeout: Duration
    /// The socket timeout of every command (blocking waits are kept well below it).
    public var commandTimeout: Duration
    /// Approximate cap of each queue's event stream.
    public var maxEvents: Int
    /// The first part of every key: `<prefix>:{queue}:…`.
    public var keyPrefix: String

    public init(endpoint: RedisEndpoint, poolSize: Int = 2, connectTimeout: Duration = .milliseconds(500),
                commandTimeout: Duration = .seconds(5), maxEvents: Int = 10_000, keyPrefix: String = "folio") {
        self.endpoint = endpoint; self.poolSize = max(1, poolSize); self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout; self.maxEvents = maxEvents; self.keyPrefix = keyPrefix
    }

    public init(url: String, poolSize: Int = 2) throws {
        self.init(endpoint: try RedisEndpoint(url: url), poolSize: poolSize)
    }
}
