/// A length as a template writes it: `12mm`, `10pt`, `0.5in`, `2cm`, `12px` or a bare number (points).
///
/// Everything inside the engine is in PostScript points (1/72 in), Cairo's PDF unit.
public struct Length: Sendable, Hashable {
    public var points: Double

    public init(points: Double) { self.points = points }
    public static func mm(_ value: Double) -> Length { Length(points: value * 72 / 25.4) }
    public static let zero = Length(points: 0)

    /// Parses `12mm`, `10 pt`, `1.5in`, `3cm`, `96px`, `12`. Returns nil for anything else.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("mm", 72 / 25.4), ("cm", 720 / 25.4), ("pt", 1), ("in", 72), ("px", 0.75)]
        for (suffix, factor) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)),
                  number.isFinite else { return nil }
            self.points = number * factor
            return
        }
        guard let number = Double(trimmed), number.isFinite else { return nil }
        self.points = number
    }
}

/// How wide a column or row cell is: fixed, a share of the whole, a share of what is left, or its content's width.
public enum TrackWidth: Sendable, Hashable {
    case fixed(Double)
    case percent(Double)
    /// `*` is `fraction(1)`, `2*` is `fraction(2)`.
    case fraction(Double)
    case auto

    /// Parses `30mm`, `25%`, `*`, `2*`, `auto`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "auto" { self = .auto; return }
        if trimmed.hasSuffix("*") {
            let factor = trimmed.dropLast()
            if factor.isEmpty { self = .fraction(1); return }
            guard let value = Double(factor), value > 0 else { return nil }
            self = .fraction(value); return
        }
        if trimmed.hasSuffix("%") {
            guard let value = Double(trimmed.dropLast()), value >= 0, value <= 100 else { return nil }
            self = .percent(value); return
        }
        guard let length = Length(parsing: trimmed), length.points >= 0 else { return nil }
        self = .fixed(length.points)
    }
}

/// Four sides, as CSS writes them: one value, `[vertical, horizontal]`, or `[top, right, bottom, left]`.
public struct Insets: Sendable, Hashable {
    public var top: Double, right: Double, bottom: Double, left: Double
    public init(top: Double = 0, right: Double = 0, bottom: Double = 0, left: Double = 0) {
        self.top = top; self.right = right; self.bottom = bottom; self.left = left
    }
    public init(all value: Double) { self.init(top: value, right: value, bottom: value, left: value) }
    public static let zero = Insets()
    public var horizontal: Double { left + right }
    public var vertical: Double { top + bottom }
}
import Foundation
