/// Horizontal alignment of text and cells.
public enum TextAlign: String, Sendable, Hashable, CaseIterable {
    case left, center, right, justify
}

/// Vertical alignment in rows and cells.
public enum VerticalAlign: String, Sendable, Hashable, CaseIterable {
    case top, middle, bottom
}

/// A named style as a template declares it: every field optional, so styles can inherit (`extends`) and override.
public struct StyleDeclaration: Sendable, Hashable {
    public var extends: String?
    public var font: String?
    public var size: Double?
    public var weight: Int?
    public var italic: Bool?
    public var color: Color?
    public var lineHeight: Double?
    public var letterSpacing: Double?
    public var align: TextAlign?
    public var background: Color?
    public var underline: Bool?
    public var uppercase: Bool?

    public init() {}

    /// This declaration's fields over `base`'s.
    func applied(over base: TextStyle) -> TextStyle {
        var style = base
        if let font { style.font = font }
        if let size { style.size = size }
        if let weight { style.weight = weight }
        if let italic { style.italic = italic }
        if let color { style.color = color }
        if let lineHeight { style.lineHeight = lineHeight }
        if let letterSpacing { style.letterSpacing = letterSpacing }
        if let align { style.align = align }
        if let background { style.background = background }
        if let underline { style.underline = underline }
        if let uppercase { style.uppercase = uppercase }
        return style
    }
}

/// A fully resolved style: what the layout engine shapes text with.
public struct TextStyle: Sendable, Hashable {
    public var font = "DejaVu Sans"
    public var size = 10.0
    /// CSS-like weight: 400 normal, 700 bold.
    public var weight = 400
    public var italic = false
    public var color = Color.black
    /// Multiple of the font's natural line height.
    public var lineHeight = 1.2
    public var letterSpacing = 0.0
    public var align = TextAlign.left
    public var background: Color? = nil
    public var underline = false
    public var uppercase = false

    public init() {}

    /// Weight names templates may use.
    static let weights: [String: Int] = [
        "thin": 100, "light": 300, "normal": 400, "regular": 400, "medium": 500,
        "semibold": 600, "bold": 700, "heavy": 800, "black": 900,
    ]
}
import Foundation
