/// Blocks one under another: the body of a page, a cell, a box. Owns spacing, page breaks and keep rules.
final class StackBlock: Block {
    let children: [any Block]
    let flow: FlowRules

    init(_ children: [any Block], flow: FlowRules = FlowRules()) {
        self.children = children
        self.flow = flow
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let fragment = Fragment(height: 0)
        var y = 0.0
        var placedAny = false
        var index = 0
        func rest(from start: Int, first: (any Block)? = nil) -> StackBlock {
            var remaining = Array(children[start...])
            if let first { remaining.insert(first, at: 0) }
            var restFlow = flow
            restFlow.spaceBefore = 0
            return StackBlock(remaining, flow: restFlow)
        }
        while index < children.count {
            let child = children[index]
            let top = atTop && !placedAny
            if child.flow.isPageBreak {
                index += 1
                if top { continue }
                fragment.height = y
                return index < children.count ? .part(fragment, rest: rest(from: index)) : .whole(fragment)
            }
            let before = top ? 0 : child.flow.spaceBefore
            let room = available - y - before
            var slice: Slice = room > 0 || top
                ? try child.layout(width: width, available: max(room, 0), atTop: top, context: context) : .none
            if !top {
                if case .part = slice, child.flow.keepTogether { slice = .none }
                if case .whole(let placed) = slice, child.flow.keepWithNext, index + 1 < children.count,
                   !(try chainFits(after: index, room: available - y - before - placed.height - child.flow.spaceAfter,
                                   width: width, context: context)) {
                    slice = .none
                }
            }
            switch slice {
            case .whole(let placed):
                fragment.add(placed, x: 0, y: y + before)
                y += before + placed.height + child.flow.spaceAfter
                placedAny = true
                index += 1
            case .part(let placed, let remainder):
                fragment.add(placed, x: 0, y: y + before)
                fragment.height = y + before + placed.height
                return .part(fragment, rest: rest(from: index + 1, first: remainder))
            case .none:
                if !placedAny { return .none }
                fragment.height = y
                return .part(fragment, rest: rest(from: index))
            }
        }
        fragment.height = max(0, y - (children.last?.flow.spaceAfter ?? 0))
        // A stack of one child at the origin is that child: no extra level to keep or paint (a table cell's usual case).
        if fragment.ops.isEmpty, fragment.children.count == 1, fragment.children[0].x == 0, fragment.children[0].y == 0,
           fragment.children[0].fragment.height == fragment.height {
            return .whole(fragment.children[0].fragment)
        }
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double {
        children.reduce(0) { max($0, $1.naturalWidth(context: context)) }
    }

    /// Whether what `keep_with_next` ties to child `index` fits in `room`: every following child that also keeps
    /// with its next must fit whole, and the first one that does not must fit at least in part. A heading, a rule
    /// and a table thus move together.
    private func chainFits(after index: Int, room: Double, width: Double, context: LayoutContext) throws(RenderError) -> Bool {
        var room = room
        var next = index + 1
        while next < children.count {
            let child = children[next]
            room -= child.flow.spaceBefore
            if room <= 0 { return false }
            let slice = try child.layout(width: width, available: room, atTop: false, context: context)
            guard child.flow.keepWithNext else {
                if case .none = slice { return false }
                return true
            }
            guard case .whole(let placed) = slice else { return false }
            room -= placed.height + child.flow.spaceAfter
            next += 1
        }
        return true
    }
}

/// An explicit page break.
final class PageBreakBlock: Block {
    var flow: FlowRules { FlowRules(isPageBreak: true) }
    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        .whole(Fragment(height: 0))
    }
    func naturalWidth(context: LayoutContext) -> Double { 0 }
}

/// Empty vertical space, or a horizontal rule.
final class RuleBlock: Block {
    let flow: FlowRules
    let height: Double
    let rule: RuleElement?

    init(height: Double, rule: RuleElement?, flow: FlowRules) {
        self.height = height
        self.rule = rule
        self.flow = flow
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        guard height <= available || atTop else { return .none }
        let fragment = Fragment(height: min(height, available))
        if let rule {
            fragment.ops.append(.line(x1: 0, y1: height / 2, x2: width, y2: height / 2, color: rule.color,
                                      width: rule.thickness, dash: rule.dash))
        }
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double { 0 }
}

/// A fixed-size drawing (checkbox, barcode, image, trace) that never splits.
final class FixedBlock: Block {
    let flow: FlowRules
    let width: Double
    let height: Double
    let align: TextAlign
    let draw: (Fragment, Double) -> Void

    /// `draw` adds ops to a fragment whose box is `width`×`height`, given the x offset chosen by alignment.
    init(width: Double, height: Double, align: TextAlign, flow: FlowRules, draw: @escaping (Fragment, Double) -> Void) {
        self.width = width
        self.height = height
        self.align = align
        self.flow = flow
        self.draw = draw
    }

    func layout(width available: Double, available height: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        guard self.height <= height || atTop else { return .none }
        let fragment = Fragment(height: self.height)
        let x: Double = switch align {
        case .center: max(0, (available - width) / 2)
        case .right: max(0, available - width)
        default: 0
        }
        draw(fragment, x)
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double { width }
}

/// Content pinned to page coordinates; takes no room in the flow.
final class AbsoluteBlock: Block {
    let flow: FlowRules
    let element: AbsoluteElement
    let content: StackBlock

    init(element: AbsoluteElement, content: StackBlock, flow: FlowRules) {
        self.element = element
        self.content = content
        self.flow = flow
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let inner: Fragment
        switch try content.layout(width: element.width, available: element.height ?? .greatestFiniteMagnitude,
                                  atTop: true, context: context) {
        case .whole(let f), .part(let f, _): inner = f
        case .none: inner = Fragment(height: 0)
        }
        let fragment = Fragment(height: 0)
        fragment.ops.append(.absolute(inner, x: element.x, y: element.y, fromPage: element.relativeToPage))
        return .whole(fragment)
    }

    func naturalWidth(context: LayoutContext) -> Double { 0 }
}
