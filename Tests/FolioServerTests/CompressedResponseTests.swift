import FolioRender
import FolioServer
import Foundation
import NIOHTTP1
import Testing

/// Responses to clients that accept gzip: text-like bodies compressed (and inflating to the same bytes), documents that
/// are compressed already sent as they are, caches told that the answer varies, and revalidation still answering 304.
@Suite("Compressed responses") struct CompressedResponseTests {
    func gunzip(_ bytes: [UInt8]) throws -> [UInt8] { try output(of: ["gzip", "-dc"], input: bytes) }

    @Test("JSON and SVG are sent gzip to a client that asks, the same bytes once inflated; PDF, small bodies and HEAD are not compressed")
    func textCompressed() async throws {
        try await TestService.with(configuration: TestService.configuration()) { s in
            let token = try await TestService.token(["user"], company: "acme")
            let gzip = [("Accept-Encoding", "br;q=1.0, gzip;q=0.8, *;q=0.1")]
            let plain = try await s.request(.GET, "/openapi.json")
            let packed = try await s.request(.GET, "/openapi.json", headers: gzip)
            #expect(plain.header("Content-Encoding") == nil)
            #expect(packed.header("Content-Encoding") == "gzip")
            #expect(packed.header("Content-Length") == String(packed.body.count))
            #expect(packed.body.count < plain.body.count / 4, "\(packed.body.count) of \(plain.body.count)")
            #expect(try gunzip(packed.body) == plain.body)
            #expect(packed.header("Vary")?.contains("Accept-Encoding") == true)
            for refused in ["gzip;q=0", "identity", "br, deflate", "*;q=0"] {
                let r = try await s.request(.GET, "/openapi.json", headers: [("Accept-Encoding", refused)])
                #expect(r.header("Content-Encoding") == nil && r.body == plain.body, "\(refused)")
                #expect(r.header("Vary")?.contains("Accept-Encoding") == true, "\(refused): the answer would differ with gzip")
            }
            let small = try await s.request(.GET, "/healthz", headers: gzip)
            #expect(small.status == 200 && small.header("Content-Encoding") == nil, "a body under a kilobyte goes as it is")

            let svg = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest(format: "svg"),
                                          headers: gzip)
            #expect(svg.status == 200 && svg.header("Content-Type") == "image/svg+xml" && svg.header("Content-Encoding") == "gzip")
            let id = try #require(svg.header("Location")?.split(separator: "/").last.map(String.init))
            let svgPlain = try await s.request(.GET, "/v1/renders/\(id)/document", token: token)
            let svgPacked = try await s.request(.GET, "/v1/renders/\(id)/document", token: token, headers: gzip)
            #expect(try gunzip(svg.body) == svgPlain.body && String(decoding: svgPlain.body.prefix(200), as: UTF8.self).contains("<svg"))
            #expect(try gunzip(svgPacked.body) == svgPlain.body)
            let strong = try #require(svgPlain.header("ETag")), weak = try #require(svgPacked.header("ETag"))
            #expect(weak == "W/" + strong, "the compressed representation has a weak validator: \(weak) for \(strong)")
            // Revalidating with either tag answers 304, with the tag the client holds.
            let again = try await s.request(.GET, "/v1/renders/\(id)/document", token: token, headers: gzip + [("If-None-Match", weak)])
            #expect(again.status == 304 && again.header("ETag") == weak && again.body.isEmpty)
            let againPlain = try await s.request(.GET, "/v1/renders/\(id)/document", token: token, headers: [("If-None-Match", strong)])
            #expect(againPlain.status == 304 && againPlain.header("ETag") == strong)
            let head = try await s.request(.HEAD, "/v1/renders/\(id)/document", token: token, headers: gzip)
            #expect(head.status == 200 && head.header("Content-Encoding") == nil && head.header("Content-Length") == String(svgPlain.body.count))

            let pdf = try await s.request(.POST, "/v1/renders?wait=30", token: token, json: try TestService.invoiceRequest(), headers: gzip)
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf")
            #expect(pdf.header("Content-Encoding") == nil && pdf.header("Vary") == nil, "PDF is compressed inside already")
            #expect(try pdfInfo(pdf.body)["Pages"] == "1")

            let list = try await s.request(.GET, "/v1/renders?limit=100", token: token, headers: gzip)
            #expect(list.status == 200 && list.header("Content-Encoding") == "gzip")
            #expect(try Value.parse(json: try gunzip(list.body))["items"]?.array?.count == 2)
        }
    }
}
