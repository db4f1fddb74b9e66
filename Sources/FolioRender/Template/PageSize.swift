/// Paper: a named size or a custom one. Roll paper has a width and grows with its content.
public struct PageSize: Sendable, Hashable {
    public var width: Double
    /// nil for continuous rolls (80 mm, 58 mm receipts): the page is as tall as what is printed on it.
    public var height: Double?

    public init(width: Double, height: Double?) { self.width = width; self.height = height }

    /// The names templates and data use (case-insensitive), with sizes in points.
    public static let named: [String: PageSize] = [
        "a3": .mm(297, 420), "a4": .mm(210, 297), "a5": .mm(148, 210), "a6": .mm(105, 148),
        "letter": PageSize(width: 612, height: 792), "legal": PageSize(width: 612, height: 1008),
        "half-letter": PageSize(width: 396, height: 612), "statement": PageSize(width: 396, height: 612),
        "80mm-roll": PageSize(width: Length.mm(80).points, height: nil),
        "58mm-roll": PageSize(width: Length.mm(58).points, height: nil),
        "label-100x150": .mm(100, 150), "label-100x50": .mm(100, 50), "label-62x29": .mm(62, 29),
        "label-4x6": PageSize(width: 288, height: 432),
    ]

    static func mm(_ width: Double, _ height: Double) -> PageSize {
        PageSize(width: Length.mm(width).points, height: Length.mm(height).points)
    }

    /// A named size, or `WIDTHxHEIGHT` with units (`100mmx50mm`), or `WIDTHxauto` for a roll.
    public init?(parsing text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
        if let size = PageSize.named[key] { self = size; return }
        let parts = key.split(separator: "x", maxSplits: 1).map(String.init)
        guard parts.count == 2, let width = Length(parsing: parts[0]), width.points > 0 else { return nil }
        if parts[1] == "auto" { self.init(width: width.points, height: nil); return }
        guard let height = Length(parsing: parts[1]), height.points > 0 else { return nil }
        self.init(width: width.points, height: height.points)
    }

    public var landscape: PageSize {
        guard let height else { return self }
        return PageSize(width: max(width, height), height: min(width, height))
    }
}
import Foundation
