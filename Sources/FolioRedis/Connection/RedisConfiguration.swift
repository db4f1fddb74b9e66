/// How the Redis driver connects and what it keeps.
public struct RedisConfiguration: Sendable {
    /// Where Redis is.
    public var endpoint: RedisEndpoint
    /// Connections for ordinary commands; each has its own thread. Blocking waits use extra, dedicated connections.
    public var poolSize: Int
    /// How long a connection attempt may take; while Redis is down, calls fail within this.
    public var connectTimeout: Duration
    /// The socket timeout of every command (blocking waits are kept well below it).
    public var commandTimeout: Duration
    /// Approximate cap of each queue's event stream.
    public var maxEvents: Int
    /// The first part of every key: `<prefix>:{queue}:…`.
    public var keyPrefix: String
    /// Whether a command may run on the calling task's thread when a pool connection is idle (one such call at a time per
    /// driver; blocking waits never). It saves two thread hand-offs per call, about a third of an enqueue's latency on a
    /// 2-core machine, but a stalled Redis then holds that thread for up to ``commandTimeout``. `false` keeps all I/O on the
    /// connections' own threads.
    public var inlineCalls: Bool = true

    public init(endpoint: RedisEndpoint, poolSize: Int = 2, connectTimeout: Duration = .milliseconds(500),
                commandTimeout: Duration = .seconds(5), maxEvents: Int = 10_000, keyPrefix: String = "folio") {
        self.endpoint = endpoint; self.poolSize = max(1, poolSize); self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout; self.maxEvents = maxEvents; self.keyPrefix = keyPrefix
    }

    public init(url: String, poolSize: Int = 2) throws {
        self.init(endpoint: try RedisEndpoint(url: url), poolSize: poolSize)
    }
}
