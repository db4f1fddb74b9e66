import FolioQueue
import FolioRender
import FolioWorkers
import Foundation
import HTTPTypes
import Hummingbird

/// `/v1/renders`: submit, wait, read status, download, cancel or delete.
extension FolioService {
    func addRenderRoutes(to router: Router<FolioRequestContext>) {
        route(router, .post, "/v1/renders") { try await self.submit($0, $1) }
        route(router, .get, "/v1/renders") { try await self.listRenders($0, $1) }
        route(router, .get, "/v1/renders/:id") { try await self.status($0, $1) }
        route(router, .get, "/v1/renders/:id/document") { try await self.document($0, $1, head: false) }
        route(router, .head, "/v1/renders/:id/document") { try await self.document($0, $1, head: true) }
        route(router, .delete, "/v1/renders/:id") { try await self.deleteRender($0, $1) }
    }

    func submit(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let caller = try context.caller()
        let limits = configuration.limits
        var wait: Duration?
        if let w = request.uri.queryParameters.get("wait") {
            guard let seconds = Double(w), seconds.isFinite, seconds >= 0, seconds <= Double(limits.maxWait.components.seconds) else {
                throw APIError.badRequest("wait must be a number of seconds from 0 to \(limits.maxWait.components.seconds)",
                                          code: "invalid_parameter")
            }
            if seconds > 0 { wait = .milliseconds(Int64(seconds * 1000)) }
        }
        let key = request.headers[HTTPField.Name("Idempotency-Key")!]
        if let key, key.isEmpty || key.utf8.count > 255 {
            throw APIError.badRequest("Idempotency-Key must be 1 to 255 characters", code: "invalid_header")
        }
        let bytes = try await RequestBody.bytes(request, limit: limits.maxBodyBytes)
        let (render, dataRange) = try renderRequest(bytes, limits: limits)
        try admission.admit(company: caller.company ?? "")
        try await admission.checkDepth(engine.current)
        try admission.checkSpace(engine.current)
        let options = JobOptions(priority: render.priority,
                                 idempotencyKey: key.map { "\(caller.company ?? "-"):\($0)" }, tenant: caller.company)
        let submitted = ContinuousClock.now, enqueuedAt = Clock.nowMs()
        let digest = key.map { _ in IdempotentRequest.digest(bytes) }
        let (id, backend) = try await engine.enqueue(JobKind<RenderPayload>.render,
                                                     render.payload(dataJSON: render.dataChanged ? nil : dataRange.map { Array(bytes[$0]) },
                                                                    requestDigest: digest),
                                                     options: options, now: enqueuedAt)
        // A repeat of the key answers with its job only if it repeats the request too (checked before any wait).
        var checked: JobRecord?
        if let digest { checked = try await IdempotentRequest.check(id, on: backend, digest: digest, caller: caller) }
        if let wait {
            backend.results.expect(id)
            defer { backend.results.forget(id) }
            do {
                let state = key == nil
                    ? try await backend.driver.waitUntilFinished(id, queue: .pdf, timeout: wait, enqueuedSince: submitted)
                    : try await backend.driver.waitUntilFinished(id, queue: .pdf, timeout: wait)
                if state == .completed {
                    // Rendered in this process: the document itself; otherwise read from the store.
                    var doc = backend.results.take(id)
                    if doc == nil { doc = try await backend.results.get(id) }
                    if let doc { return try documentResponse(doc, request: request, head: false, id: id) }
                }
                if state == .failed, let record = try await backend.driver.job(id, queue: .pdf) {
                    return JSONResponse.make(RenderStatus.value(record, backend: backend))
                }
            } catch let e as QueueError where e.code == .timeout || e.code == .notFound {
                // Not ready in time (or removed meanwhile): answer 202 as without ?wait.
            }
        }
        let record: JobRecord
        if key == nil {
            // A new job: answer from what was just stored instead of reading it back (the accept path stays one round trip);
            // after a wait that ran out the job may be running, so what is stored then (unless it was removed meanwhile).
            let stored = wait == nil ? nil : try await backend.driver.job(id, queue: .pdf)
            record = stored ?? JobRecord(id: id, queue: .pdf, kind: "render", payload: Data(), tenant: caller.company,
                                         priority: render.priority, state: .waiting, maxAttempts: engine.table[.pdf].maxAttempts,
                                         enqueuedAtMs: enqueuedAt, runAtMs: enqueuedAt)
        } else {
            // Its company and request were checked by IdempotentRequest.check, which read it; after a wait, read it again.
            var stored = wait == nil ? checked : nil
            if stored == nil { stored = try await backend.driver.job(id, queue: .pdf) }
            guard let stored else {
                throw APIError(.serviceUnavailable, "unavailable", "the job was accepted but cannot be read back", retryAfter: 1)
            }
            record = stored
        }
        var headers = HTTPFields()
        headers[.location] = "/v1/renders/\(id.rawValue)"
        headers[.retryAfter] = "1"
        return JSONResponse.make(RenderStatus.value(record, backend: backend, template: render.template.name,
                                                    format: render.format.rawValue), status: .accepted, headers: headers)
    }

    /// The request, checked, and where its data lies in `bytes` (the job carries those bytes as the client sent them).
    ///
    /// Usually the data is only scanned against the template's shape, never built as a tree (``ShapeScanPlan``); any
    /// doubt, and every invalid request, takes the ordinary path, which parses everything and lists every problem.
    func renderRequest(_ bytes: [UInt8], limits: ServiceLimits) throws -> (RenderRequest, Range<Int>?) {
        let parseLimits = DataLimits(maxBytes: limits.maxBodyBytes)
        func checkSize(_ range: Range<Int>?) throws {
            if let range, range.count > limits.maxDataBytes {
                throw APIError(.contentTooLarge, "data_too_large", "data is larger than the limit of \(limits.maxDataBytes) bytes")
            }
        }
        if let skipped = Value.parseSkippingMember("data", json: bytes, limits: parseLimits),
           let range = skipped.skippedRange, bytes[range.lowerBound] == UInt8(ascii: "{") {
            let body = skipped.value
            try checkSize(range)
            let fits: (Template) -> Bool = { template in
                // The data was only located; this reads it strictly, shape or not.
                (self.shapePlans.plan(for: template) ?? .anything).fits(json: bytes, range: range, limits: parseLimits, depth: 1)
            }
            if let render = try RenderRequest.parse(body, data: .unparsed(fits: fits), library: engine.library,
                                                    renderer: engine.renderer, policy: configuration.webhookPolicy,
                                                    limits: limits) {
                return (render, range)
            }
        }
        let (body, ranges) = try RequestBody.jsonWithMemberRanges(bytes, limits: parseLimits)
        try checkSize(ranges["data"])
        guard let render = try RenderRequest.parse(body, library: engine.library, renderer: engine.renderer,
                                                   policy: configuration.webhookPolicy, limits: limits) else {
            throw APIError.badRequest("the request could not be read", code: "malformed_json")
        }
        return (render, ranges["data"])
    }

    /// A valid job id (what the queue makes: hex), else 404 without touching any store.
    func jobID(_ context: FolioRequestContext) throws -> JobID {
        let raw = try context.parameters.require("id")
        guard raw.count >= 8, raw.count <= 64, raw.allSatisfy({ $0.isHexDigit }) else {
            throw APIError(.notFound, "not_found", "'\(raw.prefix(80))' is not a render id")
        }
        return JobID(raw)
    }

    /// The render if it exists and the caller may see it; otherwise 404 (the same answer either way).
    func visibleRender(_ context: FolioRequestContext) async throws -> (JobRecord, Backend) {
        let caller = try context.caller()
        let id = try jobID(context)
        guard let (record, backend) = try await engine.find(id, queue: .pdf), record.kind == "render",
              caller.canSee(tenant: record.tenant) else {
            throw APIError.notFound("render \(id)")
        }
        return (record, backend)
    }

    func status(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let (record, backend) = try await visibleRender(context)
        var headers = HTTPFields()
        if !record.state.isFinished { headers[.retryAfter] = "1" }
        return JSONResponse.make(RenderStatus.value(record, backend: backend), headers: headers)
    }

    func document(_ request: Request, _ context: FolioRequestContext, head: Bool) async throws -> Response {
        let (record, backend) = try await visibleRender(context)
        switch record.state {
        case .completed: break
        case .failed:
            throw APIError(.conflict, "render_failed", "the render failed; see /v1/renders/\(record.id) for its errors")
        default:
            throw APIError(.conflict, "not_ready", "the document is not ready yet (\(record.state.rawValue))", retryAfter: 1)
        }
        let doc = head ? try await backend.results.head(record.id) : try await backend.results.get(record.id)
        guard let doc else { throw APIError(.gone, "expired", "the document is no longer kept") }
        // HEAD reads no bytes; its Content-Length is the size the render recorded.
        let size = head ? record.result.flatMap { try? JSONCoding.decoder.decode(RenderSummary.self, from: $0) }?.bytes : nil
        return try documentResponse(doc, request: request, head: head, id: record.id, size: size)
    }

    func documentResponse(_ doc: StoredDocument, request: Request, head: Bool, id: JobID, size: Int? = nil) throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = doc.etag
        headers[.cacheControl] = "private, max-age=3600"
        headers[.location] = "/v1/renders/\(id.rawValue)"
        headers[.contentType] = doc.contentType
        // Weak comparison (RFC 9110, 13.1.2): the tag of a compressed answer, W/"…", matches the document's own.
        let strong = { (tag: Substring) -> String in
            let t = tag.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("W/") ? String(t.dropFirst(2)) : t
        }
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { strong($0) == doc.etag || strong($0) == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        let disposition = request.uri.queryParameters.get("disposition") == "inline" ? "inline" : "attachment"
        headers[.contentDisposition] = ContentDisposition.value(disposition, filename: doc.filename)
        headers[.acceptRanges] = "bytes"
        if head {
            if let size { headers[.contentLength] = String(size) }
            return Response(status: .ok, headers: headers)
        }
        // A range of a download (not of the document a POST ?wait= returns), unless If-Range names another document.
        let rangeHeader = request.method == .get && (request.headers[.ifRange].map { $0 == doc.etag } ?? true)
            ? request.headers[.range] : nil
        switch ByteRange.outcome(of: rangeHeader, size: doc.bytes.count) {
        case .whole:
            headers[.contentLength] = String(doc.bytes.count)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: doc.bytes)))
        case .part(let r):
            headers[.contentRange] = "bytes \(r.first)-\(r.last)/\(doc.bytes.count)"
            headers[.contentLength] = String(r.count)
            return Response(status: .partialContent, headers: headers,
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: doc.bytes[r.first...r.last])))
        case .unsatisfiable:
            throw APIError(.rangeNotSatisfiable, "range_not_satisfiable",
                           "the document has \(doc.bytes.count) bytes; the range asked for lies past them",
                           headers: [.contentRange: "bytes */\(doc.bytes.count)"])
        }
    }

    func deleteRender(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let (record, backend) = try await visibleRender(context)
        if record.state == .active {
            _ = try await backend.driver.cancel(record.id, queue: .pdf)
            return JSONResponse.make(.obj(["id": .string(record.id.rawValue), "status": .string("cancelling")]), status: .accepted)
        }
        _ = try await backend.driver.remove(record.id, queue: .pdf)
        try await backend.results.remove(record.id)
        return Response(status: .noContent)
    }

    func listRenders(_ request: Request, _ context: FolioRequestContext) async throws -> Response {
        let caller = try context.caller()
        let q = request.uri.queryParameters
        let state = try q.get("state").map { s -> JobState in
            guard let st = JobState(rawValue: s) else { throw APIError.badRequest("state must be one of waiting, delayed, active, completed, failed", code: "invalid_parameter") }
            return st
        }
        let limit = try Self.intParameter(q.get("limit"), name: "limit", default: 50, range: 1...500)
        let offset = try Self.intParameter(q.get("offset"), name: "offset", default: 0, range: 0...JobPage.maxOffset)
        let page = try await JobPage.read(self, queue: .pdf, states: state.map { [$0] } ?? JobState.allCases, caller: caller,
                                          offset: offset, limit: limit)
        let items = page.jobs.filter { $0.record.kind == "render" }.map { RenderStatus.value($0.record, backend: $0.backend) }
        return JSONResponse.make(Self.listBody(items, page: page, path: "/v1/renders", state: state, limit: limit, offset: offset))
    }

    /// A list's answer: the items, their count, and while the page is full, the link to the next one.
    static func listBody(_ items: [Value], page: JobPage, path: String, state: JobState?, limit: Int, offset: Int,
                         extra: [(String, Value)] = []) -> Value {
        var body = extra + [("items", .array(items)), ("count", .int(items.count)), ("offset", .int(offset))]
        if page.mayContinue, offset + limit <= JobPage.maxOffset {
            body.append(("next", .string(path + "?" + (state.map { "state=\($0.rawValue)&" } ?? "")
                                         + "limit=\(limit)&offset=\(offset + limit)")))
        }
        return .object(ValueObject(body))
    }

    /// Jobs the caller may see: every company's, or its own company's only.
    static func visibleJobs(_ backend: Backend, queue: QueueName, state: JobState, caller: Identity, offset: Int,
                            limit: Int) async throws -> [JobRecord] {
        if caller.seesAllCompanies { return try await backend.driver.jobs(queue: queue, state: state, offset: offset, limit: limit) }
        guard let company = caller.company else { return [] }
        return try await backend.driver.jobs(queue: queue, state: state, tenant: company, offset: offset, limit: limit)
    }

    static func intParameter(_ text: String?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw APIError.badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)", code: "invalid_parameter")
        }
        return n
    }
}
