/// An encoded barcode as vector shapes, in zint's units (y down, origin at the top left, 2 units per module).
///
/// Immutable and `Sendable`: encode once, draw many times from any thread.
public struct BarcodeVector: Sendable, Hashable {
    /// A filled bar or module.
    public struct Rectangle: Sendable, Hashable {
        public var x: Double, y: Double, width: Double, height: Double
    }
    /// A MaxiCode hexagon: centre, point-to-point diameter and rotation in degrees (0, 90, 180, 270).
    public struct Hexagon: Sendable, Hashable {
        public var x: Double, y: Double, diameter: Double, rotation: Int
    }
    /// A disc (`ringWidth` 0) or a ring; `isHole` when zint paints it in the background colour.
    public struct Circle: Sendable, Hashable {
        public var x: Double, y: Double, diameter: Double, ringWidth: Double, isHole: Bool
    }
    /// A human-readable text run. `x` is the anchor given by `alignment`, `y` the baseline.
    public struct Text: Sendable, Hashable {
        public enum Alignment: Sendable, Hashable { case center, left, right }
        public var text: String
        public var x: Double, y: Double
        public var fontSize: Double
        /// The width the text should not exceed, 0 when zint suggests none.
        public var maxWidth: Double
        public var alignment: Alignment
    }

    public var symbology: BarcodeSymbology
    /// Total width and height, including quiet zones and text.
    public var width: Double
    public var height: Double
    public var rectangles: [Rectangle]
    public var hexagons: [Hexagon]
    public var circles: [Circle]
    public var texts: [Text]
    /// The vertical band (top, bottom) taken by the bars themselves, which stretches when a linear code is drawn
    /// taller or shorter than its natural aspect; everything above and below scales with the width.
    public var barBand: ClosedRange<Double>
    /// zint's warnings (for example a non-compliant height), empty when none.
    public var warnings: [String]

    /// zint's units per module (X-dimension).
    public static let unitsPerModule = 2.0

    /// The natural size when one module is `moduleWidth` user units wide (e.g. 0.33 mm in points for a label):
    /// what a layout gives a barcode that has no explicit size.
    public func size(moduleWidth: Double) -> (width: Double, height: Double) {
        (width / Self.unitsPerModule * moduleWidth, height / Self.unitsPerModule * moduleWidth)
    }
}
