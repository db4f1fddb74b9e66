#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
import FolioWorkers
import Foundation
import Testing

/// The embedded engine's document store: documents appended to a few segment files, readable whole or not at all,
/// erased when removed, expiring on their own.
@Suite("File result store") struct FileResultStoreTests {
    func folder() -> String { NSTemporaryDirectory() + "folio-files-" + UUID().uuidString.prefix(8) }

    func names(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    func segments(_ dir: String) -> [String] { names(dir).filter { $0.hasSuffix(".seg") } }

    func doc(_ bytes: [UInt8], etag: String = "\"e\"") -> StoredDocument {
        StoredDocument(bytes: bytes, contentType: "application/pdf", filename: "a.pdf", etag: etag)
    }

    /// Every segment's bytes, as one string, to look for what must (not) be on the disk.
    func disk(_ dir: String) -> String {
        names(dir).map { String(decoding: FileManager.default.contents(atPath: dir + "/" + $0) ?? Data(), as: UTF8.self) }
            .joined()
    }

    /// A clock the test moves.
    final class TestClock: Sendable {
        let ms = LockedState(Clock.nowMs())
        func advance(seconds: Int64) { ms.withLock { $0 += seconds * 1000 } }
        var now: @Sendable () -> Int64 { { self.ms.withLock { $0 } } }
    }

    @Test("documents round-trip with their headers in one segment file; a second write replaces the first and erases it")
    func roundTrip() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60))
        let id = JobID("0123abcd")
        let bytes: [UInt8] = Array("%PDF-1.7\nFIRST-VERSION".utf8) + [0, 10, 13, 255] + Array(repeating: 7, count: 70_000)
        try await store.put(StoredDocument(bytes: bytes, contentType: "application/pdf", filename: "inv \"1\"\n.pdf",
                                           etag: "\"0123abcd-1\""), for: id)
        for n in 1...20 { try await store.put(doc(Array("other \(n)".utf8)), for: JobID(String(format: "%08d", n))) }
        let got = try #require(try await store.get(id))
        #expect(got.bytes == bytes && got.contentType == "application/pdf" && got.filename == "inv \"1\"\n.pdf"
                && got.etag == "\"0123abcd-1\"")
        let head = try #require(try await store.head(id))
        #expect(head.bytes.isEmpty && head.etag == "\"0123abcd-1\"" && head.filename == got.filename)
        #expect(segments(dir).count == 1 && names(dir).count == 2, "21 documents, one segment (and the lock): \(names(dir))")
        #expect(try await store.get(JobID("00000007"))?.bytes == Array("other 7".utf8))

        try await store.put(StoredDocument(bytes: [1, 2, 3], contentType: "image/png", filename: "a.png", etag: "\"e-2\""), for: id)
        let second = try #require(try await store.get(id))
        #expect(second.bytes == [1, 2, 3] && second.contentType == "image/png" && second.etag == "\"e-2\"")
        #expect(!disk(dir).contains("FIRST-VERSION"), "the replaced document's bytes are gone from the disk")
        #expect(try await store.remove(id))
        let afterRemove = try await store.get(id), headAfterRemove = try await store.head(id)
        #expect(afterRemove == nil && headAfterRemove == nil)
        #expect(try await store.remove(id) == false)
        #expect(try await store.get(JobID("00000020"))?.bytes == Array("other 20".utf8), "the others are untouched")
        // An id that is not the queue's never names anything.
        #expect(try await store.get(JobID("../etc/passwd")) == nil)
        await #expect(throws: QueueError.self) { try await store.put(doc([1]), for: JobID("a/b")) }
    }

    @Test("a removed document's bytes are erased from the disk at once; a full segment left empty is deleted")
    func removeErases() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60), segmentBytes: 100_000)
        func secret(_ n: Int) -> [UInt8] { Array(String(repeating: "SECRET-\(n)-", count: 4_000).utf8) }  // 36 KB
        for n in 1...5 { try await store.put(doc(secret(n)), for: JobID("aaaa000\(n)")) }
        #expect(segments(dir).count == 3, "two 36 KB documents per 100 KB segment: \(names(dir))")
        try await store.remove(JobID("aaaa0003"))
        #expect(!disk(dir).contains("SECRET-3-") && disk(dir).contains("SECRET-4-"))
        #expect(segments(dir).count == 3)
        try await store.remove(JobID("aaaa0001"))
        try await store.remove(JobID("aaaa0002"))
        #expect(segments(dir).count == 2, "the first segment held nothing more, so it went: \(names(dir))")
        for n in [4, 5] { #expect(try await store.get(JobID("aaaa000\(n)"))?.bytes == secret(n)) }
    }

    @Test("past its time to live a document is refused at once; the sweep deletes expired segments and old files of earlier versions")
    func expiry() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = TestClock()
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60), now: clock.now)
        // Files an earlier version left, older than the time to live: a crashed write, documents of the one file per
        // document store and of the version before it (two files each). And a file that is not the store's.
        let old = Date(timeIntervalSinceNow: -3600)
        for name in [".crashed.tmp", "bbbb0001.doc", "bbbb0002.bin", "bbbb0002.json", "notes.txt"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data([9]))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir + "/" + name)
        }
        try await store.put(doc([1]), for: JobID("aaaa0001"))
        clock.advance(seconds: 30)
        try await store.put(doc([2]), for: JobID("aaaa0002"))
        clock.advance(seconds: 31)
        let expired = try await store.get(JobID("aaaa0001")), expiredHead = try await store.head(JobID("aaaa0001"))
        #expect(expired == nil && expiredHead == nil, "61 s after it was stored")
        #expect(try await store.get(JobID("aaaa0002"))?.bytes == [2])
        #expect(segments(dir).count == 2)
        // The first document's segment (written 61 s ago), plus the earlier version's two documents (.doc and .json).
        #expect(try await store.purgeExpired() == 3)
        let segments = segments(dir)
        #expect(segments.count == 1 && names(dir).contains("notes.txt") && names(dir).count == 3, "\(names(dir))")
        #expect(try await store.get(JobID("aaaa0002"))?.bytes == [2])
        clock.advance(seconds: 30)
        #expect(try await store.purgeExpired() == 1)
        #expect(names(dir).filter { !$0.hasSuffix(".lock") } == ["notes.txt"], "\(names(dir))")
        // The store goes on after its current segment was swept.
        try await store.put(doc([3]), for: JobID("aaaa0003"))
        #expect(try await store.get(JobID("aaaa0003"))?.bytes == [3])
    }

    @Test("another store's segments stay while it lives and go at the next sweep once it is gone, however young")
    func goneStores() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(3600))
        var other: FileResultStore? = try FileResultStore(directory: dir, timeToLive: .seconds(3600))
        try await other!.put(doc([7]), for: JobID("eeee0001"))
        // A crashed run: a young segment whose lock file went with its process.
        FileManager.default.createFile(atPath: dir + "/1700000000000-0a1b2c3d-1.seg", contents: Data([9]))
        try await store.put(doc([1]), for: JobID("eeee0002"))
        #expect(segments(dir).count == 3)
        _ = try await store.purgeExpired()
        #expect(segments(dir).count == 2, "the crashed run's went; the live store's stayed")
        #expect(try await other!.get(JobID("eeee0001"))?.bytes == [7])
        other = nil
        _ = try await store.purgeExpired()
        #expect(segments(dir).count == 1, "\(names(dir))")
        #expect(names(dir).filter { $0.hasSuffix(".lock") }.count == 1, "only this store's lock is left: \(names(dir))")
        #expect(try await store.get(JobID("eeee0002"))?.bytes == [1])
    }

    @Test("concurrent writes, reads and removals: every read is the document whole, or nothing")
    func concurrency() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60), segmentBytes: 256 << 10)
        func bytes(_ n: Int) -> [UInt8] { Array(String(repeating: "document \(n);", count: 500).utf8) }
        try await withThrowingTaskGroup(of: Void.self) { g in
            for n in 0..<200 {
                g.addTask {
                    let id = JobID(String(format: "cccc%04d", n))
                    try await store.put(doc(bytes(n)), for: id)
                    async let read = store.get(id)
                    async let removed: Bool = n.isMultiple(of: 2) ? store.remove(id) : false
                    let got = try await read
                    _ = try await removed
                    #expect(got == nil || got?.bytes == bytes(n), "document \(n) read whole or not at all")
                    if !n.isMultiple(of: 2) { #expect(try await store.get(id)?.bytes == bytes(n)) }
                }
            }
            try await g.waitForAll()
        }
        for n in stride(from: 1, to: 200, by: 2) {
            #expect(try await store.get(JobID(String(format: "cccc%04d", n)))?.bytes == bytes(n))
        }
    }

    @Test("a results folder that cannot be made is refused at start, naming the folder and the reason")
    func unusableFolder() throws {
        let file = folder()
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        defer { try? FileManager.default.removeItem(atPath: file) }
        do {
            _ = try FileResultStore(directory: file + "/results")
            Issue.record("a folder under a file was accepted")
        } catch let e as QueueError {
            #expect(e.code == .invalidConfiguration)
            #expect(e.message.contains(file + "/results") && e.message.contains("Not a directory"), "\(e.message)")
        }
    }

    @Test("a write that fails (the folder deleted under the store) says where; the next one makes the folder and a segment again")
    func writeFailure() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60))
        try await store.put(doc([1]), for: JobID("dddd0001"))
        try FileManager.default.removeItem(atPath: dir)
        let error = await #expect(throws: QueueError.self) { try await store.put(doc([2]), for: JobID("dddd0002")) }
        #expect(error?.code == .unavailable && error?.message.contains(dir) == true, "\(String(describing: error))")
        try await store.put(doc([3]), for: JobID("dddd0003"))
        #expect(try await store.get(JobID("dddd0003"))?.bytes == [3])
        #expect(try await store.get(JobID("dddd0001")) == nil, "its segment was deleted with the folder")
    }

    @Test("a write the disk refuses (here: past the process's file-size limit) leaves no empty segment file behind")
    func refusedWriteLeavesNoFile() async throws {
        let dir = folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileResultStore(directory: dir, timeToLive: .seconds(60), segmentBytes: 1)
        try await store.put(doc([1]), for: JobID("eeee0001"))
        let before = segments(dir)
        // Each refused write starts a new segment: without their removal, three files more would be left.
        try await withFileSizeLimit(1 << 16) {
            for n in 2...4 {
                let big = doc([UInt8](repeating: UInt8(n), count: 1 << 17))
                _ = await #expect(throws: QueueError.self) { try await store.put(big, for: JobID("eeee000\(n)")) }
            }
        }
        #expect(segments(dir) == before, "\(segments(dir))")
        try await store.put(doc([5]), for: JobID("eeee0005"))
        #expect(try await store.get(JobID("eeee0005"))?.bytes == [5])
        #expect(try await store.get(JobID("eeee0001"))?.bytes == [1])
    }

    /// Runs `body` with writes past `bytes` in any file refused (`EFBIG`, with the signal that would end the process
    /// ignored), then restores both.
    func withFileSizeLimit(_ bytes: Int, _ body: () async throws -> Void) async throws {
        var old = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &old)
        var limit = old
        limit.rlim_cur = rlim_t(bytes)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
        defer { setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &old); signal(SIGXFSZ, oldHandler) }
        try await body()
    }
}
