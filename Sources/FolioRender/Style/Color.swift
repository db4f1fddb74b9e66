/// An sRGB colour with alpha, written in templates as `#rgb`, `#rrggbb`, `#rrggbbaa` or a CSS name.
public struct Color: Sendable, Hashable {
    public var red: Double, green: Double, blue: Double, alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)

    static let names: [String: String] = [
        "black": "#000000", "white": "#ffffff", "red": "#d32f2f", "green": "#2e7d32", "blue": "#1565c0",
        "gray": "#808080", "grey": "#808080", "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3",
        "darkgray": "#505050", "darkgrey": "#505050", "orange": "#ef6c00", "yellow": "#fbc02d",
        "navy": "#1a237e", "teal": "#00796b", "purple": "#6a1b9a", "transparent": "#00000000",
    ]

    public init?(parsing text: String) {
        var hex = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let named = Color.names[hex] { hex = named }
        guard hex.hasPrefix("#") else { return nil }
        hex.removeFirst()
        if hex.count == 3 || hex.count == 4 { hex = hex.map { "\($0)\($0)" }.joined() }
        guard hex.count == 6 || hex.count == 8, let value = UInt64(hex, radix: 16) else { return nil }
        let hasAlpha = hex.count == 8
        let shift: UInt64 = hasAlpha ? 8 : 0
        red = Double((value >> (16 + shift)) & 0xff) / 255
        green = Double((value >> (8 + shift)) & 0xff) / 255
        blue = Double((value >> shift) & 0xff) / 255
        alpha = hasAlpha ? Double(value & 0xff) / 255 : 1
    }

    /// `#rrggbb` for Pango markup attributes.
    var hex: String {
        func byte(_ v: Double) -> String {
            let s = String(Int((v * 255).rounded()), radix: 16)
            return s.count == 1 ? "0" + s : s
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }
}
import Foundation
