import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// `/metrics` speaks Prometheus text with request, render and queue metrics.
@Suite("Metrics and health") struct MetricsTests {
    @Test("requests, render times, queue depth and job events appear after a render")
    func prometheus() async throws {
        try await TestService.with { s in
            let admin = try await TestService.token(["admin"], company: nil)
            #expect(try await s.request(.POST, "/v1/renders?wait=30", token: admin, json: try TestService.invoiceRequest()).status == 200)
            let m = try await s.request(.GET, "/metrics", token: admin)
            #expect(m.status == 200)
            #expect(m.header("Content-Type")?.hasPrefix("text/plain") == true)
            for name in ["folio_http_requests_total", "folio_http_request_duration_seconds", "folio_render_duration_seconds",
                         "folio_queue_depth", "folio_queue_jobs", "folio_queue_wait_seconds", "folio_queue_run_seconds",
                         "folio_job_events_total", "folio_http_requests_total"] {
                #expect(m.text.contains(name), "\(name)")
            }
            #expect(m.text.contains(#"route="/v1/renders""#))
        }
    }

    @Test("healthz and readyz answer without a token; health and info describe the engine and queues")
    func health() async throws {
        try await TestService.with { s in
            #expect(try await s.request(.GET, "/readyz").json["status"]?.string == "ready")
            let admin = try await TestService.token(["platform_admin"], company: nil)
            let health = try await s.request(.GET, "/api/queue/health", token: admin)
            #expect(health.json["status"]?.string == "ok")
            #expect(health.json["engine"]?.string == "embedded")
            let info = try await s.request(.GET, "/api/queue/info", token: admin)
            let queues = (info.json["queues"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(queues.contains("pdf") && queues.contains("notification"))
            let pdf = (info.json["queues"]?.array ?? []).first { $0["name"]?.string == "pdf" }
            let email = (info.json["queues"]?.array ?? []).first { $0["name"]?.string == "email" }
            #expect(pdf?["retention"]?["completedCount"] == .null, "renders are kept by age only")
            #expect(pdf?["retention"]?["completedAgeMs"]?.int == 3_600_000 * 24)
            #expect(pdf?["retention"]?["keepsCompletedPayload"] == .bool(false))
            #expect(email?["retention"]?["keepsCompletedPayload"] == .bool(true))
            #expect((email?["retention"]?["completedCount"]?.int ?? 0) > 0)
        }
    }
}
