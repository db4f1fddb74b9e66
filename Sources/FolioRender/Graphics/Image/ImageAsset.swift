/// A decoded, validated image ready to draw: PNG, JPEG or SVG.
///
/// Immutable and `Sendable`: cache one per template asset and draw it from many render threads at once. Decoding
/// happens once, here; each ``draw(in:x:y:width:height:fit:)`` wraps the shared, read-only pixels in a fresh Cairo
/// surface (raster) or borrows a parsed SVG handle that no other thread is using, so no Cairo or librsvg object is
/// ever touched by two threads at the same time.
public struct ImageAsset: Sendable {
    /// How errors name this image: a file name or a JSON path.
    public let name: String
    public let format: ImageFormat
    /// Intrinsic width in points: pixels at the file's resolution (96 dpi when it states none); SVG from its
    /// width/height, else its viewBox (in CSS pixels).
    public let width: Double
    /// Intrinsic height in points.
    public let height: Double
    /// Pixel size of a raster image; nil for SVG.
    public let pixelSize: (width: Int, height: Int)?
    /// Size of the encoded image in bytes.
    public let byteCount: Int

    let storage: Storage

    enum Storage: Sendable {
        case raster(RasterImage)
        case svg(SVGImage)
    }

    /// Decodes and validates an image, recognising its format from the bytes.
    ///
    /// - Throws: ``RenderError/Code/imageInvalid`` naming the image when it is empty, not a PNG, JPEG or SVG, over
    ///   the limits (pixels checked from the header before decoding), truncated or corrupt.
    public init(bytes: [UInt8], name: String, limits: ImageLimits = .init()) throws(RenderError) {
        try ImageSource.check(bytes.count, name: name, limits: limits)
        guard !bytes.isEmpty else { throw RenderError(.imageInvalid, "image \(name) is empty") }
        guard let format = ImageFormat.sniff(bytes) else {
            let kind = ImageFormat.guessUnsupported(bytes).map { "a \($0) image" } ?? "not an image Folio recognises"
            throw RenderError(.imageInvalid, "image \(name) is \(kind); use PNG, JPEG or SVG")
        }
        self.name = name
        self.format = format
        self.byteCount = bytes.count
        switch format {
        case .svg:
            let svg = try SVGImage(bytes: bytes, name: name)
            storage = .svg(svg)
            (width, height) = (svg.width, svg.height)
            pixelSize = nil
        default:
            let raster = try RasterImage(bytes: bytes, format: format, name: name, limits: limits)
            storage = .raster(raster)
            (width, height) = (raster.width, raster.height)
            pixelSize = (raster.pixelWidth, raster.pixelHeight)
        }
    }

    /// Decodes inline data (a data URI or base64) from a request.
    public init(inline text: String, name: String, limits: ImageLimits = .init()) throws(RenderError) {
        try self.init(bytes: ImageSource(inline: text, name: name, limits: limits).bytes, name: name, limits: limits)
    }
}
