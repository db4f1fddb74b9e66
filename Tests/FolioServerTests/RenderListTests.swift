import FolioRender
import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// Lists page through everything a caller may see: `?offset=` and the `next` link, across states, on both engines.
@Suite("Listing renders page by page") struct RenderListTests {
    /// Follows `next` from `path` and returns every id, in order, and how many pages it took.
    func walk(_ s: TestService, _ path: String, token: String) async throws -> (ids: [String], pages: Int) {
        var ids: [String] = [], pages = 0, next: String? = path
        while let at = next, pages < 20 {
            let r = try await s.request(.GET, at, token: token)
            #expect(r.status == 200, "\(at): \(r.status) \(r.text)")
            ids += (r.json["items"]?.array ?? []).compactMap { $0["id"]?.string }
            #expect(r.json["count"]?.int == r.json["items"]?.array?.count)
            next = r.json["next"]?.string
            pages += 1
        }
        return (ids, pages)
    }

    @Test("?offset= and next walk every render a company may see, once each, across states; the operators' job list pages too",
          arguments: [false, true])
    func paging(redis: Bool) async throws {
        try await TestService.with(redis: redis) { s in
            let acme = try await TestService.token(["user"], company: "acme")
            let globex = try await TestService.token(["user"], company: "globex")
            let admin = try await TestService.token(["platform_admin"], company: nil)
            var done: [String] = []
            for _ in 0..<7 {
                let r = try await s.request(.POST, "/v1/renders?wait=30", token: acme, json: try TestService.invoiceRequest())
                #expect(r.status == 200)
                done.append(try #require(r.header("Location")?.split(separator: "/").last.map(String.init)))
            }
            for _ in 0..<2 { #expect(try await s.request(.POST, "/v1/renders?wait=30", token: globex, json: try TestService.invoiceRequest()).status == 200) }
            // Two more that wait: the queue is paused.
            #expect(try await s.request(.POST, "/api/queue/pdf/pause", token: admin).status == 200)
            var waiting: [String] = []
            for _ in 0..<2 {
                let r = try await s.request(.POST, "/v1/renders", token: acme, json: try TestService.invoiceRequest())
                waiting.append(try #require(r.json["id"]?.string))
            }

            let completed = try await walk(s, "/v1/renders?state=completed&limit=3", token: acme)
            #expect(Set(completed.ids) == Set(done) && completed.ids.count == 7, "\(completed.ids)")
            #expect(completed.pages == 3)
            let all = try await walk(s, "/v1/renders?limit=4", token: acme)
            #expect(all.ids.count == 9 && Set(all.ids) == Set(done + waiting), "every state, each render once: \(all.ids)")
            #expect(Array(all.ids.prefix(2)) == waiting, "waiting first, in run order")
            let deep = try await s.request(.GET, "/v1/renders?limit=4&offset=8", token: acme)
            #expect(deep.json["items"]?.array?.count == 1 && deep.json["next"] == nil && deep.json["offset"]?.int == 8)
            let past = try await s.request(.GET, "/v1/renders?offset=50", token: acme)
            #expect(past.status == 200 && past.json["items"]?.array?.isEmpty == true)

            let jobs = try await walk(s, "/api/queue/pdf/jobs?state=completed&limit=4", token: admin)
            #expect(jobs.ids.count == 9 && Set(jobs.ids).isSuperset(of: done), "the operator sees both companies' renders")
            for bad in ["offset=-1", "offset=1000001", "offset=x"] {
                let r = try await s.request(.GET, "/v1/renders?\(bad)", token: acme)
                #expect(r.status == 400 && r.errorCode == "invalid_parameter", "\(bad)")
            }
            #expect(try await s.request(.POST, "/api/queue/pdf/resume", token: admin).status == 200)
        }
    }
}
