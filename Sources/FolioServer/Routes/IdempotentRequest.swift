import Crypto
import FolioQueue
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes

/// `Idempotency-Key` kept honest: a repeat of the key gets the first job only when it repeats the request. The same
/// key with another request is a client's mistake (two invoices under one key) that would otherwise hand it the other
/// document without a word; it answers 409 `idempotency_key_reused` instead.
enum IdempotentRequest {
    /// The request's fingerprint: SHA-256 of its body as read (inflated, if it came compressed).
    static func digest(_ body: [UInt8]) -> String {
        SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
    }

    /// Throws unless the job `id` that the key named was made by a request with this `digest` (or predates digests);
    /// returns the job as read, `nil` if it was removed meanwhile.
    @discardableResult
    static func check(_ id: JobID, on backend: Backend, digest: String, caller: Identity) async throws -> JobRecord? {
        guard let job = try await backend.driver.job(id, queue: .pdf) else { return nil }
        // Another company's job under the same key is never revealed (keys are per company; this is a second guard).
        guard caller.canSee(tenant: job.tenant) else {
            throw APIError(.conflict, "idempotency_conflict", "this Idempotency-Key is already in use")
        }
        guard let first = recordedDigest(job), first != digest else { return job }
        throw APIError(.conflict, "idempotency_key_reused",
                       "this Idempotency-Key was first used for another request (render \(id)); a new request needs a new key",
                       details: .obj(["id": .string(id.rawValue)]))
    }

    /// The digest a job was made with: in its payload while it has one, in its result once completed.
    static func recordedDigest(_ job: JobRecord) -> String? {
        if !job.payload.isEmpty, let payload = try? RenderPayload.decodeJobPayload(job.payload) { return payload.requestDigest }
        return job.result.flatMap { try? RenderSummary.decodeJobPayload($0) }?.requestDigest
    }
}
