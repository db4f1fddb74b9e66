import FolioQueue
import Foundation

extension JobRecord {
    /// Decodes a job hash (HGETALL pairs) as the scripts write it.
    init?(id: JobID, queue: QueueName, fields reply: RedisReply) {
        guard let items = reply.array, !items.isEmpty else { return nil }
        var f: [String: [UInt8]] = [:]
        var i = 0
        while i + 1 < items.count {
            if let k = items[i].string, case .string(let v) = items[i + 1] { f[k] = v }
            i += 2
        }
        func s(_ k: String) -> String? { f[k].map { String(decoding: $0, as: UTF8.self) } }
        func n(_ k: String) -> Int64? { s(k).flatMap { Int64($0) ?? Double($0).map { Int64($0) } } }
        guard let state = s("s").flatMap(JobState.init(rawValue:)) else { return nil }
        let errors = f["e"].flatMap { try? JSONCoding.decoder.decode([AttemptError].self, from: Data($0)) } ?? []
        let tenant: String? = s("t").flatMap { $0.isEmpty ? nil : $0 }
        let priority = Priority(rawValue: Int(n("pr") ?? 2))
        let retry: RetryPolicy = s("r").flatMap { RetryPolicy(encoded: $0) } ?? .default
        let key: String? = s("ik").flatMap { $0.isEmpty ? nil : $0 }
        let progress = JobProgress(percent: Int(n("pc") ?? 0), stage: s("ps") ?? "")
        let result: Data? = f["res"].flatMap { $0.isEmpty ? nil : Data($0) }
        let payload = Data(f["p"] ?? [])
        let kind: String = s("k") ?? ""
        self.init(id: id, queue: queue, kind: kind, payload: payload, tenant: tenant, priority: priority, state: state)
        attempts = Int(n("a") ?? 0)
        maxAttempts = Int(n("m") ?? 1)
        self.retry = retry
        timeoutMs = n("to")
        idempotencyKey = key
        self.progress = progress
        self.result = result
        self.errors = errors
        enqueuedAtMs = n("eq") ?? 0
        runAtMs = n("ra") ?? 0
        startedAtMs = n("st")
        finishedAtMs = n("fi")
        worker = s("w")
        cancelRequested = s("c") == "1"
    }
}
