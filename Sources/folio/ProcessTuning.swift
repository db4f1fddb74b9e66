#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
import NIOCore
import NIOPosix

/// Process-wide settings made once at start, before any thread exists.
enum ProcessTuning {
    /// Line-buffered standard output, so `--watch` and long-running commands show each line when it happens even
    /// when their output goes to a pipe or a log file.
    static func lineBufferedOutput() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }

    /// glibc gives every thread that allocates its own malloc arena and rarely returns an arena's freed pages, so a
    /// process whose render threads each build and drop a document keeps the high-water mark of every thread. One
    /// arena per core keeps `folio bench render`'s peak memory about 25 MiB lower at the same throughput. Not for
    /// `serve` and `worker`: there a dozen threads allocate at once, and sharing two arenas made each render about 12%
    /// slower (lock waits in malloc) for no lower peak (85 MiB either way after an end-to-end run).
    static func limitMallocArenas() {
        #if canImport(Glibc)
        // mallopt is not in the Glibc module map; M_ARENA_MAX is -8 in <malloc.h>.
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil,
              let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        _ = mallopt(-8, Int32(max(2, ProcessInfo.processInfo.activeProcessorCount)))
        #endif
    }
}

extension ProcessTuning {
    /// The service's tasks run on the NIO event loop threads instead of a second pool of threads: a request's handler, its
    /// Redis call and its response no longer hop between the two pools (measured in benchmarks/http.sh).
    static func runSwiftConcurrencyOnEventLoops() {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
