import FolioRender
import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// Byte ranges of a document: resuming a download, a viewer's first part; anything it cannot serve as a part gets the
/// whole document, and a range past the end 416.
@Suite("Document byte ranges") struct DocumentRangeTests {
    @Test("Range: one part as 206 with Content-Range; several ranges, other units or a stale If-Range the whole; past the end 416")
    func ranges() async throws {
        try await TestService.with(configuration: TestService.configuration()) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let made = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest(),
                                           headers: [("Range", "bytes=0-9")])
            #expect(made.status == 200 && made.header("Content-Range") == nil, "a POST's document is whole")
            let id = try #require(made.header("Location")?.split(separator: "/").last.map(String.init))
            let path = "/v1/renders/\(id)/document"
            let whole = try await s.request(.GET, path, token: token)
            #expect(whole.status == 200 && whole.header("Accept-Ranges") == "bytes")
            let full = whole.body, size = full.count, etag = try #require(whole.header("ETag"))
            #expect(size > 1000)
            func get(_ range: String, _ extra: [(String, String)] = []) async throws -> Reply {
                try await s.request(.GET, path, token: token, headers: [("Range", range)] + extra)
            }
            for (range, first, last) in [("bytes=0-99", 0, 99), ("bytes=100-", 100, size - 1), ("bytes=-50", size - 50, size - 1),
                                         ("bytes=10-99999999", 10, size - 1), ("bytes=-99999999", 0, size - 1)] {
                let r = try await get(range)
                #expect(r.status == 206, "\(range): \(r.status)")
                #expect(r.header("Content-Range") == "bytes \(first)-\(last)/\(size)", "\(range)")
                #expect(r.body == Array(full[first...last]), "\(range)")
                #expect(r.header("Content-Length") == String(last - first + 1) && r.header("Content-Type") == "application/pdf")
            }
            // The parts put together are the document (what a resumed download does).
            let head = try await get("bytes=0-999"), rest = try await get("bytes=1000-")
            #expect(head.body + rest.body == full)
            #expect(try pdfInfo(head.body + rest.body)["Pages"] == "1")

            for range in ["bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=9-3", "bytes=-"] {
                let r = try await get(range)
                #expect(r.status == 200 && r.body == full && r.header("Content-Range") == nil, "\(range): \(r.status)")
            }
            for range in ["bytes=\(size)-", "bytes=\(size + 5)-\(size + 9)", "bytes=-0"] {
                let r = try await get(range)
                #expect(r.status == 416 && r.errorCode == "range_not_satisfiable" && r.header("Content-Range") == "bytes */\(size)", "\(range)")
            }
            #expect(try await get("bytes=0-9", [("If-Range", etag)]).status == 206)
            let stale = try await get("bytes=0-9", [("If-Range", "\"someone-else-1\"")])
            #expect(stale.status == 200 && stale.body == full, "a range of another document: the whole current one")

            // A part of an SVG is its bytes as they are, even to a client that accepts gzip.
            let svg = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest(format: "svg"))
            let svgID = try #require(svg.header("Location")?.split(separator: "/").last.map(String.init))
            let part = try await s.request(.GET, "/v1/renders/\(svgID)/document", token: token,
                                           headers: [("Range", "bytes=0-4"), ("Accept-Encoding", "gzip")])
            #expect(part.status == 206 && part.header("Content-Encoding") == nil && part.body == Array(svg.body.prefix(5)))
        }
    }
}
