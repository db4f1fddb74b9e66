import FolioQueue
import Foundation

/// A small, fixed set of long-lived threads for the synchronous, CPU-bound renderer.
///
/// The renderer keeps per-thread font maps and a shaping cache, so renders belong on threads that live as long as the
/// process, never on the async executors. Work is taken first in, first out; ``run(_:)`` suspends the caller (without
/// blocking its executor thread) until a pool thread has run the body.
public final class RenderThreadPool: @unchecked Sendable {
    public let threadCount: Int
    private let condition = NSCondition()
    private var work: [() -> Void] = []
    private var head = 0
    private var stopped = false

    /// Starts `threads` threads (default: one per active core).
    public init(threads: Int = ProcessInfoCores.count, name: String = "folio-render") {
        threadCount = max(1, threads)
        for i in 0..<threadCount {
            let threadName = "\(name)-\(i)"
            let thread = Thread { [self] in
                ThreadNaming.nameCurrentThread(threadName)
                loop()
            }
            thread.name = threadName
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Renders waiting for a thread now.
    public var backlog: Int { condition.lock(); defer { condition.unlock() }; return work.count - head }

    /// Runs `body` on a pool thread and returns its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, any Error>) in
            submit { c.resume(with: Result { try body() }) }
        }
    }

    /// Stops the threads once the queued work is done.
    public func shutdown() {
        condition.lock(); stopped = true; condition.broadcast(); condition.unlock()
    }

    private func submit(_ item: @escaping () -> Void) {
        condition.lock()
        work.append(item)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while head == work.count && !stopped { condition.wait() }
            if head == work.count && stopped { condition.unlock(); return }
            let item = work[head]
            head += 1
            if head > 1024 && head * 2 > work.count { work.removeFirst(head); head = 0 }
            condition.unlock()
            item()
        }
    }
}
