import Foundation

/// Which webhook URLs a render request may name: a render request must not become a way into the network.
///
/// `http` and `https` only; hosts on loopback, private, link-local, carrier-grade NAT and unspecified ranges are refused
/// unless listed in ``allowedHosts`` (or ``allowPrivateNetworks`` is set). A hostname is checked again at delivery time
/// against every address it resolves to.
public struct WebhookPolicy: Sendable, Hashable {
    /// Hosts (names or IP literals) always allowed, e.g. `["127.0.0.1"]` in tests.
    public var allowedHosts: [String]
    public var allowPrivateNetworks: Bool

    public init(allowedHosts: [String] = [], allowPrivateNetworks: Bool = false) {
        self.allowedHosts = allowedHosts.map { $0.lowercased() }; self.allowPrivateNetworks = allowPrivateNetworks
    }

    /// Why `text` is refused, or `nil` when it may be called. `resolve` looks the host name up (delivery time).
    public func problem(with text: String, resolve: Bool = false) -> String? {
        guard text.count <= 2048, let url = URL(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https" else { return "webhook must be an http or https URL" }
        guard let rawHost = url.host, !rawHost.isEmpty else { return "webhook URL has no host" }
        if url.user != nil || url.password != nil { return "webhook URL must not carry credentials" }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if allowedHosts.contains(host) || allowPrivateNetworks { return nil }
        if host == "localhost" || host.hasSuffix(".localhost") { return "webhook host \(host) is on loopback" }
        if let bytes = Self.ipv4(host) ?? Self.ipv6(host) {
            return Self.isPrivate(bytes) ? "webhook host \(host) is a loopback or private address" : nil
        }
        guard resolve else { return nil }
        for address in Self.resolve(host) where Self.isPrivate(address) {
            return "webhook host \(host) resolves to a loopback or private address"
        }
        return nil
    }

    static func ipv4(_ s: String) -> [UInt8]? {
        var a = in_addr()
        return inet_pton(AF_INET, s, &a) == 1 ? withUnsafeBytes(of: &a) { Array($0) } : nil
    }

    static func ipv6(_ s: String) -> [UInt8]? {
        var a = in6_addr()
        return inet_pton(AF_INET6, s, &a) == 1 ? withUnsafeBytes(of: &a) { Array($0) } : nil
    }

    static func resolve(_ host: String) -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0 else { return [] }
        defer { freeaddrinfo(result) }
        var out: [[UInt8]] = []
        var p = result
        while let ai = p {
            if ai.pointee.ai_family == AF_INET, let sa = ai.pointee.ai_addr {
                var sin = sockaddr_in()
                memcpy(&sin, sa, MemoryLayout<sockaddr_in>.size)
                out.append(withUnsafeBytes(of: &sin.sin_addr) { Array($0) })
            } else if ai.pointee.ai_family == AF_INET6, let sa = ai.pointee.ai_addr {
                var sin6 = sockaddr_in6()
                memcpy(&sin6, sa, MemoryLayout<sockaddr_in6>.size)
                out.append(withUnsafeBytes(of: &sin6.sin6_addr) { Array($0) })
            }
            p = ai.pointee.ai_next
        }
        return out
    }

    /// Loopback, private, link-local, CGNAT, unspecified, multicast (v4 and v6, v4-mapped v6 included).
    static func isPrivate(_ b: [UInt8]) -> Bool {
        if b.count == 4 {
            switch (b[0], b[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, let x) where (16...31).contains(x): return true
            case (100, let x) where (64...127).contains(x): return true
            case (let x, _) where x >= 224: return true
            default: return false
            }
        }
        guard b.count == 16 else { return true }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xff && b[11] == 0xff { return isPrivate(Array(b[12..<16])) }
        if b[0..<15].allSatisfy({ $0 == 0 }) && (b[15] == 0 || b[15] == 1) { return true }
        if b[0] == 0xfe && (b[1] & 0xc0) == 0x80 { return true }  // fe80::/10
        if (b[0] & 0xfe) == 0xfc { return true }  // fc00::/7
        if b[0] == 0xff { return true }
        return false
    }
}
