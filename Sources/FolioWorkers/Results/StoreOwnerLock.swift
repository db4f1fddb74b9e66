#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
import Foundation

/// A lock file (`<token>.lock`) that a ``FileResultStore`` holds for as long as it lives, so that another store sharing
/// the folder can tell its segments from those of a process that is gone (exited or crashed): the kernel releases the
/// lock with the process. Without it, a restarted service would keep the previous run's documents, which no job can
/// reach any more, on disk for a whole `result_ttl`.
final class StoreOwnerLock: Sendable {
    let path: String
    private let fd: Int32

    /// Takes the lock for `token` (a store cannot work without it: others would take its segments for a dead
    /// process's).
    init(directory: String, token: String) throws {
        path = directory + "/" + token + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DocumentSegment.error("cannot create \(path)", errno) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let e = errno
            close(fd)
            throw DocumentSegment.error("cannot lock \(path)", e)
        }
    }

    deinit {
        unlink(path)
        close(fd)
    }

    /// Whether the store that named its files `token` is gone: its lock file is missing or nobody holds it.
    static func isGone(directory: String, token: String) -> Bool {
        let path = directory + "/" + token + ".lock"
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return errno == ENOENT }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        unlink(path)
        flock(fd, LOCK_UN)
        return true
    }
}
