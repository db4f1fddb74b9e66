import Foundation
/// Text with `{{ expressions }}` and a small, safe inline markup: `[b]`, `[i]`, `[u]`, `[s]`, `[mono]`, `[sup]`, `[sub]`,
/// `[color=#c00]`, `[size=12]`, each closed by `[/name]`.
///
/// Markup is recognised only in the template's own text. Values from data are always literal text: a customer called
/// `[b]Bob[/b]` or `<b>Bob</b>` prints exactly that.
public struct RichText: Sendable {
    enum Tag: Sendable, Equatable {
        case bold, italic, underline, strike, mono, sup, sub
        case color(Color)
        case size(Double)

        var name: String {
            switch self {
            case .bold: "b"
            case .italic: "i"
            case .underline: "u"
            case .strike: "s"
            case .mono: "mono"
            case .sup: "sup"
            case .sub: "sub"
            case .color: "color"
            case .size: "size"
            }
        }

        var pangoOpen: String {
            switch self {
            case .bold: "<b>"
            case .italic: "<i>"
            case .underline: "<u>"
            case .strike: "<s>"
            case .mono: "<tt>"
            case .sup: "<sup>"
            case .sub: "<sub>"
            case .color(let color): "<span foreground=\"\(color.hex)\">"
            case .size(let points): "<span size=\"\(Int(points * 1024))\">"
            }
        }

        var pangoClose: String {
            switch self {
            case .bold: "</b>"
            case .italic: "</i>"
            case .underline: "</u>"
            case .strike: "</s>"
            case .mono: "</tt>"
            case .sup: "</sup>"
            case .sub: "</sub>"
            case .color, .size: "</span>"
            }
        }
    }

    enum Piece: Sendable {
        case text(String)
        case value(Expression)
        case open(Tag)
        case close(Tag)
    }

    let pieces: [Piece]
    public let hasMarkup: Bool
    public let usesPageNumbers: Bool

    public init(parsing text: String, location: SourceLocation) throws(RenderError) {
        let interpolation = try Interpolation(parsing: text, location: location)
        var pieces: [Piece] = []
        var open: [Tag] = []
        for part in interpolation.parts {
            switch part {
            case .expression(let expression): pieces.append(.value(expression))
            case .text(let literal): try RichText.scan(literal, into: &pieces, open: &open, location: location)
            }
        }
        if let unclosed = open.last {
            throw RenderError(.templateInvalid, "[\(unclosed.name)] is never closed; add [/\(unclosed.name)]",
                              location: location)
        }
        self.pieces = pieces
        self.hasMarkup = pieces.contains { if case .open = $0 { true } else { false } }
        self.usesPageNumbers = interpolation.usesPageNumbers
    }

    /// Plain text with no expressions and no markup.
    public init(literal: String) {
        pieces = literal.isEmpty ? [] : [.text(literal)]
        hasMarkup = false
        usesPageNumbers = false
    }

    public var isEmpty: Bool { pieces.isEmpty }

    private static func scan(_ literal: String, into pieces: inout [Piece], open: inout [Tag],
                             location: SourceLocation) throws(RenderError) {
        var buffer = ""
        var index = literal.startIndex
        while index < literal.endIndex {
            let character = literal[index]
            if character == "[", let close = literal[index...].firstIndex(of: "]"),
               let tag = try parseTag(String(literal[literal.index(after: index)..<close]), open: &open, location: location) {
                if !buffer.isEmpty { pieces.append(.text(buffer)); buffer = "" }
                pieces.append(tag)
                index = literal.index(after: close)
                continue
            }
            buffer.append(character)
            index = literal.index(after: index)
        }
        if !buffer.isEmpty { pieces.append(.text(buffer)) }
    }

    /// A recognised tag, or nil when the brackets are ordinary text (`[sic]`, `[1]`).
    private static func parseTag(_ body: String, open: inout [Tag], location: SourceLocation) throws(RenderError) -> Piece? {
        if body.hasPrefix("/") {
            let name = String(body.dropFirst())
            guard knownNames.contains(name) else { return nil }
            guard let last = open.last, last.name == name else {
                throw RenderError(.templateInvalid, "[/\(name)] closes nothing that is open", location: location)
            }
            open.removeLast()
            return .close(last)
        }
        let parts = body.split(separator: "=", maxSplits: 1).map(String.init)
        guard let name = parts.first, knownNames.contains(name) else { return nil }
        let tag: Tag
        switch (name, parts.count == 2 ? parts[1] : nil) {
        case ("b", nil): tag = .bold
        case ("i", nil): tag = .italic
        case ("u", nil): tag = .underline
        case ("s", nil): tag = .strike
        case ("mono", nil): tag = .mono
        case ("sup", nil): tag = .sup
        case ("sub", nil): tag = .sub
        case ("color", let value?):
            guard let color = Color(parsing: value) else {
                throw RenderError(.templateInvalid, "[color=\(value)] is not a colour; use #rgb, #rrggbb or a name",
                                  location: location)
            }
            tag = .color(color)
        case ("size", let value?):
            guard let length = Length(parsing: value), length.points > 0, length.points < 500 else {
                throw RenderError(.templateInvalid, "[size=\(value)] is not a font size", location: location)
            }
            tag = .size(length.points)
        default:
            throw RenderError(.templateInvalid, "[\(body)] is not valid markup", location: location)
        }
        open.append(tag)
        return .open(tag)
    }

    static let knownNames: Set<String> = ["b", "i", "u", "s", "mono", "sup", "sub", "color", "size"]

    /// The text for Pango: plain text, or Pango markup with every data value escaped.
    public func bind(in scope: Scope, uppercase: Bool = false) throws(RenderError) -> BoundText {
        var text = ""
        for piece in pieces {
            switch piece {
            case .text(let literal):
                let value = uppercase ? literal.uppercased() : literal
                text += hasMarkup ? escapeMarkup(value) : value
            case .value(let expression):
                let raw = try expression.evaluate(in: scope).plainText
                let value = uppercase ? raw.uppercased() : raw
                text += hasMarkup ? escapeMarkup(value) : value
            case .open(let tag): text += tag.pangoOpen
            case .close(let tag): text += tag.pangoClose
            }
        }
        return BoundText(text: text, isMarkup: hasMarkup)
    }
}

/// Text ready for Pango.
public struct BoundText: Sendable, Hashable {
    public var text: String
    public var isMarkup: Bool
}

func escapeMarkup(_ text: String) -> String {
    guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}
