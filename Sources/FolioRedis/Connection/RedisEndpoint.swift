import FolioQueue
import Foundation

/// Where and how to reach Redis, parsed from a URL: `redis://[user:password@]host[:port][/db]` or
/// `unix:///path/to/redis.sock[?db=N]` (also `redis+unix://` or `unix://user:pass@/path`).
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Address: Sendable, Hashable {
        case tcp(host: String, port: Int)
        case unix(path: String)
    }
    public var address: Address
    public var username: String?
    public var password: String?
    public var database: Int

    public init(address: Address, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.address = address; self.username = username; self.password = password; self.database = database
    }

    public init(url: String) throws {
        func bad(_ why: String) -> QueueError {
            QueueError(.invalidConfiguration, "invalid Redis URL \(url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)): \(why)")
        }
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased() else { throw bad("not a URL") }
        username = c.user.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
        password = c.password.flatMap { $0.removingPercentEncoding }
        let dbQuery = c.queryItems?.first { $0.name == "db" }?.value
        switch scheme {
        case "redis":
            guard let host = c.host, !host.isEmpty else { throw bad("no host") }
            address = .tcp(host: host, port: c.port ?? 6379)
            let path = c.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            if path.isEmpty { database = Int(dbQuery ?? "0") ?? 0 }
            else if let db = Int(path), db >= 0 { database = db }
            else { throw bad("database must be a number, not \(path)") }
        case "unix", "redis+unix":
            guard !c.path.isEmpty else { throw bad("no socket path") }
            address = .unix(path: c.path)
            database = Int(dbQuery ?? "0") ?? 0
        case "rediss":
            throw bad("TLS (rediss://) is not supported by this build")
        default:
            throw bad("scheme must be redis:// or unix://")
        }
        if username != nil && password == nil { password = username; username = nil }
    }

    /// The address without credentials, for messages and logs.
    public var description: String {
        switch address {
        case .tcp(let host, let port): "redis://\(host):\(port)/\(database)"
        case .unix(let path): "unix://\(path)?db=\(database)"
        }
    }
}
