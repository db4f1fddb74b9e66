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
    func check(_ replies: [RedisReply]) throws {
        if let found = replies.last?.string, found != schema.version {
            throw QueueError(.schemaMismatch, "Redis at \(endpoint) holds queue schema \(found) under \(schema.key); this build "
                             + "speaks \(schema.version). Migrate or point at another database.")
        }
        for r in replies {
            if case .error(let message) = r {
                throw QueueError(.unavailable, "Redis at \(endpoint) refused the connection setup: \(message)")
            }
        }
    }
}
