/// How an image fills the box it is drawn in.
public struct ImageFit: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    /// The whole image, as large as fits, centred; the aspect ratio kept.
    public static let contain = ImageFit(name: "contain")
    /// The whole box covered, centred, the overflow clipped; the aspect ratio kept.
    public static let cover = ImageFit(name: "cover")
    /// Stretched to the box exactly.
    public static let fill = ImageFit(name: "fill")

    public static let all: [ImageFit] = [.contain, .cover, .fill]

    /// The fit a template names (`contain`, `cover`, `fill`), or nil.
    public init?(named name: String) {
        guard let fit = Self.all.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = fit
    }

    private init(name: String) { self.name = name }

    public var description: String { name }

    /// Where an image of `size` lands in the box: origin and size, possibly outside the box for `.cover`.
    func placement(imageWidth: Double, imageHeight: Double, x: Double, y: Double, width: Double, height: Double)
        -> (x: Double, y: Double, width: Double, height: Double) {
        guard imageWidth > 0, imageHeight > 0, self != .fill else { return (x, y, width, height) }
        let scaleX = width / imageWidth, scaleY = height / imageHeight
        let scale = self == .cover ? max(scaleX, scaleY) : min(scaleX, scaleY)
        let placedWidth = imageWidth * scale, placedHeight = imageHeight * scale
        return (x + (width - placedWidth) / 2, y + (height - placedHeight) / 2, placedWidth, placedHeight)
    }
}
