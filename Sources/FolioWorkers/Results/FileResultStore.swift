import FolioQueue
import Foundation

/// Documents kept as files in one folder: the embedded engine's store. One file per document plus a small JSON sidecar.
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

    private func paths(_ id: JobID) -> (data: String, meta: String)? {
        // Ids are made by the queue; anything else (a path, a dot) never names a file.
        guard !id.rawValue.isEmpty, id.rawValue.count <= 64,
              id.rawValue.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        return (directory + "/" + id.rawValue + ".bin", directory + "/" + id.rawValue + ".json")
    }

    public func put(_ document: StoredDocument, for id: JobID) async throws {
        guard let p = paths(id) else { throw QueueError(.invalidConfiguration, "invalid result id \(id)") }
        let meta = Meta(contentType: document.contentType, filename: document.filename, etag: document.etag,
                        size: document.bytes.count)
        let metaBytes = try JSONCoding.encoder.encode(meta)
        try await offLoop {
            try Data(document.bytes).write(to: URL(fileURLWithPath: p.data), options: .atomic)
            try metaBytes.write(to: URL(fileURLWithPath: p.meta), options: .atomic)
        }
    }

    private func meta(_ path: String) -> Meta? {
        guard let d = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONCoding.decoder.decode(Meta.self, from: d)
    }

    private func expired(_ path: String) -> Bool {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attrs[.modificationDate] as? Date else { return true }
        return Date().timeIntervalSince(modified) * 1000 > Double(timeToLive.milliseconds)
    }

    public func get(_ id: JobID) async throws -> StoredDocument? {
        guard let p = paths(id) else { return nil }
        return try await offLoop { [self] in
            guard let m = meta(p.meta), !expired(p.meta), let bytes = FileManager.default.contents(atPath: p.data) else { return nil }
            return StoredDocument(bytes: [UInt8](bytes), contentType: m.contentType, filename: m.filename, etag: m.etag)
        }
    }

    public func head(_ id: JobID) async throws -> StoredDocument? {
        guard let p = paths(id) else { return nil }
        return try await offLoop { [self] in
            guard let m = meta(p.meta), !expired(p.meta) else { return nil }
            return StoredDocument(bytes: [], contentType: m.contentType, filename: m.filename, etag: m.etag)
        }
    }

    @discardableResult
    public func remove(_ id: JobID) async throws -> Bool {
        guard let p = paths(id) else { return false }
        return try await offLoop { Self.removeFiles(p) }
    }

    private static func removeFiles(_ p: (data: String, meta: String)) -> Bool {
        let existed = FileManager.default.fileExists(atPath: p.meta)
        try? FileManager.default.removeItem(atPath: p.data)
        try? FileManager.default.removeItem(atPath: p.meta)
        return existed
    }

    public func purgeExpired() async throws -> Int {
        try await offLoop { [self] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var n = 0
            for name in names where name.hasSuffix(".json") {
                let path = directory + "/" + name
                if expired(path), let p = paths(JobID(String(name.dropLast(5)))) {
                    _ = Self.removeFiles(p)
                    n += 1
                }
            }
            return n
        }
    }
}
