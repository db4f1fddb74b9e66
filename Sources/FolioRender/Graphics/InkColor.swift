import CPangoCairo

/// A colour to paint graphics with: red, green, blue and alpha, each in 0…1.
public struct InkColor: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    public static let black = InkColor(red: 0, green: 0, blue: 0)
    public static let white = InkColor(red: 1, green: 1, blue: 1)

    /// Makes this the source of `cr`.
    func setSource(on cr: OpaquePointer) {
        if alpha >= 1 {
            cairo_set_source_rgb(cr, red, green, blue)
        } else {
            cairo_set_source_rgba(cr, red, green, blue, alpha)
        }
    }
}
