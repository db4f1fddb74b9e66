/// A paragraph. Splits between lines; shaped once per width.
final class TextBlock: Block {
    let text: BoundText
    let style: TextStyle
    let element: TextElement
    let flow: FlowRules
    private var shapedWidth: Double = -1
    private var shapedLayout: TextLayout?
    private let startLine: Int

    init(text: BoundText, element: TextElement, style: TextStyle, flow: FlowRules, startLine: Int = 0,
         layout: TextLayout? = nil) {
        self.text = text
        self.element = element
        self.style = style
        self.flow = flow
        self.startLine = startLine
        if let layout { shapedLayout = layout; shapedWidth = layout.width }
    }

    private func shaped(width: Double, context: LayoutContext) -> TextLayout {
        if let shapedLayout, abs(shapedWidth - width) < 0.001 { return shapedLayout }
        let layout = context.shaped(text, style: style, width: width, maxLines: element.maxLines,
                                    hyphenate: element.hyphenate, direction: element.direction)
        shapedLayout = layout
        shapedWidth = width
        return layout
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let layout = shaped(width: width, context: context)
        var count = layout.linesFitting(from: startLine, height: available)
        if count == 0 {
            guard atTop else { return .none }
            count = 1
        }
        let end = startLine + count
        let top = layout.lines[startLine].top
        let height = layout.lines[end - 1].bottom - top
        let fragment = Fragment(height: height)
        if let background = style.background {
            fragment.ops.append(.rect(x: 0, y: 0, width: width, height: height, fill: background, stroke: nil,
                                      strokeWidth: 0, radius: 0))
        }
        if startLine == 0, let level = element.bookmark {
            fragment.ops.append(.bookmark(level: level, title: plainTitle, y: 0))
        }
        fragment.ops.append(.text(layout, x: 0, y: 0, lines: startLine..<end))
        if end >= layout.lines.count { return .whole(fragment) }
        var restFlow = flow
        restFlow.spaceBefore = 0
        return .part(fragment, rest: TextBlock(text: text, element: element, style: style, flow: restFlow,
                                               startLine: end, layout: layout))
    }

    private var plainTitle: String {
        guard text.isMarkup else { return text.text }
        var out = "", inTag = false
        for c in text.text {
            if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) }
        }
        return out.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
    }

    func naturalWidth(context: LayoutContext) -> Double {
        context.shaped(text, style: style, width: nil, hyphenate: element.hyphenate).naturalWidth
    }
}

/// A paragraph that shows `{{ page }}` or `{{ pages }}`: measured with wide placeholder numbers, painted with the real ones.
final class PageTextBlock: Block {
    let text: RichText
    let scope: Scope
    let style: TextStyle
    let flow: FlowRules

    init(text: RichText, scope: Scope, style: TextStyle, flow: FlowRules) {
        self.text = text
        self.scope = scope
        self.style = style
        self.flow = flow
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        var placeholder = scope
        placeholder.page = 888
        placeholder.pages = 888
        let layout = context.shaped(try text.bind(in: placeholder, uppercase: style.uppercase), style: style, width: width)
        guard layout.height <= available || atTop else { return .none }
        let fragment = Fragment(height: layout.height)
        fragment.ops.append(.pageText(PageText(text: text, scope: scope, style: style, width: width), x: 0, y: 0))
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double {
        var placeholder = scope
        placeholder.page = 888
        placeholder.pages = 888
        guard let bound = try? text.bind(in: placeholder) else { return 0 }
        return context.shaped(bound, style: style, width: nil).naturalWidth
    }
}
import Foundation
