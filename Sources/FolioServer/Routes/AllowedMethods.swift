/// The methods the service answers on a path, from its route table: a request with another method gets
/// `405 Method Not Allowed` with `Allow` listing them (RFC 9110, section 15.5.6) instead of a 404 that says the path does
/// not exist.
struct AllowedMethods: Sendable {
    /// Routes as `(method, /path/{param})`, the table ``FolioService/routes`` keeps.
    let routes: @Sendable () -> [(method: String, path: String)]

    /// The methods routed for `path` (`HEAD` wherever `GET` is), in a stable order; empty when no route has that path.
    func allowed(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<String>()
        for route in routes() {
            let pattern = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard pattern.count == segments.count,
                  zip(pattern, segments).allSatisfy({ p, s in p.hasPrefix("{") || p == s }) else { continue }
            methods.insert(route.method)
            if route.method == "GET" { methods.insert("HEAD") }
        }
        let order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
        return methods.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
    }
}
