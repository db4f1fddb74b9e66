/// Binds data to a template's elements: evaluates `if`, expands `each`, fills text, and builds the blocks to lay out.
struct Binder {
    let template: Template
    let context: LayoutContext
    let assets: AssetResolver

    func blocks(_ elements: [Element], scope: Scope) throws(RenderError) -> [any Block] {
        var result: [any Block] = []
        for element in elements { try bind(element, scope: scope, into: &result) }
        return result
    }

    func stack(_ elements: [Element], scope: Scope) throws(RenderError) -> StackBlock {
        StackBlock(try blocks(elements, scope: scope))
    }

    private func bind(_ element: Element, scope: Scope, into result: inout [any Block]) throws(RenderError) {
        if let loop = element.loop {
            let items = try Binder.items(of: loop, in: scope, location: element.location)
            var single = element
            single.loop = nil
            for (index, item) in items.enumerated() {
                if index % 64 == 63 { try context.checkTime() }
                try bind(single, scope: Binder.scope(scope, loop: loop, item: item, index: index, count: items.count),
                         into: &result)
            }
            return
        }
        if let condition = element.condition, !(try condition.evaluate(in: scope).isTruthy) {
            for other in element.otherwise { try bind(other, scope: scope, into: &result) }
            return
        }
        let flow = FlowRules(spaceBefore: element.spaceBefore, spaceAfter: element.spaceAfter,
                             keepTogether: element.keepTogether, keepWithNext: element.keepWithNext)
        switch element.kind {
        case .text(let text):
            if text.content.usesPageNumbers {
                result.append(PageTextBlock(text: text.content, scope: scope, style: text.style.resolved, flow: flow))
            } else {
                let bound = try text.content.bind(in: scope, uppercase: text.style.resolved.uppercase)
                result.append(TextBlock(text: bound, element: text, style: text.style.resolved, flow: flow))
            }
        case .stack(let children):
            result.append(StackBlock(try blocks(children, scope: scope), flow: flow))
        case .row(let row):
            var cells: [any Block] = []
            for cell in row.cells { cells.append(try stack(cell, scope: scope)) }
            result.append(RowBlock(widths: row.widths, gap: row.gap, verticalAlign: row.verticalAlign, cells: cells,
                                   flow: flow, equalHeight: row.equalHeight))
        case .table(let table):
            result.append(try TableBinder(binder: self).bind(table, scope: scope, flow: flow))
        case .box(var box):
            if let bound = box.boundFill { box.fill = try bound.resolve(in: scope) }
            result.append(BoxBlock(box: box, content: try stack(box.content, scope: scope), flow: flow))
        case .rule(let rule):
            result.append(RuleBlock(height: max(rule.thickness, 1) + 4, rule: rule, flow: flow))
        case .spacer(let height):
            result.append(RuleBlock(height: height, rule: nil, flow: flow))
        case .pageBreak:
            result.append(PageBreakBlock())
        case .absolute(let absolute):
            result.append(AbsoluteBlock(element: absolute, content: try stack(absolute.content, scope: scope), flow: flow))
        case .checkbox(let checkbox):
            result.append(try self.checkbox(checkbox, scope: scope, flow: flow))
        case .image(let image):
            result.append(try assets.imageBlock(image, scope: scope, flow: flow, location: element.location))
        case .barcode(let barcode):
            result.append(try assets.barcodeBlock(barcode, scope: scope, flow: flow, context: context,
                                                  location: element.location))
        case .trace(let trace):
            result.append(try assets.traceBlock(trace, scope: scope, flow: flow, context: context,
                                                location: element.location))
        }
    }

    private func checkbox(_ checkbox: CheckboxElement, scope: Scope, flow: FlowRules) throws(RenderError) -> any Block {
        let checked = try checkbox.checked.evaluate(in: scope).isTruthy
        let size = checkbox.size
        let box = FixedBlock(width: size, height: size, align: .left, flow: FlowRules()) { fragment, x in
            fragment.ops.append(.rect(x: x + 0.4, y: 0.4, width: size - 0.8, height: size - 0.8, fill: nil,
                                      stroke: checkbox.style.resolved.color, strokeWidth: 0.8, radius: 0))
            if checked {
                let color = checkbox.style.resolved.color
                fragment.ops.append(.line(x1: x + size * 0.2, y1: size * 0.52, x2: x + size * 0.42, y2: size * 0.76,
                                          color: color, width: size * 0.14, dash: []))
                fragment.ops.append(.line(x1: x + size * 0.42, y1: size * 0.76, x2: x + size * 0.82, y2: size * 0.22,
                                          color: color, width: size * 0.14, dash: []))
            }
        }
        guard let label = checkbox.label else {
            return RowBlock(widths: [.fixed(size)], gap: 0, verticalAlign: .top, cells: [box], flow: flow)
        }
        var style = checkbox.style.resolved
        style.align = .left
        let text = TextBlock(text: try label.bind(in: scope, uppercase: style.uppercase),
                             element: TextElement(content: label, style: StyleRef(resolved: style)), style: style,
                             flow: FlowRules())
        // Centre the box on the first line of the label.
        let lineHeight = style.size * style.lineHeight
        let boxCell = StackBlock([RuleBlock(height: max(0, (lineHeight - size) / 2), rule: nil, flow: FlowRules()), box])
        return RowBlock(widths: [.fixed(size), .fraction(1)], gap: size * 0.5, verticalAlign: .top,
                        cells: [boxCell, text], flow: flow)
    }

    /// The items an `each` walks: an array's elements, or an object's `{key, value}` pairs.
    static func items(of loop: Loop, in scope: Scope, location: SourceLocation) throws(RenderError) -> [Value] {
        switch try loop.source.evaluate(in: scope) {
        case .array(let items): return items
        case .null: return []
        case .object(let object):
            return object.pairs.map { .object(ValueObject([("key", .string($0.key)), ("value", $0.value)])) }
        case let other:
            throw RenderError(.evaluation, "each needs a list to walk, but it found \(other.typeName)", location: location)
        }
    }

    static func scope(_ scope: Scope, loop: Loop, item: Value, index: Int, count: Int) -> Scope {
        scope.iteration(loop.variable, item: item, index: index, count: count)
    }
}
