import Foundation
import Logging

/// A kind of job: a name, the queue it runs on, and the type of its payload.
///
/// ```swift
/// let render = JobKind<RenderPayload>("render", queue: .pdf)
/// registry.register(render) { payload, context in … }
/// let id = try await queue.enqueue(render, payload)
/// ```
public struct JobKind<Payload: Codable & Sendable>: Sendable {
    /// The name stored with each job, unique within its queue.
    public var name: String
    /// The queue its jobs run on.
    public var queue: QueueName
    /// A kind named `name` on `queue`.
    public init(_ name: String, queue: QueueName) { self.name = name; self.queue = queue }
}

/// What a handler sees besides its payload.
public struct JobContext: Sendable {
    public var id: JobID
    public var queue: QueueName
    public var kind: String
    /// 1 for the first attempt.
    public var attempt: Int
    public var maxAttempts: Int
    /// The company the job belongs to.
    public var tenant: String?
    /// A logger with the job id in its metadata (made on use: most handlers of small jobs never log).
    public var logger: Logger {
        var l = baseLogger
        l[metadataKey: "job"] = "\(id)"
        l[metadataKey: "attempt"] = "\(attempt)"
        return l
    }
    let baseLogger: Logger
    let reportProgress: @Sendable (JobProgress) async -> Void

    /// Publishes progress (0–100 and a short stage text). Never throws: progress is advisory.
    public func progress(_ percent: Int, stage: String = "") async {
        await reportProgress(JobProgress(percent: percent, stage: stage))
    }
}

/// Handlers by queue and kind. Register before the ``WorkerPool`` starts.
public final class JobRegistry: Sendable {
    typealias Handler = @Sendable (Data, JobContext) async throws -> Data?
    private let handlers = LockedState<[QueueName: [String: Handler]]>([:])
    public init() {}

    /// Registers a handler that returns a small result, stored as JSON in the job record.
    public func register<P, R: Encodable & Sendable>(_ kind: JobKind<P>,
                                                     _ handler: @escaping @Sendable (P, JobContext) async throws -> R) {
        handlers.withLock {
            $0[kind.queue, default: [:]][kind.name] = { data, context in
                let payload = try Self.decode(P.self, data)
                return try PayloadCoder.encode(try await handler(payload, context))
            }
        }
    }

    /// Registers a handler without a result.
    public func register<P>(_ kind: JobKind<P>, _ handler: @escaping @Sendable (P, JobContext) async throws -> Void) {
        handlers.withLock {
            $0[kind.queue, default: [:]][kind.name] = { data, context in
                try await handler(try Self.decode(P.self, data), context)
                return nil
            }
        }
    }

    var queues: [QueueName] { handlers.withLock { Array($0.keys) } }
    func handler(queue: QueueName, kind: String) -> Handler? { handlers.withLock { $0[queue]?[kind] } }

    private static func decode<P: Decodable>(_ type: P.Type, _ data: Data) throws -> P {
        do { return try PayloadCoder.decode(P.self, data) } catch {
            throw JobError(code: "decode_failed", message: "payload does not decode as \(P.self): \(error)", permanent: true)
        }
    }
}
