import FolioQueue

extension RedisDriver {
    /// Whether this Redis takes writes: `false` for a replica (after a failover that pointed Folio at the wrong node, or a
    /// `REPLICAOF` by hand), which answers reads and refuses every write. `true` when Redis does not say (`ROLE` refused).
    public func acceptsWrites() async throws -> Bool {
        let reply = try await connection.send(["ROLE"])
        guard let role = reply.array?.first?.string else { return true }
        return role == "master"
    }
}
