import Foundation

extension FileResultStore {
    /// Space left on the file system of the results folder, for refusing new work before documents cannot be written
    /// (a render accepted then would fail after its retries); `nil` when the system does not say.
    public func availableBytes() -> Int64? {
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }
}
