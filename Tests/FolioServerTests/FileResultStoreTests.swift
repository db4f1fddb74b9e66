import FolioQueue
import FolioWorkers
import Foundation
import Testing

/// The embedded engine's document store: one file per document, written whole or not at all, expiring on its own.
@Suite("File result store") struct FileResultStoreTests {
    func folder() -> String { NSTemporaryDirectory() + "folio-files-" + UUID().uuidString.prefix(8) }

    func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test("a document round-trips with its headers, a second write replaces it whole, removing it removes its file")
    func roundTrip() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60))
        let id = JobID("0123abcd")
        let bytes: [UInt8] = Array("%PDF-1.7\n".utf8) + [0, 10, 13, 255] + Array(repeating: 7, count: 70_000)
        try await store.put(StoredDocument(bytes: bytes, contentType: "application/pdf", filename: "inv \"1\"\n.pdf",
                                           etag: "\"0123abcd-1\""), for: id)
        let got = try #require(try await store.get(id))
        #expect(got.bytes == bytes && got.contentType == "application/pdf" && got.filename == "inv \"1\"\n.pdf"
                && got.etag == "\"0123abcd-1\"")
        let head = try #require(try await store.head(id))
        #expect(head.bytes.isEmpty && head.etag == "\"0123abcd-1\"" && head.filename == got.filename)
        #expect(names(dir) == ["0123abcd.doc"], "one file per document, no temporary file left: \(names(dir))")
        try await store.put(StoredDocument(bytes: [1, 2, 3], contentType: "image/png", filename: "a.png", etag: "\"e-2\""), for: id)
        let second = try #require(try await store.get(id))
        #expect(second.bytes == [1, 2, 3] && second.contentType == "image/png" && second.etag == "\"e-2\"")
        #expect(try await store.remove(id))
        let afterRemove = try await store.get(id)
        #expect(afterRemove == nil && names(dir).isEmpty)
        #expect(try await store.remove(id) == false)
        // An id that is not the queue's never names a file.
        #expect(try await store.get(JobID("../etc/passwd")) == nil)
        await #expect(throws: QueueError.self) {
            try await store.put(StoredDocument(bytes: [1], contentType: "x", filename: "x", etag: "x"), for: JobID("a/b"))
        }
    }

    @Test("past its time to live a document is gone for readers and the sweep deletes it, with leftover temporary files")
    func expiry() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60))
        try await store.put(StoredDocument(bytes: [1], contentType: "application/pdf", filename: "a.pdf", etag: "\"a\""),
                            for: JobID("aaaa0001"))
        try await store.put(StoredDocument(bytes: [2], contentType: "application/pdf", filename: "b.pdf", etag: "\"b\""),
                            for: JobID("aaaa0002"))
        // A write that crashed half-way left a temporary file.
        FileManager.default.createFile(atPath: dir + "/.crashed.tmp", contents: Data([9]))
        let old = Date(timeIntervalSinceNow: -120)
        for name in ["aaaa0001.doc", ".crashed.tmp"] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir + "/" + name)
        }
        let expired = try await store.get(JobID("aaaa0001")), expiredHead = try await store.head(JobID("aaaa0001"))
        #expect(expired == nil && expiredHead == nil)
        #expect(try await store.purgeExpired() == 1)
        #expect(names(dir) == ["aaaa0002.doc"], "\(names(dir))")
        #expect(try await store.get(JobID("aaaa0002"))?.bytes == [2])
    }

    @Test("documents an earlier version wrote as two files (.bin + .json) are still served, removed and swept")
    func legacyPairs() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60))
        for (id, bytes) in [("bbbb0001", [UInt8](repeating: 5, count: 10)), ("bbbb0002", [6])] {
            FileManager.default.createFile(atPath: "\(dir)/\(id).bin", contents: Data(bytes))
            FileManager.default.createFile(atPath: "\(dir)/\(id).json", contents: Data(
                #"{"contentType":"application/pdf","filename":"old.pdf","etag":"\"old\"","size":\#(bytes.count)}"#.utf8))
        }
        let got = try #require(try await store.get(JobID("bbbb0001")))
        #expect(got.bytes == [UInt8](repeating: 5, count: 10) && got.filename == "old.pdf" && got.etag == "\"old\"")
        #expect(try await store.head(JobID("bbbb0001"))?.contentType == "application/pdf")
        #expect(try await store.remove(JobID("bbbb0001")))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -120)],
                                              ofItemAtPath: dir + "/bbbb0002.json")
        #expect(try await store.purgeExpired() == 1)
        #expect(names(dir).isEmpty, "\(names(dir))")
    }
}
