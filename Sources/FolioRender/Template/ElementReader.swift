import Foundation
/// Turns the YAML of `header`, `footer`, `body` (and anything nested) into `Element`s, checking every key.
struct ElementReader {
    let styles: StyleSheet

    static let kinds = ["text", "stack", "row", "table", "box", "rule", "spacer", "page_break", "image", "barcode",
                        "checkbox", "trace", "absolute"]
    static let commonKeys = ["if", "else", "each", "space_before", "space_after", "keep_together", "keep_with_next",
                             "style"]

    func elements(_ node: TemplateNode, inherited: TextStyle) throws(RenderError) -> [Element] {
        var result: [Element] = []
        for item in node.items() { result.append(try element(item, inherited: inherited)) }
        return result
    }

    func element(_ node: TemplateNode, inherited: TextStyle, extraKeys: [String] = []) throws(RenderError) -> Element {
        if node.isScalar {
            let text = try node.string("text")
            let content = try RichText(parsing: text, location: node.textLocation)
            return Element(kind: .text(TextElement(content: content, style: StyleRef(resolved: inherited))),
                           location: node.location)
        }
        if node.isSequence {
            return Element(kind: .stack(try elements(node, inherited: inherited)), location: node.location)
        }
        let map = try node.mapping("an element")
        map.accept(extraKeys)
        let present = ElementReader.kinds.filter(map.has)
        guard present.count == 1, let kind = present.first else {
            if present.isEmpty {
                var message = "an element needs one of: \(ElementReader.kinds.joined(separator: ", "))"
                if let key = map.keys.first(where: { !ElementReader.commonKeys.contains($0) }),
                   let close = closestMatch(to: key, among: ElementReader.kinds) {
                    message += "; did you mean '\(close)' for '\(key)'?"
                }
                throw node.error(message)
            }
            throw node.error("an element can be only one of \(present.joined(separator: " and ")); nest them instead")
        }
        let style = try resolveStyle(map, inherited: inherited)
        var element = Element(kind: .pageBreak, location: node.location)
        element.kind = try readKind(kind, map: map, style: style)
        if let n = map["if"] { element.condition = try Expression(parsing: try n.string("if"), location: n.textLocation) }
        if let n = map["else"] {
            guard element.condition != nil else { throw n.error("'else' needs an 'if' on the same element") }
            element.otherwise = try elements(n, inherited: inherited)
        }
        if let n = map["each"] { element.loop = try ElementReader.loop(n) }
        if let n = map["space_before"] { element.spaceBefore = try n.length("space_before") }
        if let n = map["space_after"] { element.spaceAfter = try n.length("space_after") }
        if let n = map["keep_together"] { element.keepTogether = try n.bool("keep_together") }
        if let n = map["keep_with_next"] { element.keepWithNext = try n.bool("keep_with_next") }
        try map.finish(allowed: extraKeys)
        return element
    }

    /// `style: name` plus any inline style keys, over what the parent passes down.
    func resolveStyle(_ map: TemplateMapping, inherited: TextStyle) throws(RenderError) -> TextStyle {
        var style = inherited
        if let n = map["style"] {
            let name = try n.string("style")
            style = try styles.style(named: name, at: n)
            if !styles.setsAlignment.contains(name) { style.align = inherited.align }
        }
        if let inline = try StyleDeclaration.read(from: map) {
            if inline.extends != nil, let n = map["extends"] { throw n.error("'extends' belongs in a named style") }
            style = inline.applied(over: style)
        }
        return style
    }

    static func loop(_ node: TemplateNode) throws(RenderError) -> Loop {
        let text = try node.string("each")
        let parts = text.components(separatedBy: " in ")
        guard parts.count >= 2 else {
            throw node.error("each must read 'name in expression', like 'line in lines'")
        }
        let variable = parts[0].trimmingCharacters(in: .whitespaces)
        guard variable.first?.isLetter == true || variable.first == "_",
              variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw node.error("'\(variable)' is not a name for the loop variable")
        }
        let source = parts.dropFirst().joined(separator: " in ")
        return Loop(variable: variable, source: try Expression(parsing: source, location: node.location))
    }

    private func readKind(_ kind: String, map: TemplateMapping, style: TextStyle) throws(RenderError) -> Element.Kind {
        let node = try map.require(kind)
        switch kind {
        case "text": return .text(try text(node, map: map, style: style))
        case "stack": return .stack(try elements(node, inherited: style))
        case "row": return .row(try row(node, style: style))
        case "table": return .table(try TableReader(reader: self).table(node, style: style))
        case "box": return .box(try box(node, style: style))
        case "rule": return .rule(try rule(node))
        case "spacer": return .spacer(try node.length("spacer"))
        case "page_break": return .pageBreak
        case "image": return .image(try image(node))
        case "barcode": return .barcode(try barcode(node))
        case "checkbox": return .checkbox(try checkbox(node, style: style))
        case "trace": return .trace(try trace(node, style: style))
        case "absolute": return .absolute(try absolute(node, style: style))
        default: throw node.error("unknown element '\(kind)'")
        }
    }

    private func text(_ node: TemplateNode, map: TemplateMapping, style: TextStyle) throws(RenderError) -> TextElement {
        var text = TextElement(content: try RichText(parsing: try node.string("text"), location: node.textLocation),
                               style: StyleRef(resolved: style))
        if let n = map["max_lines"] {
            text.maxLines = try n.integer("max_lines")
            guard text.maxLines! > 0 else { throw n.error("max_lines must be at least 1") }
        }
        if let n = map["hyphenate"] { text.hyphenate = try n.bool("hyphenate") }
        if let n = map["direction"] {
            text.direction = try n.string("direction")
            guard ["auto", "ltr", "rtl"].contains(text.direction) else { throw n.error("direction is auto, ltr or rtl") }
        }
        if let n = map["bookmark"] {
            text.bookmark = try n.integer("bookmark")
            guard (1...6).contains(text.bookmark!) else { throw n.error("bookmark is an outline level from 1 to 6") }
        }
        return text
    }

    private func row(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> RowElement {
        let map = try node.mapping("row")
        let cellsNode = try map.require("cells")
        var cells: [[Element]] = []
        for cell in try cellsNode.sequence("cells") { cells.append(try elements(cell, inherited: style)) }
        var widths: [TrackWidth] = Array(repeating: .fraction(1), count: cells.count)
        if let n = map["widths"] {
            let items = try n.sequence("widths")
            guard items.count == cells.count else {
                throw n.error("widths lists \(items.count) columns but the row has \(cells.count) cells")
            }
            widths = []
            for item in items { widths.append(try item.trackWidth("width")) }
        }
        let gap = try map["gap"]?.length("gap") ?? Length.mm(4).points
        let align = try map["align"]?.oneOf("align", VerticalAlign.self) ?? .top
        var row = RowElement(widths: widths, gap: gap, verticalAlign: align, cells: cells)
        if let n = map["equal_height"] { row.equalHeight = try n.bool("equal_height") }
        try map.finish()
        return row
    }

    private func box(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> BoxElement {
        let map = try node.mapping("box")
        let content = try elements(try map.require("content"), inherited: style)
        var box = BoxElement(content: content, padding: Insets(all: Length.mm(2).points), borderWidth: 0.75,
                             borderColor: nil, radius: 0, fill: nil, width: nil, height: nil)
        if let n = map["padding"] { box.padding = try n.insets("padding") }
        if let n = map["border"] { (box.borderWidth, box.borderColor) = try ElementReader.stroke(n) }
        if let n = map["radius"] { box.radius = try n.length("radius") }
        if let n = map["fill"] {
            switch try n.colorSource("fill") {
            case .fixed(let color): box.fill = color
            case let bound: box.boundFill = bound
            }
        }
        if let n = map["width"] { box.width = try n.trackWidth("width") }
        if let n = map["height"] { box.height = try n.length("height") }
        try map.finish()
        return box
    }

    /// `0.5pt #999`, `1pt`, `#999`, or `none`.
    static func stroke(_ node: TemplateNode) throws(RenderError) -> (Double, Color?) {
        let text = try node.string("border")
        if text == "none" { return (0, nil) }
        var width = 0.75, color: Color? = Color(red: 0.6, green: 0.6, blue: 0.6)
        for part in text.split(separator: " ").map(String.init) {
            if let length = Length(parsing: part) { width = length.points }
            else if let parsed = Color(parsing: part) { color = parsed }
            else { throw node.error("border '\(text)' must read like '0.5pt #999'") }
        }
        return (width, color)
    }

    private func rule(_ node: TemplateNode) throws(RenderError) -> RuleElement {
        var rule = RuleElement(thickness: 0.75, color: Color(red: 0.6, green: 0.6, blue: 0.6), dash: [])
        if node.isScalar {
            if let text = node.scalarText, !["true", "yes"].contains(text) {
                let (w, c) = try ElementReader.stroke(node); rule.thickness = w; rule.color = c ?? rule.color
            }
            return rule
        }
        let map = try node.mapping("rule")
        if let n = map["thickness"] { rule.thickness = try n.length("thickness") }
        if let n = map["color"] { rule.color = try n.color("color") }
        if let n = map["dash"] { rule.dash = try n.sequence("dash").map { (d: TemplateNode) throws(RenderError) in try d.length("dash") } }
        try map.finish()
        return rule
    }

    private func image(_ node: TemplateNode) throws(RenderError) -> ImageElement {
        if node.isScalar {
            return ImageElement(source: try Interpolation(parsing: try node.string("image"), location: node.textLocation),
                                width: nil, height: nil, fit: "contain", align: .left)
        }
        let map = try node.mapping("image")
        let source = try map.require("src")
        var image = ImageElement(source: try Interpolation(parsing: try source.string("src"), location: source.textLocation),
                                 width: nil, height: nil, fit: "contain", align: .left)
        if let n = map["width"] { image.width = try n.length("width") }
        if let n = map["height"] { image.height = try n.length("height") }
        if let n = map["fit"] {
            image.fit = try n.string("fit")
            guard ["contain", "cover", "fill"].contains(image.fit) else { throw n.error("fit is contain, cover or fill") }
        }
        if let n = map["align"] { image.align = try n.oneOf("align", TextAlign.self) }
        try map.finish()
        return image
    }

    private func barcode(_ node: TemplateNode) throws(RenderError) -> BarcodeElement {
        let map = try node.mapping("barcode")
        let type = try map.require("type"), value = try map.require("value")
        var barcode = BarcodeElement(
            symbology: try Interpolation(parsing: try type.string("type"), location: type.textLocation),
            value: try Interpolation(parsing: try value.string("value"), location: value.textLocation),
            width: nil, height: Length.mm(12).points,
            showText: try Expression(parsing: "true", location: node.location), errorCorrection: nil, align: .left,
            color: .black)
        if let n = map["width"] { barcode.width = try n.length("width") }
        if let n = map["height"] { barcode.height = try n.length("height") }
        if let n = map["text"] { barcode.showText = try Expression(parsing: try n.string("text"), location: n.textLocation) }
        if let n = map["error_correction"] {
            barcode.errorCorrection = try Interpolation(parsing: try n.string("error_correction"), location: n.textLocation)
        }
        if let n = map["align"] { barcode.align = try n.oneOf("align", TextAlign.self) }
        if let n = map["color"] { barcode.color = try n.color("color") }
        try map.finish()
        return barcode
    }

    private func checkbox(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> CheckboxElement {
        let map = try node.mapping("checkbox")
        let checked = try map.require("checked")
        var box = CheckboxElement(checked: try Expression(parsing: try checked.string("checked"), location: checked.textLocation),
                                  label: nil, size: style.size * 0.9, style: StyleRef(resolved: style))
        if let n = map["label"] { box.label = try RichText(parsing: try n.string("label"), location: n.textLocation) }
        if let n = map["size"] { box.size = try n.length("size") }
        try map.finish()
        return box
    }

    private func trace(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> TraceElement {
        let map = try node.mapping("trace")
        let radii = try map.require("radii")
        var trace = TraceElement(
            radii: try Expression(parsing: try radii.string("radii"), location: radii.textLocation), unit: "mm",
            mirror: false, width: Length.mm(60).points, height: Length.mm(40).points, trueScale: false,
            strokeWidth: 1, color: .black, fill: nil, showBoxing: false, label: nil, style: StyleRef(resolved: style))
        if let n = map["unit"] {
            trace.unit = try n.string("unit")
            guard ["mm", "hundredths"].contains(trace.unit) else { throw n.error("unit is mm or hundredths (OMA R= values)") }
        }
        if let n = map["mirror"] { trace.mirror = try n.bool("mirror") }
        if let n = map["width"] { trace.width = try n.length("width") }
        if let n = map["height"] { trace.height = try n.length("height") }
        if let n = map["true_scale"] { trace.trueScale = try n.bool("true_scale") }
        if let n = map["stroke"] { let (w, c) = try ElementReader.stroke(n); trace.strokeWidth = w; trace.color = c ?? .black }
        if let n = map["fill"] { trace.fill = try n.color("fill") }
        if let n = map["boxing"] { trace.showBoxing = try n.bool("boxing") }
        if let n = map["label"] { trace.label = try Interpolation(parsing: try n.string("label"), location: n.textLocation) }
        try map.finish()
        return trace
    }

    private func absolute(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> AbsoluteElement {
        let map = try node.mapping("absolute")
        var absolute = AbsoluteElement(
            x: try map.require("x").length("x"), y: try map.require("y").length("y"),
            width: try map.require("width").length("width"), height: nil, relativeToPage: false,
            content: try elements(try map.require("content"), inherited: style))
        if let n = map["height"] { absolute.height = try n.length("height") }
        if let n = map["from"] {
            let from = try n.string("from")
            guard ["page", "margin"].contains(from) else { throw n.error("from is page or margin") }
            absolute.relativeToPage = from == "page"
        }
        try map.finish()
        return absolute
    }
}

