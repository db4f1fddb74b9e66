import FolioQueue
import Foundation

/// One Lua script: a file `verbObject-N.lua` of `Scripts/`, with its `--@include name` lines replaced by
/// `Scripts/includes/name.lua`. Loaded with SCRIPT LOAD on first use, called by SHA, reloaded after NOSCRIPT.
final class RedisScript: Sendable {
    let name: String
    let keyCount: Int
    let source: String
    private let sha = LockedState<String?>(nil)

    init(name: String, source: String) {
        self.name = name
        self.keyCount = Int(name.split(separator: "-").last ?? "0") ?? 0
        self.source = source
    }

    /// The EVALSHA command for these keys and arguments, if the script has been loaded (to queue it in a transaction).
    func command(keys: [String], args: [RedisArg]) -> [RedisArg]? {
        guard let digest = sha.withLock({ $0 }) else { return nil }
        var command: [RedisArg] = ["EVALSHA", RedisArg(digest), RedisArg(keyCount)]
        command.reserveCapacity(3 + keys.count + args.count)
        for k in keys { command.append(RedisArg(k)) }
        return command + args
    }

    /// Runs the script: EVALSHA, with SCRIPT LOAD first when the SHA is unknown or Redis forgot it.
    ///
    /// With `items`, the script takes `args` as a head (the first `headCount` arguments) and `items` items, replies with one
    /// array element per item, and the connection may merge this call with concurrent ones for the same keys (the first
    /// call's head is used). The reply is this call's part of the array.
    func run(on connection: RedisLoopConnection, keys: [String], args: [RedisArg],
             items: (headCount: Int, count: Int)? = nil) async throws -> RedisReply {
        precondition(keys.count == keyCount, "\(name) takes \(keyCount) keys")
        for attempt in 0..<2 {
            let known = sha.withLock { $0 }
            let digest: String
            if let known, attempt == 0 { digest = known } else { digest = try await load(on: connection) }
            var command: [RedisArg] = ["EVALSHA", RedisArg(digest), RedisArg(keyCount)]
            command.reserveCapacity(3 + keys.count + args.count)
            for k in keys { command.append(RedisArg(k)) }
            command += args
            let reply: RedisReply
            if let items {
                let key = ([name, digest] + keys).joined(separator: " ")
                reply = try await connection.send(command, merge: RedisMerge(key: key, headCount: 3 + keys.count + items.headCount,
                                                                       items: items.count))
            } else {
                reply = try await connection.send(command)
            }
            if case .error(let message) = reply, message.hasPrefix("NOSCRIPT") { continue }
            if case .error(let message) = reply {
                throw RedisReply.error(message, context: "script \(name) failed")
            }
            return reply
        }
        throw QueueError(.protocolError, "script \(name) could not be loaded")
    }

    private func load(on connection: RedisLoopConnection) async throws -> String {
        let reply = try await connection.send(["SCRIPT", "LOAD", RedisArg(source)]).check()
        guard let digest = reply.string else { throw QueueError(.protocolError, "SCRIPT LOAD of \(name) returned \(reply)") }
        sha.withLock { $0 = digest }
        return digest
    }
}

/// The driver's scripts, read once from the target's resources.
struct RedisScripts: Sendable {
    /// Bump when the layout of keys, job hashes or stream entries changes; Redis keeps it under `<prefix>:schema`.
    /// 2: an event entry carries every job a call moved the same way (`j` repeated), which a version-1 reader would miss.
    static let schemaVersion = "2"

    let addJobs, leaseJobs, completeJobs, failJob, extendLeases, releaseJob, updateProgress: RedisScript
    let retryJob, cancelJob, removeJob, setPaused, cleanJobs, recordOccurrence, recordHeartbeat: RedisScript

    static let shared: Result<RedisScripts, QueueError> = Result { try RedisScripts() }.mapError {
        ($0 as? QueueError) ?? QueueError(.invalidConfiguration, "\($0)")
    }

    private init() throws {
        guard let dir = Bundle.module.url(forResource: "Scripts", withExtension: nil) else {
            throw QueueError(.invalidConfiguration, "the FolioRedis resource bundle has no Scripts folder")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".lua") }
        var scripts: [String: RedisScript] = [:]
        for file in files {
            let name = String(file.dropLast(4))
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let resolved = try text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.hasPrefix("--@include ") else { return String(line) }
                let include = line.dropFirst("--@include ".count).trimmingCharacters(in: .whitespaces)
                return try String(contentsOf: dir.appendingPathComponent("includes/\(include).lua"), encoding: .utf8)
            }.joined(separator: "\n")
            scripts[String(name.split(separator: "-")[0])] = RedisScript(name: name, source: resolved)
        }
        func get(_ verb: String) throws -> RedisScript {
            guard let s = scripts[verb] else { throw QueueError(.invalidConfiguration, "missing Lua script \(verb)-N.lua") }
            return s
        }
        addJobs = try get("addJobs"); leaseJobs = try get("leaseJobs"); completeJobs = try get("completeJobs")
        failJob = try get("failJob"); extendLeases = try get("extendLeases"); releaseJob = try get("releaseJob")
        updateProgress = try get("updateProgress"); retryJob = try get("retryJob"); cancelJob = try get("cancelJob")
        removeJob = try get("removeJob"); setPaused = try get("setPaused"); cleanJobs = try get("cleanJobs")
        recordOccurrence = try get("recordOccurrence"); recordHeartbeat = try get("recordHeartbeat")
    }
}
