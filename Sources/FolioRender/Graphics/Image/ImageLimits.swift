/// How large an image may be. Checked before decoding whenever the file's header allows.
public struct ImageLimits: Sendable, Hashable {
    /// Most bytes of an encoded image (after base64 decoding).
    public var maxEncodedBytes: Int
    /// Most pixels (width × height) of a decoded raster image.
    public var maxPixels: Int

    public init(maxEncodedBytes: Int = 10 * 1024 * 1024, maxPixels: Int = 40_000_000) {
        self.maxEncodedBytes = maxEncodedBytes
        self.maxPixels = maxPixels
    }
}
