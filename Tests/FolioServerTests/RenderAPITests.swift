import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// `/v1/renders` end to end over real HTTP: accept, wait, status, download, cache validators, delete, validation.
@Suite("Render API") struct RenderAPITests {
    @Test("POST answers 202 with Location and Retry-After; the status completes; the document is a real PDF")
    func submitPollDownload() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let accepted = try await s.request(.POST, "/v1/renders", token: token, json: try TestService.invoiceRequest())
            #expect(accepted.status == 202)
            let id = try #require(accepted.json["id"]?.string)
            #expect(accepted.header("Location") == "/v1/renders/\(id)")
            #expect(accepted.header("Retry-After") == "1")
            #expect(accepted.json["links"]?["self"]?.string == "/v1/renders/\(id)")

            // Waiting for the job through the engine's events, then reading its status.
            _ = try await s.engine.primary.driver.wait(for: .init(id), queue: .pdf, timeout: .seconds(60))
            let status = try await s.request(.GET, "/v1/renders/\(id)", token: token)
            #expect(status.status == 200)
            #expect(status.json["status"]?.string == "completed")
            // The 202 answered with what was stored, not a time of its own.
            let enqueuedAt = try #require(accepted.json["timings"]?["enqueuedAt"]?.string)
            #expect(status.json["timings"]?["enqueuedAt"]?.string == enqueuedAt)
            #expect(status.json["attempts"]?.int == 1)
            #expect(status.json["result"]?["pages"]?.int ?? 0 >= 1)
            #expect(status.json["timings"]?["runMs"] != nil)
            #expect(status.json["links"]?["document"]?.string == "/v1/renders/\(id)/document")

            let doc = try await s.request(.GET, "/v1/renders/\(id)/document", token: token)
            #expect(doc.status == 200)
            #expect(doc.header("Content-Type") == "application/pdf")
            #expect(doc.header("Content-Disposition") == "attachment; filename=\"invoice.pdf\"")
            let etag = try #require(doc.header("ETag"))
            #expect(Array(doc.body.prefix(5)) == Array("%PDF-".utf8))
            let info = try pdfInfo(doc.body)
            #expect(Int(info["Pages"] ?? "0") == status.json["result"]?["pages"]?.int)

            let notModified = try await s.request(.GET, "/v1/renders/\(id)/document", token: token, headers: [("If-None-Match", etag)])
            #expect(notModified.status == 304)
            #expect(notModified.body.isEmpty)

            let head = try await s.request(.HEAD, "/v1/renders/\(id)/document", token: token)
            #expect(head.status == 200)
            #expect(head.header("ETag") == etag)
            #expect(head.header("Content-Type") == "application/pdf")
            #expect(head.body.isEmpty)

            let deleted = try await s.request(.DELETE, "/v1/renders/\(id)", token: token)
            #expect(deleted.status == 204)
            #expect(try await s.request(.GET, "/v1/renders/\(id)", token: token).status == 404)
            #expect(try await s.request(.GET, "/v1/renders/\(id)/document", token: token).status == 404)
            #expect(try await s.engine.primary.results.get(.init(id)) == nil)
        }
    }

    @Test("?wait=N answers 200 with the document itself when it is ready in time")
    func waitReturnsDocument() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders?wait=30", token: token,
                                        json: try TestService.invoiceRequest(format: "png", extra: #", "options": {"filename": "inv 1/../x", "dpi": 72}"#))
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "image/png")
            #expect(Array(r.body.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            #expect(r.header("Content-Disposition") == "attachment; filename=\"inv 1_.._x.png\"")
            #expect(r.header("Location")?.hasPrefix("/v1/renders/") == true)
        }
    }

    @Test("a download name in any script is kept: the status shows it, Content-Disposition gives an ASCII fallback and the name itself (RFC 6266)")
    func unicodeFilename() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders?wait=30", token: token,
                                        json: try TestService.invoiceRequest(extra: #", "options": {"filename": " Rechnung Müller 03/2025\u202Efdp.exe"}"#))
            #expect(r.status == 200)
            #expect(r.header("Content-Disposition")
                    == "attachment; filename=\"Rechnung M_ller 03_2025_fdp.exe.pdf\"; filename*=UTF-8''Rechnung%20M%C3%BCller%2003_2025_fdp.exe.pdf")
            let id = try #require(r.header("Location")?.split(separator: "/").last.map(String.init))
            let status = try await s.request(.GET, "/v1/renders/\(id)", token: token)
            #expect(status.json["result"]?["filename"]?.string == "Rechnung Müller 03_2025_fdp.exe.pdf")
        }
    }

    @Test("renders are kept for result_ttl however many follow: the first of a batch larger than the queue's completed count still downloads",
          arguments: [false, true])
    func batchOutlivesTheCount(redis: Bool) async throws {
        // The table keeps 2 completed jobs per queue; renders must not go with that count (their documents still exist).
        try await TestService.with(redis: redis, keepCompleted: 2) { s in
            let token = try await TestService.token(["user"], company: "acme")
            var ids: [String] = []
            for _ in 0..<5 {
                let r = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
                #expect(r.status == 200)
                ids.append(try #require(r.header("Location")).replacingOccurrences(of: "/v1/renders/", with: ""))
            }
            for id in ids {
                #expect(try await s.request(.GET, "/v1/renders/\(id)", token: token).json["status"]?.string == "completed")
                let doc = try await s.request(.GET, "/v1/renders/\(id)/document", token: token)
                #expect(doc.status == 200 && Array(doc.body.prefix(5)) == Array("%PDF-".utf8), "render \(id)")
            }
            #expect(s.engine.table[.pdf].retention.completedCount == Int.max)
            #expect(s.engine.table[.email].retention.completedCount == 2, "other queues keep their count")
        }
    }

    @Test("a completed render keeps no request data, and its status still names its template and format",
          arguments: [false, true])
    func completedRenderDropsItsData(redis: Bool) async throws {
        try await TestService.with(redis: redis) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest())
            #expect(r.status == 200)
            let id = try #require(r.header("Location")).replacingOccurrences(of: "/v1/renders/", with: "")
            let record = try #require(try await s.engine.primary.driver.job(JobID(id), queue: .pdf))
            #expect(record.state == .completed && record.payload.isEmpty, "the record keeps \(record.payload.count) bytes of data")
            let status = try await s.request(.GET, "/v1/renders/\(id)", token: token).json
            #expect(status["template"]?.string == "invoice" && status["format"]?.string == "pdf")
            #expect((status["result"]?["pages"]?.int ?? 0) >= 1)
            #expect(try await s.request(.GET, "/v1/renders/\(id)/document", token: token).status == 200)
        }
    }

    @Test("a paused queue: ?wait=1 gives up and answers 202, the job still waiting")
    func waitTimesOut() async throws {
        try await TestService.with { s in
            let admin = try await TestService.token(["admin"], company: nil)
            #expect(try await s.request(.POST, "/api/queue/pdf/pause", token: admin).status == 200)
            let r = try await s.request(.POST, "/v1/renders?wait=1", token: admin, json: try TestService.invoiceRequest())
            #expect(r.status == 202)
            #expect(r.json["status"]?.string == "waiting")
            let id = try #require(r.json["id"]?.string)
            let status = try await s.request(.GET, "/v1/renders/\(id)", token: admin)
            #expect(status.json["timings"]?["enqueuedAt"]?.string == r.json["timings"]?["enqueuedAt"]?.string)
        }
    }

    @Test("Idempotency-Key: a repeat returns the same job; another company's same key never reveals it")
    func idempotency() async throws {
        try await TestService.with { s in
            let acme = try await TestService.token(["user"], company: "acme")
            let body = try TestService.invoiceRequest()
            let a = try await s.request(.POST, "/v1/renders", token: acme, json: body, headers: [("Idempotency-Key", "order-42")])
            let b = try await s.request(.POST, "/v1/renders", token: acme, json: body, headers: [("Idempotency-Key", "order-42")])
            #expect(a.status == 202 && b.status == 202)
            #expect(a.json["id"]?.string == b.json["id"]?.string)
            let other = try await TestService.token(["user"], company: "globex")
            let c = try await s.request(.POST, "/v1/renders", token: other, json: body, headers: [("Idempotency-Key", "order-42")])
            #expect(c.status == 202)
            #expect(c.json["id"]?.string != a.json["id"]?.string)
        }
    }

    @Test("Idempotency-Key with another request: 409 idempotency_key_reused naming the first render, while it waits and once completed; the same request still gets its job",
          arguments: [false, true])
    func idempotencyKeyReused(redis: Bool) async throws {
        try await TestService.with(redis: redis) { s in
            let acme = try await TestService.token(["user"], company: "acme")
            let first = try TestService.invoiceRequest(), second = try TestService.invoiceRequest(format: "png")
            let key = [("Idempotency-Key", "invoice-482")]
            let made = try await s.request(.POST, "/v1/renders?wait=30", token: acme, json: first, headers: key)
            #expect(made.status == 200)
            let id = try #require(made.header("Location")?.split(separator: "/").last.map(String.init))
            // Completed (its request data dropped): the fingerprint is kept with the result.
            let again = try await s.request(.POST, "/v1/renders", token: acme, json: first, headers: key)
            #expect(again.status == 202 && again.json["id"]?.string == id && again.json["status"]?.string == "completed")
            for wait in ["", "?wait=30"] {
                let other = try await s.request(.POST, "/v1/renders\(wait)", token: acme, json: second, headers: key)
                #expect(other.status == 409 && other.errorCode == "idempotency_key_reused", "\(wait): \(other.status) \(other.text.prefix(200))")
                #expect(other.json["error"]?["details"]?["id"]?.string == id)
            }
            // Waiting (the queue paused): the fingerprint is in the payload.
            let admin = try await TestService.token(["platform_admin"], company: nil)
            #expect(try await s.request(.POST, "/api/queue/pdf/pause", token: admin).status == 200)
            let pending = try await s.request(.POST, "/v1/renders", token: acme, json: first, headers: [("Idempotency-Key", "invoice-483")])
            #expect(pending.status == 202 && pending.json["status"]?.string == "waiting")
            let clash = try await s.request(.POST, "/v1/renders", token: acme, json: second, headers: [("Idempotency-Key", "invoice-483")])
            #expect(clash.status == 409 && clash.errorCode == "idempotency_key_reused")
            let repeatPending = try await s.request(.POST, "/v1/renders", token: acme, json: first, headers: [("Idempotency-Key", "invoice-483")])
            #expect(repeatPending.status == 202 && repeatPending.json["id"] == pending.json["id"])
            #expect(try await s.request(.POST, "/api/queue/pdf/resume", token: admin).status == 200)
        }
    }

    @Test("422 lists every problem by JSON path, request fields and data fields together")
    func validationListsEveryProblem() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            var sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
            sample = sample.replacingOccurrences(of: #""number": "HSE-INV-2025-000482""#, with: #""number": 17"#)
            sample = sample.replacingOccurrences(of: #""currency_minor_unit": 2"#, with: #""currency_minor_unit": "two""#)
            let body = #"{"template": "invoice", "format": "docx", "priority": "asap", "colour": 1, "data": \#(sample)}"#
            let r = try await s.request(.POST, "/v1/renders", token: token, json: body)
            #expect(r.status == 422)
            #expect(r.errorCode == "validation_failed")
            let paths = Set((r.json["error"]?["details"]?.array ?? []).compactMap { $0["path"]?.string })
            #expect(paths.isSuperset(of: ["$.format", "$.priority", "$.colour", "$.data.invoice.number",
                                          "$.data.document.currency_minor_unit"]))
            #expect(r.json["error"]?["message"]?.string?.isEmpty == false)
        }
    }

    @Test("unknown template and template path names: 422 naming $.template; status ids that are not ids: 404")
    func unknownTemplateAndIds() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let unknown = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "invoise", "data": {}}"#)
            #expect(unknown.status == 422)
            #expect(unknown.errorCode == "unknown_template")
            #expect(unknown.json["error"]?["details"]?.array?.first?["message"]?.string?.contains("did you mean 'invoice'") == true)
            let path = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "../../etc/passwd", "data": {}}"#)
            #expect(path.status == 422)
            for bad in ["not-an-id", "..%2F..%2Fetc", "0000000000000000000000000000000000000000"] {
                let r = try await s.request(.GET, "/v1/renders/\(bad)", token: token)
                #expect(r.status == 404, "\(bad)")
                #expect(r.errorCode == "not_found")
            }
        }
    }

    @Test("DELETE of a waiting render removes it; of a finished one removes it and its document")
    func deleteWaiting() async throws {
        try await TestService.with(workers: false) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders", token: token, json: try TestService.invoiceRequest())
            let id = try #require(r.json["id"]?.string)
            #expect(try await s.request(.GET, "/v1/renders/\(id)/document", token: token).errorCode == "not_ready")
            #expect(try await s.request(.DELETE, "/v1/renders/\(id)", token: token).status == 204)
            #expect(try await s.request(.DELETE, "/v1/renders/\(id)", token: token).status == 404)
        }
    }
}
