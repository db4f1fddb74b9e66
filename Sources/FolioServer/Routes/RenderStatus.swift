import FolioQueue
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes

/// The JSON a client sees for one render: state, progress, attempts, errors, timings, result and links.
enum RenderStatus {
    static func iso(_ ms: Int64?) -> Value? {
        ms.map { .string(ISOTimestamp.string(fromMilliseconds: $0)) }
    }

    static func value(_ r: JobRecord, backend: Backend, template: String? = nil, format: String? = nil) -> Value {
        let summary = r.result.flatMap { try? JSONCoding.decoder.decode(RenderSummary.self, from: $0) }
        var payload: PayloadHead?
        if let template, let format { payload = PayloadHead(template: template, format: format) }
        else if let template = summary?.template, let format = summary?.format {
            payload = PayloadHead(template: template, format: format)  // a completed render: its payload is gone
        } else { payload = try? JSONCoding.decoder.decode(PayloadHead.self, from: r.payload) }
        let base = "/v1/renders/\(r.id.rawValue)"
        var timings: [(String, Value)] = []
        if let v = iso(r.enqueuedAtMs) { timings.append(("enqueuedAt", v)) }
        if let v = iso(r.startedAtMs) { timings.append(("startedAt", v)) }
        if let v = iso(r.finishedAtMs) { timings.append(("finishedAt", v)) }
        if let s = r.startedAtMs { timings.append(("waitMs", .integer(max(0, s - max(r.enqueuedAtMs, r.runAtMs))))) }
        if let s = r.startedAtMs, let f = r.finishedAtMs { timings.append(("runMs", .integer(max(0, f - s)))) }
        var links: [(String, Value)] = [("self", .string(base))]
        if r.state == .completed { links.append(("document", .string(base + "/document"))) }
        return .obj([
            "id": .string(r.id.rawValue),
            "status": .string(r.state.rawValue),
            "template": payload.map { .string($0.template) },
            "format": payload.map { .string($0.format) },
            "priority": .string(r.priority.description),
            "progress": .obj(["percent": .int(r.progress.percent), "stage": .string(r.progress.stage)]),
            "attempts": .int(r.attempts),
            "maxAttempts": .int(r.maxAttempts),
            "cancelRequested": r.cancelRequested ? .bool(true) : nil,
            "errors": .array(r.errors.map { e in
                .obj(["attempt": .int(e.attempt), "code": .string(e.code), "message": .string(e.message), "at": iso(e.atMs)])
            }),
            "timings": .object(ValueObject(timings)),
            "result": summary.map { s in
                .obj(["pages": .int(s.pages), "bytes": .int(s.bytes), "contentType": .string(s.contentType),
                      "filename": .string(s.filename), "etag": .string(s.etag),
                      "warnings": .array(s.warnings.map { .string($0) })])
            },
            "engine": .string(backend.name),
            "links": .object(ValueObject(links)),
        ])
    }

    /// The part of a render payload the status shows (the data stays out).
    struct PayloadHead: Decodable { var template: String; var format: String }
}
