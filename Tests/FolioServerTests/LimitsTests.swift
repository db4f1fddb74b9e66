import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// Limits and bad input: each a clear 4xx (or 503) with the error shape, and the server keeps serving.
@Suite("Limits and bad input") struct LimitsTests {
    @Test("malformed JSON, wrong content type, body too large, data too large, huge numbers, bad query values")
    func badInput() async throws {
        let limits = ServiceLimits(maxBodyBytes: 64 << 10, maxDataBytes: 16 << 10)
        try await TestService.with(configuration: TestService.configuration(limits: limits)) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let malformed = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "invoice", "data": {"#)
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "malformed_json")
            #expect(malformed.json["error"]?["message"]?.string?.contains("line 1") == true)
            let text = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "invoice"}"#, contentType: "text/plain")
            #expect(text.status == 415)
            let none = try await s.request(.POST, "/v1/renders", token: token, body: Array(#"{"template": "invoice"}"#.utf8))
            #expect(none.status == 415)
            let big = String(repeating: "x", count: 70 << 10)
            let tooLarge = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "invoice", "data": {"a": "\#(big)"}}"#)
            #expect(tooLarge.status == 413)
            let data = String(repeating: "y", count: 20 << 10)
            let dataTooLarge = try await s.request(.POST, "/v1/renders", token: token, json: #"{"template": "invoice", "data": {"a": "\#(data)"}}"#)
            #expect(dataTooLarge.status == 413)
            #expect(dataTooLarge.errorCode == "data_too_large")
            let huge = try await s.request(.POST, "/v1/renders", token: token,
                                           json: #"{"template": "invoice", "options": {"dpi": 1e400, "page": 99999999999999999999}, "data": {}}"#)
            #expect((400..<500).contains(huge.status))
            let array = try await s.request(.POST, "/v1/renders", token: token, json: "[1, 2]")
            #expect(array.status == 422)
            for q in ["wait=31", "wait=-1", "wait=abc", "wait=nan"] {
                #expect(try await s.request(.POST, "/v1/renders?\(q)", token: token, json: "{}").status == 400, "\(q)")
            }
            let key = String(repeating: "k", count: 300)
            #expect(try await s.request(.POST, "/v1/renders", token: token, json: "{}", headers: [("Idempotency-Key", key)]).status == 400)
            #expect(try await s.request(.GET, "/v1/nothing", token: token).status == 404)
            // A path that exists, with a method it does not take: 405 naming the ones it does.
            for (method, path, allow) in [(HTTPMethod.PUT, "/v1/renders", "GET, HEAD, POST"), (.PATCH, "/v1/renders/0123456789abcdef", "GET, HEAD, DELETE"),
                                          (.POST, "/v1/templates/invoice", "GET, HEAD"), (.OPTIONS, "/healthz", "GET, HEAD")] {
                let r = try await s.request(method, path, token: token)
                #expect(r.status == 405 && r.errorCode == "method_not_allowed" && r.header("Allow") == allow, "\(method) \(path): \(r.status) \(r.header("Allow") ?? "")")
            }
            // HEAD wherever GET is: the GET's status and headers, no body.
            for path in ["/healthz", "/readyz", "/v1/templates", "/v1/templates/invoice", "/openapi.json"] {
                let get = try await s.request(.GET, path, token: token), head = try await s.request(.HEAD, path, token: token)
                #expect(head.status == get.status && head.body.isEmpty && head.header("Content-Type") == get.header("Content-Type"), "HEAD \(path)")
            }
            // Still serving.
            #expect(try await s.request(.GET, "/healthz").status == 200)
            #expect(try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest()).status == 200)
        }
    }

    @Test("a full queue answers 503 with Retry-After; a company over its rate answers 429 with Retry-After")
    func depthAndRate() async throws {
        try await TestService.with(configuration: TestService.configuration(limits: ServiceLimits(maxQueueDepth: 0))) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let r = try await s.request(.POST, "/v1/renders", token: token, json: try TestService.invoiceRequest())
            #expect(r.status == 503)
            #expect(r.errorCode == "queue_full")
            #expect(r.header("Retry-After") != nil)
        }
        try await TestService.with(configuration: TestService.configuration(limits: ServiceLimits(rendersPerMinutePerCompany: 2)),
                                   workers: false) { s in
            let acme = try await TestService.token(["user"], company: "acme")
            let globex = try await TestService.token(["user"], company: "globex")
            let body = try TestService.invoiceRequest()
            #expect(try await s.request(.POST, "/v1/renders", token: acme, json: body).status == 202)
            #expect(try await s.request(.POST, "/v1/renders", token: acme, json: body).status == 202)
            let third = try await s.request(.POST, "/v1/renders", token: acme, json: body)
            #expect(third.status == 429)
            #expect(third.errorCode == "rate_limited")
            #expect(Int(third.header("Retry-After") ?? "") != nil)
            #expect(try await s.request(.POST, "/v1/renders", token: globex, json: body).status == 202)
        }
    }

    @Test("a results folder with less free space than results_min_free_mb: renders get 503 store_full, health says degraded")
    func resultsFolderShortOfSpace() async throws {
        // No disk here can be filled for a test; a threshold above any disk's free space is the same condition, read
        // from the real file system (statvfs).
        let huge = Int64(1) << 60
        try await TestService.with(configuration: TestService.configuration(limits: ServiceLimits(minFreeResultsBytes: huge))) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let admin = try await TestService.token(["admin"], company: nil)
            let r = try await s.request(.POST, "/v1/renders", token: token, json: try TestService.invoiceRequest())
            #expect(r.status == 503)
            #expect(r.errorCode == "store_full")
            #expect(r.header("Retry-After") == "30")
            #expect(try await s.engine.current.driver.counts(queue: .pdf).waiting == 0, "nothing was accepted")
            let health = try await s.request(.GET, "/api/queue/health", token: admin).json
            #expect(health["status"]?.string == "degraded")
            #expect(health["results"]?["full"] == .bool(true))
            #expect((health["results"]?["freeBytes"]?.int ?? 0) > 0)
            #expect(try await s.request(.POST, "/v1/templates/invoice/preview", token: token).status == 200, "previews store nothing")
        }
        try await TestService.with { s in
            let admin = try await TestService.token(["admin"], company: nil)
            let health = try await s.request(.GET, "/api/queue/health", token: admin).json
            #expect(health["results"]?["full"] == .bool(false) && health["status"]?.string == "ok")
        }
    }

    @Test("page limit: a document longer than max_pages fails its job with page_limit_exceeded; preview answers 422")
    func pageLimit() async throws {
        try await TestService.with(configuration: TestService.configuration(limits: ServiceLimits(maxPages: 1))) { s in
            let token = try await TestService.token(["user"], company: "acme")
            var sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
            let line = #"{"line": 1, "sku": "X", "description": "Lens", "kind": "service", "quantity": 1, "unit_price_gross_minor": 0, "line_net_minor": 0, "line_vat_minor": 0, "line_gross_minor": 0, "vat_category": "E", "vat_rate_percent": 0}"#
            // Many lines make the invoice run past one page.
            if let range = sample.range(of: #""lines": ["#) {
                sample.insert(contentsOf: Array(repeating: line, count: 200).joined(separator: ",") + ",", at: range.upperBound)
            }
            let preview = try await s.request(.POST, "/v1/templates/invoice/preview?format=pdf", token: token, json: sample)
            #expect(preview.status == 422)
            #expect(preview.errorCode == "page_limit_exceeded")
            let r = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: #"{"template": "invoice", "data": \#(sample)}"#)
            #expect(r.status == 200)
            #expect(r.json["status"]?.string == "failed")
            #expect(r.json["errors"]?.array?.first?["code"]?.string == "page_limit_exceeded")
        }
    }
}
