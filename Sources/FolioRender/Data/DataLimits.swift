/// How large and deep a request's JSON data may be before parsing stops with `.dataMalformed`.
///
/// The defaults fit every real document (a 100,000-row table, nesting far deeper than any invoice) while keeping a
/// hostile request from exhausting memory or the stack.
public struct DataLimits: Sendable, Hashable {
    /// Largest accepted document, in bytes. Default 8 MiB.
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects. Default 64.
    public var maxDepth: Int
    /// Longest single string, in bytes of its JSON source. Default 1 MiB.
    public var maxStringBytes: Int
    /// Most elements in one array or members in one object. Default 100,000.
    public var maxCollectionCount: Int

    public init(maxBytes: Int = 8 << 20, maxDepth: Int = 64, maxStringBytes: Int = 1 << 20,
                maxCollectionCount: Int = 100_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxCollectionCount = maxCollectionCount
    }
}
