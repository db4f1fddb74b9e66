import FolioQueue

/// What every new connection sends before its first command (AUTH, SELECT, the schema check), and how its replies are
/// judged: kept apart from the connection so that the rules read in one place.
struct RedisConnectionSetup: Sendable {
    let endpoint: RedisEndpoint
    /// The key holding the queue schema version and the version this build speaks.
    let schema: (key: String, version: String)

    init(endpoint: RedisEndpoint, keyPrefix: String) {
        self.endpoint = endpoint
        self.schema = (keyPrefix + ":schema", RedisScripts.schemaVersion)
    }

    var commands: [[RedisArg]] {
        var setup: [[RedisArg]] = []
        if let password = endpoint.password {
            setup.append(endpoint.username.map { ["AUTH", RedisArg($0), RedisArg(password)] } ?? ["AUTH", RedisArg(password)])
        }
        if endpoint.database != 0 { setup.append(["SELECT", RedisArg(endpoint.database)]) }
        setup += [["SET", RedisArg(schema.key), RedisArg(schema.version), "NX"], ["GET", RedisArg(schema.key)]]
        return setup
    }

    /// Throws when Redis refused a setup command or holds another schema version.
    ///
    /// A Redis that is out of memory, or a read-only replica, refuses the schema's `SET … NX` even when the key is there:
    /// that refusal is ignored when the schema read back is this build's, so such a Redis still takes new connections
    /// (to read, and to refuse writes with its own error) instead of looking unreachable to reads too.
    func check(_ replies: [RedisReply]) throws {
        let found = replies.last?.string
        if let found, found != schema.version {
            throw QueueError(.schemaMismatch, "Redis at \(endpoint) holds queue schema \(found) under \(schema.key); this build "
                             + "speaks \(schema.version). Migrate or point at another database.")
        }
        let schemaSet = replies.count - 2
        for (i, r) in replies.enumerated() {
            guard case .error(let message) = r else { continue }
            if i == schemaSet, found == schema.version { continue }
            if RedisReply.isOutOfMemory(message) {
                throw QueueError(.storeFull, "Redis at \(endpoint) is out of memory (over its maxmemory) and could not record "
                                 + "the queue schema: \(message)")
            }
            throw QueueError(.unavailable, "Redis at \(endpoint) refused the connection setup: \(message)")
        }
    }
}
