#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import FolioQueue
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
    /// process keeps the high-water mark of every thread; one arena per core keeps that lower for the short-lived
    /// commands (`preview`, `templates`, `bench queue`). Not for `serve` and `worker`: there a dozen threads allocate at
    /// once, and sharing two arenas made each render about 12% slower (lock waits in malloc) for no lower peak (85 MiB
    /// either way after an end-to-end run). Not for `bench render` either: its two render threads then shared one arena
    /// in about half the runs (measured: 385–452 instead of ~670 invoices/s, 4.2 instead of 2.9 ms of CPU each), for
    /// about 16 MiB less peak memory.
    static func limitMallocArenas() {
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        mallopt(-8, max(2, ProcessInfoCores.count))  // M_ARENA_MAX
    }

    /// Every PDF page is compressed by zlib, whose ~260 KB of state is allocated and freed per stream. Freeing it left
    /// more than glibc's default 128 KB free at the top of a render thread's arena, so glibc handed the pages back to the
    /// kernel (`madvise`, about 5 per document, each a TLB flush on every core) and took them again on the next page (57
    /// page faults per document, measured under end-to-end load). glibc raises both thresholds by itself once a large
    /// block is freed, up to 32 MiB for mappings and 64 MiB for the top it keeps; a one-page document never frees such a
    /// block, so the thresholds start there instead. Blocks of 32 MiB and more (very large PNG surfaces) still get their
    /// own mapping, returned when freed. Operators' own `GLIBC_TUNABLES` or `MALLOC_*_` settings win.
    static func keepMallocArenaTops() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["GLIBC_TUNABLES"] == nil, environment["MALLOC_TRIM_THRESHOLD_"] == nil,
              environment["MALLOC_MMAP_THRESHOLD_"] == nil else { return }
        mallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD (setting either fixes both: no dynamic adjustment afterwards)
        mallopt(-1, 64 << 20)  // M_TRIM_THRESHOLD
    }

    /// glibc's `mallopt`, which is not in the Glibc module map.
    private static func mallopt(_ option: Int32, _ value: Int) {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: MallOpt.self)(option, Int32(value))
        #endif
    }
}

extension ProcessTuning {
    /// The service's tasks run on the NIO event loop threads instead of a second pool of threads: a request's handler, its
    /// Redis call and its response no longer hop between the two pools (measured in benchmarks/http.sh).
    static func runSwiftConcurrencyOnEventLoops() {
        // One event loop per core this process may use (NIO itself counts quotas and cpusets, not `taskset`'s affinity).
        if ProcessInfo.processInfo.environment["NIO_SINGLETON_GROUP_LOOP_COUNT"] == nil {
            NIOSingletons.groupLoopCountSuggestion = ProcessInfoCores.count
        }
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
