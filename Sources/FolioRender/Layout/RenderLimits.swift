/// The limits one render keeps to. Every one is a setting with a documented default.
public struct RenderLimits: Sendable, Hashable {
    /// Most pages a document may have.
    public var maxPages: Int
    /// Longest a render may take before it is stopped.
    public var renderTime: Duration
    /// Most rows one table may have after `each` expands.
    public var maxTableRows: Int
    /// Largest image (encoded bytes) and most pixels an image may have.
    public var maxImageBytes: Int
    public var maxImagePixels: Int

    public init(maxPages: Int = 500, renderTime: Duration = .seconds(30), maxTableRows: Int = 50_000,
                maxImageBytes: Int = 10 << 20, maxImagePixels: Int = 40_000_000) {
        self.maxPages = maxPages
        self.renderTime = renderTime
        self.maxTableRows = maxTableRows
        self.maxImageBytes = maxImageBytes
        self.maxImagePixels = maxImagePixels
    }
}
