import FolioQueue
import FolioRender
import FolioServer
import FolioWorkers
import Foundation
import NIOHTTP1
import Testing

/// `/v1/templates`: list, show, synchronous preview, and names that try to be paths.
@Suite("Templates API") struct TemplateAPITests {
    @Test("list names every shipped template with title, page size and version; show adds the data shape and sample")
    func listAndShow() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let list = try await s.request(.GET, "/v1/templates", token: token)
            #expect(list.status == 200)
            let names = (list.json["items"]?.array ?? []).compactMap { $0["name"]?.string }
            #expect(names == s.engine.library.names)
            #expect(names.contains("invoice"))
            for item in list.json["items"]?.array ?? [] {
                #expect(item["title"]?.string != nil && item["version"]?.string != nil)
                #expect(item["pageSize"]?.string?.contains("{{") == false)
            }
            let show = try await s.request(.GET, "/v1/templates/invoice", token: token)
            #expect(show.status == 200)
            #expect(show.json["dataShape"]?.string?.contains("invoice:") == true)
            #expect(show.json["sample"]?["invoice"]?["number"]?.string == "HSE-INV-2025-000482")
        }
    }

    @Test("preview renders the sample as PNG by default, PDF on request, and given data; bad data is 422")
    func preview() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            let png = try await s.request(.POST, "/v1/templates/receipt/preview", token: token)
            #expect(png.status == 200)
            #expect(png.header("Content-Type") == "image/png")
            #expect(Array(png.body.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            let pdf = try await s.request(.POST, "/v1/templates/invoice/preview?format=pdf", token: token)
            #expect(pdf.header("Content-Type") == "application/pdf")
            #expect(try pdfInfo(pdf.body)["Pages"] == pdf.header("Folio-Pages"))
            let sample = try String(contentsOfFile: repositoryRoot + "/templates/invoice/sample.json", encoding: .utf8)
            let given = try await s.request(.POST, "/v1/templates/invoice/preview?format=pdf", token: token, json: sample)
            #expect(given.status == 200)
            let bad = try await s.request(.POST, "/v1/templates/invoice/preview", token: token, json: #"{"invoice": 3}"#)
            #expect(bad.status == 422)
            #expect((bad.json["error"]?["details"]?.array?.count ?? 0) > 1)
            #expect(try await s.request(.POST, "/v1/templates/invoice/preview?format=gif", token: token).status == 400)
        }
    }

    @Test("path-like and unknown names: 400 and 404, never a file outside the templates folder")
    func pathNames() async throws {
        try await TestService.with { s in
            let token = try await TestService.token(["user"], company: "acme")
            for name in ["..%2F..%2Fetc%2Fpasswd", "..", "invoice%00", "a.b", "%2e%2e"] {
                let r = try await s.request(.GET, "/v1/templates/\(name)", token: token)
                #expect(r.status == 400 || r.status == 404, "\(name)")
                #expect(r.errorCode != nil, "\(name)")
                #expect(!r.text.contains("root:"), "\(name)")
            }
            let encoded = try await s.request(.GET, "/v1/templates/..%2F..%2Fetc%2Fpasswd", token: token)
            #expect(encoded.status == 400)
            #expect(encoded.errorCode == "invalid_template_name")
            let preview = try await s.request(.POST, "/v1/templates/..%2F..%2Fetc%2Fpasswd/preview", token: token)
            #expect(preview.status == 400)
            let unknown = try await s.request(.GET, "/v1/templates/nope", token: token)
            #expect(unknown.status == 404)
            #expect(unknown.errorCode == "unknown_template")
        }
    }
}
