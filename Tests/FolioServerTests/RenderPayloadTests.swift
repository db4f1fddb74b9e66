import FolioQueue
import FolioRender
import FolioWorkers
import Foundation
import Testing

/// What a render job carries and how a finished document reaches a waiting request.
@Suite("Render payloads and the ?wait hand-off") struct RenderPayloadTests {
    static let dataText = #"{ "customer": {"name": "Zoë \"Z\" Ng"}, "lines": [ {"qty": 2, "price": 12.5} ] }"#

    @Test("the client's data bytes go into the payload unchanged and come out parsed, with every option")
    func payloadRoundTrip() throws {
        let payload = RenderPayload(template: "invoice", data: .json(Array(Self.dataText.utf8)), format: "png",
                                    filename: "inv \"1\".png", dpi: 96, page: 2, webhook: WebhookTarget(url: "https://h/x"))
        let bytes = try payload.jobPayloadBytes()
        #expect(String(decoding: bytes, as: UTF8.self).contains(Self.dataText), "data embedded as sent, not re-escaped")
        let back = try RenderPayload.decodeJobPayload(bytes)
        #expect(back.template == "invoice" && back.format == "png" && back.filename == "inv \"1\".png")
        #expect(back.dpi == 96 && back.page == 2 && back.webhook?.url == "https://h/x")
        #expect(try back.data.parsed() == (try Value.parse(json: Self.dataText)))
    }

    @Test("payloads written by the first version (data as a JSON string, through JSONEncoder) still decode")
    func legacyPayload() throws {
        let legacy = try JSONEncoder().encode(RenderPayload(template: "receipt", data: Self.dataText))
        #expect(String(decoding: legacy, as: UTF8.self).contains(#""data":"{"#))
        let back = try RenderPayload.decodeJobPayload(legacy)
        #expect(back.template == "receipt" && back.format == "pdf")
        #expect(try back.data.parsed() == (try Value.parse(json: Self.dataText)))
    }

    @Test("a render's summary, written directly, is the JSON that Codable writes: every field, every escape")
    func summaryBytes() throws {
        let summary = RenderSummary(pages: 3, bytes: 33_127, contentType: "application/pdf", filename: "inv \"1\"\\x.pdf",
                                    etag: "\"0123abcd-2\"", warnings: ["no font has 'ᚠ' (U+16A0)", "line\nbreak\ttab \u{1}", ""],
                                    template: "inv\"oice", format: "pdf")
        let written = try summary.jobPayloadBytes()
        #expect(try JSONDecoder().decode(RenderSummary.self, from: written) == summary)
        let direct = try JSONSerialization.jsonObject(with: written) as? NSDictionary
        let codable = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(summary)) as? NSDictionary
        #expect(direct != nil && direct == codable)
        let empty = RenderSummary(pages: 1, bytes: 0, contentType: "image/png", filename: "a.png", etag: "\"e\"", warnings: [])
        #expect(try JSONDecoder().decode(RenderSummary.self, from: try empty.jobPayloadBytes()) == empty)
    }

    @Test("a payload that is not a render payload fails permanently, naming the problem")
    func badPayload() {
        #expect(throws: JobError.self) { try RenderPayload.decodeJobPayload(Data("{\"data\": 1}".utf8)) }
        #expect(throws: JobError.self) { try RenderPayload.decodeJobPayload(Data("not json".utf8)) }
    }

    @Test("the parser reports where each top-level member's value lies, byte for byte")
    func memberRanges() throws {
        let body = Array(#"{"template": "invoice",  "data" : "# .utf8) + Array(Self.dataText.utf8) + Array(#" , "n": [1, 2]}"#.utf8)
        let (value, ranges) = try Value.parseWithMemberRanges(json: body)
        #expect(ranges["data"].map { String(decoding: body[$0], as: UTF8.self) } == Self.dataText)
        #expect(ranges["template"].map { String(decoding: body[$0], as: UTF8.self) } == "\"invoice\"")
        #expect(ranges["n"].map { String(decoding: body[$0], as: UTF8.self) } == "[1, 2]")
        #expect(value["n"] == .array([.integer(1), .integer(2)]))
    }

    @Test("a document stored by this process reaches its waiter once; other reads always go to the store")
    func handoff() async throws {
        let dir = NSTemporaryDirectory() + "folio-handoff-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = HandoffResultStore(try FileResultStore(directory: dir, timeToLive: .seconds(60)))
        let doc = StoredDocument(bytes: Array("%PDF-1.7".utf8), contentType: "application/pdf", filename: "a.pdf", etag: "\"e\"")
        let waited = JobID("aaaaaaaa01"), unwaited = JobID("aaaaaaaa02")
        store.expect(waited)
        try await store.put(doc, for: waited)
        try await store.put(doc, for: unwaited)
        #expect(store.take(unwaited) == nil, "nobody waited: nothing kept in memory")
        #expect(store.take(waited) == doc)
        #expect(store.take(waited) == nil, "taken once")
        #expect(try await store.get(waited) == doc, "still in the store for later downloads")
        store.expect(waited)
        try await store.remove(waited)
        #expect(store.take(waited) == nil)
        #expect(try await store.get(waited) == nil)
    }
}
