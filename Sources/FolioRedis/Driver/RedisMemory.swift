import FolioQueue

/// Redis's memory against its limit (`INFO memory`): past `maxmemory` Redis refuses Folio's writes (with the
/// `noeviction` policy) or evicts keys, that is acknowledged jobs and documents (with any other policy).
public struct RedisMemory: Sendable, Hashable {
    public var usedBytes: Int64
    /// `nil` when Redis has no limit.
    public var maxBytes: Int64?
    /// `maxmemory-policy`.
    public var policy: String

    public init(usedBytes: Int64, maxBytes: Int64?, policy: String) {
        self.usedBytes = usedBytes; self.maxBytes = maxBytes; self.policy = policy
    }

    /// At or over the limit: new work is refused until documents expire or the operator makes room.
    public var isFull: Bool { maxBytes.map { usedBytes >= $0 } ?? false }
    /// Redis may drop keys to make room, Folio's among them.
    public var mayEvict: Bool { maxBytes != nil && policy != "noeviction" }

    /// Reads the `INFO memory` section's text; `nil` when it lacks `used_memory`.
    public init?(info: String) {
        var fields: [Substring: Substring] = [:]
        for line in info.split(whereSeparator: \.isNewline) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = line[line.index(after: colon)...]
        }
        guard let used = fields["used_memory"].flatMap({ Int64($0) }) else { return nil }
        let max = fields["maxmemory"].flatMap { Int64($0) } ?? 0
        self.init(usedBytes: used, maxBytes: max > 0 ? max : nil, policy: fields["maxmemory_policy"].map(String.init) ?? "noeviction")
    }
}

extension RedisDriver {
    /// Redis's memory and limit, for health and for the warning at start about eviction.
    public func memory() async throws -> RedisMemory {
        let reply = try await command(["INFO", "memory"])
        guard let text = reply.string, let memory = RedisMemory(info: text) else {
            throw QueueError(.protocolError, "INFO memory returned no used_memory")
        }
        return memory
    }
}
