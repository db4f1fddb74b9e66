#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread as `top -H`, `perf` and debuggers show it. Foundation's `Thread.name` does not reach the
/// kernel on Linux, so without this every render and Redis thread carries the name of the thread that started it.
public enum ThreadNaming {
    /// At most 15 bytes reach the kernel.
    public static func nameCurrentThread(_ name: String) {
        #if canImport(Glibc)
        // pthread_setname_np is a GNU extension the Glibc module does not export.
        guard let symbol = setName else { return }
        typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        _ = short.withCString { unsafeBitCast(symbol, to: SetName.self)(pthread_self(), $0) }
        #endif
    }

    #if canImport(Glibc)
    nonisolated(unsafe) private static let setName = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np")
    #endif
}
