#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
import Foundation

/// One file of the ``FileResultStore``: documents appended one after another, each a line of JSON and then its bytes.
///
/// The bookkeeping (`size`, `newestMs`, `ids`) is changed only under the store's lock; the file itself is written and
/// read at offsets the store hands out, so any number of threads use it at once without a lock.
final class DocumentSegment: @unchecked Sendable {
    let path: String
    let name: String
    let createdAtMs: Int64
    /// Bytes handed out so far: where the next document goes.
    var size: Int64 = 0
    /// When the newest document in it was stored: the segment is deleted once that one is past its time to live.
    var newestMs: Int64
    /// The documents in it that are still in the index.
    var ids: Set<JobID> = []
    /// Documents given a place in it and not written yet: it is not deleted while any are.
    var pending = 0

    /// Nothing in it, nothing on its way.
    var isUnused: Bool { ids.isEmpty && pending == 0 }

    /// Creates the file (it must not exist), and the folder again if it was deleted (a cleaner of temporary files).
    init(directory: String, name: String, createdAtMs: Int64) throws {
        self.path = directory + "/" + name
        self.name = name
        self.createdAtMs = createdAtMs
        self.newestMs = createdAtMs
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT,
           (try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil {
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw Self.error("cannot create \(path)", errno) }
        close(fd)
    }

    /// Writes `bytes` at `offset` (a range the store reserved for them).
    func write(_ bytes: [UInt8], at offset: Int64) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.error("cannot open \(path)", errno) }
        defer { close(fd) }
        let failure = bytes.withUnsafeBytes { buffer in
            Self.repeatUntilDone(buffer.count) { done, left in
                pwrite(fd, buffer.baseAddress! + done, left, off_t(offset) + off_t(done))
            }
        }
        if failure != 0 { throw Self.error("cannot write \(path)", failure == -1 ? EIO : failure) }
    }

    /// `count` bytes from `offset`, or `nil` when the file is gone (deleted as expired meanwhile) or shorter.
    func read(_ count: Int, at offset: Int64) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 && errno == ENOENT { return nil }
        guard fd >= 0 else { throw Self.error("cannot open \(path)", errno) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: count)
        let failure = out.withUnsafeMutableBytes { buffer in
            Self.repeatUntilDone(buffer.count) { done, left in
                pread(fd, buffer.baseAddress! + done, left, off_t(offset) + off_t(done))
            }
        }
        if failure == -1 { return nil }
        if failure != 0 { throw Self.error("cannot read \(path)", failure) }
        return out
    }

    /// Frees a removed document's bytes now: a hole punched in the file (its blocks go back to the file system), or,
    /// where the file system cannot punch holes, zeros written over them. Best effort: the segment goes at its expiry.
    func erase(_ count: Int, at offset: Int64) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        if Self.punchHole(fd, offset, Int64(count)) { return }
        let zeros = [UInt8](repeating: 0, count: min(count, 1 << 20))
        _ = zeros.withUnsafeBytes { buffer in
            Self.repeatUntilDone(count) { done, left in
                pwrite(fd, buffer.baseAddress!, min(buffer.count, left), off_t(offset) + off_t(done))
            }
        }
    }

    /// Calls `io(done, left)` (a `pread` or `pwrite` at the right place) until `count` bytes have moved: 0 then, -1 if
    /// it moved nothing (the end of the file), or the `errno` it failed with. Interrupted calls are repeated.
    private static func repeatUntilDone(_ count: Int, _ io: (_ done: Int, _ left: Int) -> Int) -> Int32 {
        var done = 0
        while done < count {
            let n = io(done, count - done)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return errno }
            if n == 0 { return -1 }
            done += n
        }
        return 0
    }

    /// `fallocate(PUNCH_HOLE | KEEP_SIZE)`, which the Glibc module does not declare.
    private static func punchHole(_ fd: Int32, _ offset: Int64, _ length: Int64) -> Bool {
        guard let symbol = fallocateSymbol else { return false }
        typealias Fallocate = @convention(c) (Int32, Int32, Int64, Int64) -> Int32
        return unsafeBitCast(symbol, to: Fallocate.self)(fd, 0x02 | 0x01, offset, length) == 0
    }

    nonisolated(unsafe) private static let fallocateSymbol: UnsafeMutableRawPointer? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "fallocate")

    static func error(_ what: String, _ code: Int32) -> QueueError {
        QueueError(.unavailable, "\(what): \(String(cString: strerror(code)))")
    }
}
