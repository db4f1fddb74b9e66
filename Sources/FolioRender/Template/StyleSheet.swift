import Foundation
/// The named styles of one template, resolved through `extends` once at load time.
public struct StyleSheet: Sendable {
    public private(set) var styles: [String: TextStyle]
    public let base: TextStyle
    /// Styles that set `align` themselves or through `extends`; the others keep the alignment of where they are used
    /// (a table column's, a cell's), so `style: strong` in a right-aligned column stays right-aligned.
    let setsAlignment: Set<String>

    /// Resolves declarations; `base` (if declared) is what every other style starts from.
    init(declarations: [String: (StyleDeclaration, TemplateNode)]) throws(RenderError) {
        var resolved: [String: TextStyle] = [:]
        var aligned: Set<String> = []
        func resolve(_ name: String, chain: [String]) throws(RenderError) -> TextStyle {
            if let done = resolved[name] { return done }
            guard let (declaration, node) = declarations[name] else {
                throw RenderError(.templateInvalid, "unknown style '\(name)'")
            }
            if chain.contains(name) {
                throw node.error("style '\(name)' extends itself through \(chain.joined(separator: " → "))")
            }
            let parentName = declaration.extends ?? (name == "base" ? nil : (declarations["base"] != nil ? "base" : nil))
            var parent = TextStyle()
            if let parentName {
                guard declarations[parentName] != nil else {
                    throw node.error("style '\(name)' extends '\(parentName)', which is not declared")
                }
                parent = try resolve(parentName, chain: chain + [name])
            }
            let style = declaration.applied(over: parent)
            resolved[name] = style
            if declaration.align != nil || (parentName.map { aligned.contains($0) } ?? false) { aligned.insert(name) }
            return style
        }
        for name in declarations.keys.sorted() { _ = try resolve(name, chain: []) }
        styles = resolved
        setsAlignment = aligned
        base = resolved["base"] ?? TextStyle()
    }

    func style(named name: String, at node: TemplateNode) throws(RenderError) -> TextStyle {
        guard let style = styles[name] else {
            var message = "unknown style '\(name)'"
            if let close = closestMatch(to: name, among: Array(styles.keys)) { message += "; did you mean '\(close)'?" }
            throw node.error(message)
        }
        return style
    }
}

extension StyleDeclaration {
    /// Keys a style (or an element's inline style) may set.
    static let keys = ["extends", "font", "size", "weight", "bold", "italic", "color", "line_height",
                       "letter_spacing", "align", "background", "underline", "uppercase"]

    /// Reads the style keys present in `mapping`, leaving others for the caller.
    static func read(from mapping: TemplateMapping) throws(RenderError) -> StyleDeclaration? {
        guard StyleDeclaration.keys.contains(where: mapping.has) else { return nil }
        var style = StyleDeclaration()
        if let node = mapping["extends"] { style.extends = try node.string("extends") }
        if let node = mapping["font"] { style.font = try node.string("font") }
        if let node = mapping["size"] {
            let size = try node.length("size")
            guard size > 0, size < 500 else { throw node.error("size must be between 0 and 500 points") }
            style.size = size
        }
        if let node = mapping["weight"] {
            let text = try node.string("weight")
            guard let weight = TextStyle.weights[text.lowercased()] ?? Int(text), (100...1000).contains(weight) else {
                throw node.error("weight '\(text)' is not one of \(TextStyle.weights.keys.sorted().joined(separator: ", ")) or 100–1000")
            }
            style.weight = weight
        }
        if let node = mapping["bold"] { style.weight = try node.bool("bold") ? 700 : 400 }
        if let node = mapping["italic"] { style.italic = try node.bool("italic") }
        if let node = mapping["color"] { style.color = try node.color("color") }
        if let node = mapping["background"] { style.background = try node.color("background") }
        if let node = mapping["line_height"] {
            let value = try node.number("line_height")
            guard value > 0.5, value < 5 else { throw node.error("line_height is a multiple of the font size, 0.5–5") }
            style.lineHeight = value
        }
        if let node = mapping["letter_spacing"] { style.letterSpacing = try node.length("letter_spacing") }
        if let node = mapping["align"] { style.align = try node.oneOf("align", TextAlign.self) }
        if let node = mapping["underline"] { style.underline = try node.bool("underline") }
        if let node = mapping["uppercase"] { style.uppercase = try node.bool("uppercase") }
        return style
    }
}

extension TemplateNode {
    func color(_ what: String) throws(RenderError) -> Color {
        let text = try string(what)
        guard let color = Color(parsing: text) else {
            throw error("\(what) '\(text)' is not a colour; write #rgb, #rrggbb, #rrggbbaa or a name like gray")
        }
        return color
    }

    func oneOf<T: RawRepresentable & CaseIterable>(_ what: String, _ type: T.Type) throws(RenderError) -> T
    where T.RawValue == String {
        let text = try string(what)
        guard let value = T(rawValue: text.lowercased()) else {
            throw error("\(what) '\(text)' must be one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func insets(_ what: String) throws(RenderError) -> Insets {
        if isScalar {
            let parts = try string(what).split(separator: " ").map(String.init)
            if parts.count > 1 { return try Insets(lengths: parts, node: self, what: what) }
            return Insets(all: try length(what))
        }
        if isSequence {
            let parts = try sequence(what).map { (n: TemplateNode) throws(RenderError) -> String in try n.string(what) }
            return try Insets(lengths: parts, node: self, what: what)
        }
        let map = try mapping(what)
        var insets = Insets()
        if let n = map["top"] { insets.top = try n.length("top") }
        if let n = map["right"] { insets.right = try n.length("right") }
        if let n = map["bottom"] { insets.bottom = try n.length("bottom") }
        if let n = map["left"] { insets.left = try n.length("left") }
        try map.finish()
        return insets
    }

    func trackWidth(_ what: String) throws(RenderError) -> TrackWidth {
        let text = try string(what)
        guard let width = TrackWidth(parsing: text) else {
            throw error("\(what) '\(text)' must be a length (30mm), a percentage (25%), a share (*, 2*) or auto")
        }
        return width
    }
}

extension Insets {
    init(lengths: [String], node: TemplateNode, what: String) throws(RenderError) {
        var values: [Double] = []
        for text in lengths {
            guard let length = Length(parsing: text) else { throw node.error("\(what): '\(text)' is not a length") }
            values.append(length.points)
        }
        switch values.count {
        case 1: self.init(all: values[0])
        case 2: self.init(top: values[0], right: values[1], bottom: values[0], left: values[1])
        case 3: self.init(top: values[0], right: values[1], bottom: values[2], left: values[1])
        case 4: self.init(top: values[0], right: values[1], bottom: values[2], left: values[3])
        default: throw node.error("\(what) takes 1 to 4 lengths (top right bottom left)")
        }
    }
}
