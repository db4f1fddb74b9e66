import FolioQueue
import Foundation

/// A real child process whose standard output arrives as lines.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let lines: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private var buffer = Data()
    let all = LockedState<[String]>([])

    init(_ executable: URL, _ arguments: [String]) throws {
        (lines, continuation) = AsyncStream<String>.makeStream()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
            guard let self else { return }
            let chunk = h.availableData
            if chunk.isEmpty { self.continuation.finish(); h.readabilityHandler = nil; return }
            self.buffer.append(chunk)
            while let nl = self.buffer.firstIndex(of: 10) {
                let line = String(decoding: self.buffer[self.buffer.startIndex..<nl], as: UTF8.self)
                self.buffer.removeSubrange(self.buffer.startIndex...nl)
                self.all.withLock { $0.append(line) }
                self.continuation.yield(line)
            }
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    func kill(_ signal: Int32 = SIGKILL) { Glibc.kill(process.processIdentifier, signal) }
    func waitExit() { process.waitUntilExit() }

    /// Waits until `count` lines satisfying `predicate` have been printed (counting from the start), or throws after `timeout`.
    func waitForLines(_ count: Int, timeout: Duration = .seconds(30), where predicate: @escaping @Sendable (String) -> Bool) async throws {
        if all.withLock({ $0.filter(predicate).count }) >= count { return }
        let stream = lines
        let got = try await withThrowingTaskGroup(of: Bool.self) { g in
            g.addTask {
                for await _ in stream where self.all.withLock({ $0.filter(predicate).count }) >= count { return true }
                return self.all.withLock({ $0.filter(predicate).count }) >= count
            }
            g.addTask { try await Task.sleep(for: timeout); return false }
            defer { g.cancelAll() }
            return try await g.next()!
        }
        if !got { throw QueueError(.timeout, "child \(pid) printed fewer than \(count) matching lines: \(all.withLock { $0 })") }
    }

    /// The test worker built next to the test bundle.
    static var testWorker: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("folio-queue-testworker")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug/folio-queue-testworker")
    }
}
