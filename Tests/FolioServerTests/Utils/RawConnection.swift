import Foundation
import Glibc

/// A plain TCP connection to the service, for what an HTTP client library hides: interim `100 Continue` answers,
/// connections that go quiet, requests cut halfway.
final class RawConnection {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// What arrives within `seconds`: text (possibly partial), `""` when the server closed the connection, `nil` when
    /// nothing came.
    func receive(within seconds: Int) -> String? {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = recv(fd, &buffer, buffer.count, 0)
        if n < 0 { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self)
    }

    /// Seconds until the server closes the connection, reading and dropping what it sends; `nil` if still open after
    /// `limit`.
    func secondsUntilClosed(limit: Int) -> Double? {
        let start = Date()
        while true {
            guard let text = receive(within: limit) else { return nil }
            if text.isEmpty { return Date().timeIntervalSince(start) }
        }
    }
}
