import FolioQueue
import Foundation
import Glibc

/// A redis-server of a test's own (from FOLIO_TEST_REDIS_SERVER) on a free loopback port, with AOF fsynced on every write,
/// that the test can kill and start again on the same port and data directory.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    public let dir: URL
    private var process: Process?

    public init() throws {
        port = try Self.freePort()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("folio-redis-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }

    public func start() async throws {
        guard let server = ProcessInfo.processInfo.environment["FOLIO_TEST_REDIS_SERVER"] else { throw QueueError(.invalidConfiguration, "FOLIO_TEST_REDIS_SERVER is not set") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: server)
        p.arguments = ["--bind", "127.0.0.1", "--port", "\(port)", "--dir", dir.path, "--appendonly", "yes",
                       "--appendfsync", "always", "--save", "", "--logfile", dir.appendingPathComponent("redis.log").path]
        try p.run()
        process = p
        // Wait until it accepts connections: readiness of another process, so a bounded connect loop.
        for _ in 0..<200 {
            if Self.canConnect(port) { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw QueueError(.timeout, "redis-server on port \(port) did not start")
    }

    public func kill() {
        guard let p = process else { return }
        Glibc.kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    public func stop() {
        kill()
        try? FileManager.default.removeItem(at: dir)
    }

    public static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard ok else { throw QueueError(.unavailable, "no free port") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
