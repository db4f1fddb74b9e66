#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
import Foundation

/// Documents kept as files in one folder: the embedded engine's store. One file per document, `<id>.doc`: a line of
/// JSON (type, name, ETag, size), then the bytes.
///
/// A document is written to a temporary file and renamed into place, so a reader sees all of it or none of it. It is
/// not flushed to the disk (`fsync`): the embedded engine keeps its jobs in memory, so a document that outlived a crash
/// would have no job left to serve it; with Redis, documents live in Redis. Measured under end-to-end load, the
/// previous two files per document, each written with Foundation's `.atomic` (temporary file, `fsync`, rename), took
/// about 1.9 ms of CPU per document on a busy file system: mostly ext4 finding free inodes among recently deleted ones.
///
/// File system calls run on a queue of their own, never on the caller's thread: `folio serve` runs its tasks on the
/// event loops that serve HTTP, and a slow disk (or a sweep of a large folder) must not stall every connection.
public final class FileResultStore: ResultStore, Sendable {
    private static let io = DispatchQueue(label: "folio.file-results", attributes: .concurrent)

    private func offLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in Self.io.async { c.resume(with: Result(catching: body)) } }
    }

    public let directory: String
    public let timeToLive: Duration

    public init(directory: String, timeToLive: Duration = .seconds(24 * 3600)) throws {
        self.directory = directory
        self.timeToLive = timeToLive
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    struct Meta: Codable { var contentType: String; var filename: String; var etag: String; var size: Int }

    /// The document's file, and the two files an earlier version wrote (`.bin` + `.json`), still read and swept.
    private struct Paths { var document: String; var legacyData: String; var legacyMeta: String }

    private func paths(_ id: JobID) -> Paths? {
        // Ids are made by the queue; anything else (a path, a dot) never names a file.
        guard !id.rawValue.isEmpty, id.rawValue.count <= 64,
              id.rawValue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        let base = directory + "/" + id.rawValue
        return Paths(document: base + ".doc", legacyData: base + ".bin", legacyMeta: base + ".json")
    }

    public func put(_ document: StoredDocument, for id: JobID) async throws {
        guard let p = paths(id) else { throw QueueError(.invalidConfiguration, "invalid result id \(id)") }
        let meta = Meta(contentType: document.contentType, filename: document.filename, etag: document.etag,
                        size: document.bytes.count)
        // JSON text has no raw line break (JSONEncoder escapes them in strings), so the first line is the whole header.
        var contents = [UInt8](try JSONCoding.encoder.encode(meta))
        contents.append(UInt8(ascii: "\n"))
        contents += document.bytes
        let directory = self.directory
        try await offLoop { [contents] in
            try Self.writeReplacing(p.document, contents, in: directory)
            _ = Self.removeLegacy(p)
        }
    }

    /// Writes `contents` to a new file beside `path`, then renames it to `path`.
    private static func writeReplacing(_ path: String, _ contents: [UInt8], in directory: String) throws {
        let temporary = directory + "/.\(UUID().uuidString).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw storeError("cannot create \(temporary)", errno) }
        var written = 0
        let writeError = contents.withUnsafeBytes { buffer -> Int32 in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { return errno }
                if n == 0 { return EIO }
                written += n
            }
            return 0
        }
        let closeError = close(fd) == 0 ? 0 : errno
        if writeError != 0 || closeError != 0 {
            unlink(temporary)
            throw storeError("cannot write \(temporary)", writeError != 0 ? writeError : closeError)
        }
        guard rename(temporary, path) == 0 else {
            let renameError = errno
            unlink(temporary)
            throw storeError("cannot rename \(temporary) to \(path)", renameError)
        }
    }

    private static func storeError(_ what: String, _ code: Int32) -> QueueError {
        QueueError(.unavailable, "\(what): \(String(cString: strerror(code)))")
    }

    private func isExpired(modified: Date?) -> Bool {
        guard let modified else { return true }
        return Date().timeIntervalSince(modified) * 1000 > Double(timeToLive.milliseconds)
    }

    private func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The header and where the bytes start, from a document file's first bytes.
    private static func header(_ bytes: some Collection<UInt8>) -> (Meta, Int)? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")),
              let meta = try? JSONCoding.decoder.decode(Meta.self, from: Data(bytes[..<newline])) else { return nil }
        return (meta, bytes.distance(from: bytes.startIndex, to: newline) + 1)
    }

    public func get(_ id: JobID) async throws -> StoredDocument? {
        guard let p = paths(id) else { return nil }
        return try await offLoop { [self] in
            if let data = FileManager.default.contents(atPath: p.document) {
                guard !isExpired(modified: modified(p.document)), let (m, start) = Self.header(data) else { return nil }
                return StoredDocument(bytes: [UInt8](data.dropFirst(start)), contentType: m.contentType, filename: m.filename,
                                      etag: m.etag)
            }
            guard let m = legacyMeta(p), let bytes = FileManager.default.contents(atPath: p.legacyData) else { return nil }
            return StoredDocument(bytes: [UInt8](bytes), contentType: m.contentType, filename: m.filename, etag: m.etag)
        }
    }

    public func head(_ id: JobID) async throws -> StoredDocument? {
        guard let p = paths(id) else { return nil }
        return try await offLoop { [self] in
            if let file = FileHandle(forReadingAtPath: p.document) {
                defer { try? file.close() }
                // The header is a few hundred bytes; the document is not read.
                guard !isExpired(modified: modified(p.document)), let first = try file.read(upToCount: 64 * 1024),
                      let (m, _) = Self.header(first) else { return nil }
                return StoredDocument(bytes: [], contentType: m.contentType, filename: m.filename, etag: m.etag)
            }
            guard let m = legacyMeta(p) else { return nil }
            return StoredDocument(bytes: [], contentType: m.contentType, filename: m.filename, etag: m.etag)
        }
    }

    private func legacyMeta(_ p: Paths) -> Meta? {
        guard !isExpired(modified: modified(p.legacyMeta)), let d = FileManager.default.contents(atPath: p.legacyMeta) else { return nil }
        return try? JSONCoding.decoder.decode(Meta.self, from: d)
    }

    @discardableResult
    public func remove(_ id: JobID) async throws -> Bool {
        guard let p = paths(id) else { return false }
        return try await offLoop {
            let existed = unlink(p.document) == 0
            return Self.removeLegacy(p) || existed
        }
    }

    private static func removeLegacy(_ p: Paths) -> Bool {
        let existed = unlink(p.legacyMeta) == 0
        unlink(p.legacyData)
        return existed
    }

    /// Removes expired documents, and temporary files left by a write that never finished (a crash mid-write).
    public func purgeExpired() async throws -> Int {
        try await offLoop { [self] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var n = 0
            for name in names {
                let path = directory + "/" + name
                if name.hasSuffix(".doc") || name.hasSuffix(".json") {
                    guard isExpired(modified: modified(path)),
                          let p = paths(JobID(String(name.prefix(upTo: name.lastIndex(of: ".")!)))) else { continue }
                    if unlink(p.document) == 0 { n += 1 }
                    if Self.removeLegacy(p) { n += 1 }
                } else if name.hasPrefix("."), name.hasSuffix(".tmp"), isExpired(modified: modified(path)) {
                    unlink(path)
                }
            }
            return n
        }
    }
}
