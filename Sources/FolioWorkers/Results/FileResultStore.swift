#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
import Foundation

/// Documents kept on disk in one folder: the embedded engine's store, and the Redis setup's fallback.
///
/// Documents are appended to a few large files, segments (`<created ms>-<token>-<n>.seg`, see ``DocumentSegment``): a
/// line of JSON (id, type, name, ETag, size), then the bytes. An index in memory finds them. Only this process can read
/// what it wrote, which is all it needs: the embedded engine keeps its jobs in memory, so no other process (and no later
/// run) has the job a document belongs to. For the same reason nothing is flushed to the disk (`fsync`).
///
/// Why segments and not a file per document (the earlier design): creating a file costs an inode and a directory entry.
/// Under end-to-end load on a journal-less ext4 that was about 0.6 ms of CPU per document, mostly the kernel stepping
/// over recently deleted inodes. And a day's retention at a few hundred documents a second is tens of millions of files
/// in one folder, which the sweep listed whole every five minutes.
///
/// Each store holds a lock file (`<token>.lock`) while it lives; another store's sweep deletes the segments of one that
/// is gone (its process exited or crashed) at once, so a restart does not keep the previous run's documents, which no
/// job can reach, on disk for a whole time to live.
///
/// A document is readable once its bytes are written, never half. A segment takes new documents until it holds
/// ``segmentBytes`` or is ``segmentAge`` old. It is deleted once its newest document is past the time to live (older
/// ones are no longer served from the moment they expire). A removed or replaced document's bytes are freed at once: a
/// hole is punched in the segment, or zeros are written where the file system cannot punch one.
///
/// File system calls run on a queue of their own, never on the caller's thread: `folio serve` runs its tasks on the event
/// loops that serve HTTP, and a slow disk must not stall every connection.
public final class FileResultStore: ResultStore, Sendable {
    public let directory: String
    public let timeToLive: Duration
    public let segmentBytes: Int64
    public let segmentAge: Duration
    private let now: @Sendable () -> Int64
    /// Names this store's segments apart from those of another process using the same folder.
    private let token = String(UUID().uuidString.prefix(8)).lowercased()
    /// Held, never read: while this store lives, others see its segments as taken.
    private let owner: StoreOwnerLock
    private let state = LockedState(State())

    private struct Entry {
        let segment: DocumentSegment
        let offset: Int64
        /// The header line's length: the bytes start after it.
        let headerLength: Int
        let size: Int
        /// Type, name and ETag, without the bytes (what `head` answers).
        let headers: StoredDocument
        let storedAtMs: Int64
    }

    private struct State {
        var index: [JobID: Entry] = [:]
        var segments: [String: DocumentSegment] = [:]
        var current: DocumentSegment?
        var sequence = 0
    }

    struct Header: Codable { var id: String; var contentType: String; var filename: String; var etag: String; var size: Int }

    private static let io = DispatchQueue(label: "folio.file-results", attributes: .concurrent)

    private func offLoop<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in Self.io.async { c.resume(with: Result(catching: body)) } }
    }

    /// - Parameters:
    ///   - segmentBytes: a segment takes no new document once it holds this many bytes (a larger document gets one of
    ///     its own).
    ///   - segmentAge: nor once it is this old; by default a sixteenth of the time to live (at least a second), so
    ///     the disk holds documents at most about 6 % longer than their time to live.
    ///   - now: the clock, in milliseconds since 1970 (tests move it).
    public init(directory: String, timeToLive: Duration = .seconds(24 * 3600), segmentBytes: Int64 = 64 << 20,
                segmentAge: Duration? = nil, now: @escaping @Sendable () -> Int64 = { Clock.nowMs() }) throws {
        self.directory = directory
        self.timeToLive = timeToLive
        self.segmentBytes = max(1, segmentBytes)
        self.segmentAge = segmentAge ?? max(.seconds(1), timeToLive / 16)
        self.now = now
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            owner = try StoreOwnerLock(directory: directory, token: token)
        } catch {
            throw QueueError(.invalidConfiguration, "the results folder \(directory) cannot be used (\(Self.reason(error))); "
                             + "set results_dir to a folder this process may create and write")
        }
    }

    /// The operating system's words for why a folder could not be made or locked.
    private static func reason(_ error: any Error) -> String {
        if let e = error as? QueueError { return e.message }
        if let underlying = (error as? CocoaError)?.underlying {
            if let posix = underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
            let ns = underlying as NSError
            if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        }
        return (error as NSError).localizedDescription
    }

    /// The token of the store that wrote a segment (`<ms>-<token>-<n>.seg`) or holds a lock file (`<token>.lock`).
    static func owner(ofFile name: String) -> String? {
        if name.hasSuffix(".lock") { return String(name.dropLast(5)) }
        guard name.hasSuffix(".seg") else { return nil }
        let parts = name.dropLast(4).split(separator: "-")
        return parts.count == 3 ? String(parts[1]) : nil
    }

    private func isValid(_ id: JobID) -> Bool {
        !id.rawValue.isEmpty && id.rawValue.count <= 64
            && id.rawValue.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private func isExpired(_ storedAtMs: Int64, now: Int64) -> Bool { now - storedAtMs > timeToLive.milliseconds }

    public func put(_ document: StoredDocument, for id: JobID) async throws {
        guard isValid(id) else { throw QueueError(.invalidConfiguration, "invalid result id \(id)") }
        let header = Header(id: id.rawValue, contentType: document.contentType, filename: document.filename,
                            etag: document.etag, size: document.bytes.count)
        // JSON text has no raw line break (JSONEncoder escapes them in strings), so the first line is the whole header.
        var record = [UInt8](try JSONCoding.encoder.encode(header))
        record.append(UInt8(ascii: "\n"))
        let headerLength = record.count
        record += document.bytes
        let (segment, offset) = try await offLoop { [record] in try self.write(record) }
        let entry = Entry(segment: segment, offset: offset, headerLength: headerLength, size: document.bytes.count,
                          headers: StoredDocument(bytes: [], contentType: document.contentType, filename: document.filename,
                                                  etag: document.etag),
                          storedAtMs: now())
        let replaced = state.withLock { s -> (Entry, deleteSegment: Bool)? in
            segment.pending -= 1
            let old = s.index.updateValue(entry, forKey: id)
            segment.ids.insert(id)
            segment.newestMs = max(segment.newestMs, entry.storedAtMs)
            return old.map { ($0, release($0, id: id, in: &s)) }
        }
        if let (old, deleteSegment) = replaced { try? await discard(old, deleteSegment: deleteSegment) }
    }

    /// Appends `record` to the current segment (on the file queue); the caller publishes it and ends its `pending`.
    private func write(_ record: [UInt8]) throws -> (DocumentSegment, Int64) {
        let (segment, offset) = try state.withLock { s in try reserve(Int64(record.count), in: &s) }
        do {
            try segment.write(record, at: offset)
        } catch {
            // The next document starts a new segment. This one goes now if nothing else is in it or on its way (a full
            // disk would otherwise leave one empty file per failed write until the sweep), else once that is gone.
            let deleteNow = state.withLock { s -> Bool in
                segment.pending -= 1
                if s.current === segment { s.current = nil }
                guard segment.isUnused, s.segments[segment.name] === segment else { return false }
                s.segments[segment.name] = nil
                return true
            }
            if deleteNow { unlink(segment.path) }
            throw error
        }
        return (segment, offset)
    }

    /// Where `count` bytes go: the current segment's end, or a new segment's start when it is full or old.
    private func reserve(_ count: Int64, in s: inout State) throws -> (DocumentSegment, Int64) {
        let nowMs = now()
        if let current = s.current, current.size > 0,
           current.size + count > segmentBytes || nowMs - current.createdAtMs >= segmentAge.milliseconds {
            s.current = nil  // the sweep deletes it once nothing in it is left
        }
        let segment: DocumentSegment
        if let current = s.current {
            segment = current
        } else {
            s.sequence += 1
            segment = try DocumentSegment(directory: directory, name: "\(nowMs)-\(token)-\(s.sequence).seg", createdAtMs: nowMs)
            s.segments[segment.name] = segment
            s.current = segment
        }
        let offset = segment.size
        segment.size += count
        segment.pending += 1
        return (segment, offset)
    }

    /// Takes a document out of its segment's bookkeeping; true when that leaves a full segment with nothing in it,
    /// whose file the caller then deletes (``discard(_:deleteSegment:)``).
    private func release(_ entry: Entry, id: JobID, in s: inout State) -> Bool {
        let segment = entry.segment
        if s.index[id]?.segment !== segment { segment.ids.remove(id) }
        guard segment.isUnused, s.current !== segment, s.segments[segment.name] === segment else { return false }
        s.segments[segment.name] = nil
        return true
    }

    /// Frees a document's bytes, or deletes its segment when nothing else is left in it.
    private func discard(_ entry: Entry, deleteSegment: Bool) async throws {
        try await offLoop {
            if deleteSegment { unlink(entry.segment.path) } else {
                entry.segment.erase(entry.headerLength + entry.size, at: entry.offset)
            }
        }
    }

    private func entry(_ id: JobID) -> Entry? {
        let nowMs = now()
        return state.withLock { s in s.index[id] }.flatMap { isExpired($0.storedAtMs, now: nowMs) ? nil : $0 }
    }

    public func get(_ id: JobID) async throws -> StoredDocument? {
        guard let e = entry(id) else { return nil }
        guard let bytes = try await offLoop({ try e.segment.read(e.size, at: e.offset + Int64(e.headerLength)) }) else {
            return nil
        }
        // Removed or replaced while being read: its bytes may have been erased meanwhile (the index changes first).
        let current = state.withLock { s in s.index[id] }
        guard let current, current.segment === e.segment, current.offset == e.offset else { return nil }
        var document = e.headers
        document.bytes = bytes
        return document
    }

    public func head(_ id: JobID) async throws -> StoredDocument? {
        entry(id)?.headers
    }

    @discardableResult
    public func remove(_ id: JobID) async throws -> Bool {
        let removed = state.withLock { s -> (Entry, deleteSegment: Bool)? in
            guard let old = s.index.removeValue(forKey: id) else { return nil }
            return (old, release(old, id: id, in: &s))
        }
        guard let (old, deleteSegment) = removed else { return false }
        try await discard(old, deleteSegment: deleteSegment)
        return true
    }

    /// Deletes the segments whose newest document has expired (and empty ones), forgetting their documents; then files
    /// of earlier runs (and an earlier version's file per document) once they are older than the time to live. Returns
    /// how many documents it forgot, plus how many document files of earlier versions it deleted.
    public func purgeExpired() async throws -> Int {
        let nowMs = now()
        let (dropped, doomed) = state.withLock { s -> (Int, [String]) in
            var dropped = 0
            var doomed: [String] = []
            // Per segment, not per document: documents expire in the order they were written, and one whose segment is
            // still young is already refused by `get` and `head`.
            for segment in Array(s.segments.values) where segment.pending == 0
                && (isExpired(segment.newestMs, now: nowMs) || (segment.ids.isEmpty && s.current !== segment)) {
                if s.current === segment { s.current = nil }
                for id in segment.ids where s.index[id]?.segment === segment { s.index[id] = nil; dropped += 1 }
                s.segments[segment.name] = nil
                doomed.append(segment.path)
            }
            return (dropped, doomed)
        }
        let ours = Set(state.withLock { s in Array(s.segments.keys) })
        let directory = self.directory, ttlMs = timeToLive.milliseconds, token = self.token
        let earlier = try await offLoop { () -> Int in
            for path in doomed { unlink(path) }
            var n = 0
            var gone: [String: Bool] = [:]
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where !ours.contains(name) {
                let path = directory + "/" + name
                // Another store's files: its segments go at once when that store is gone (its process exited or
                // crashed: no job can reach them any more), its lock file with it.
                if let owner = Self.owner(ofFile: name), owner != token {
                    let isGone = gone[owner] ?? StoreOwnerLock.isGone(directory: directory, token: owner)
                    gone[owner] = isGone
                    if isGone && name.hasSuffix(".seg") { unlink(path); continue }
                }
                var st = stat()
                guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                      nowMs - (Int64(st.st_mtim.tv_sec) * 1000 + Int64(st.st_mtim.tv_nsec) / 1_000_000) > ttlMs else { continue }
                // Segments without a lock file, an earlier version's `.doc` files and `.bin` + `.json` pairs, temporary files.
                let known = name.hasSuffix(".seg") || name.hasSuffix(".doc") || name.hasSuffix(".bin") || name.hasSuffix(".json")
                    || (name.hasPrefix(".") && name.hasSuffix(".tmp"))
                guard known, unlink(path) == 0 else { continue }
                if name.hasSuffix(".doc") || name.hasSuffix(".json") { n += 1 }
            }
            return n
        }
        return dropped + earlier
    }
}
