/// Side-by-side columns. A row whose cells are too tall for the page splits all cells at the same line.
final class RowBlock: Block {
    let widths: [TrackWidth]
    let gap: Double
    let verticalAlign: VerticalAlign
    let cells: [any Block]
    let flow: FlowRules
    let equalHeight: Bool

    init(widths: [TrackWidth], gap: Double, verticalAlign: VerticalAlign, cells: [any Block], flow: FlowRules,
         equalHeight: Bool = false) {
        self.widths = widths
        self.gap = gap
        self.verticalAlign = verticalAlign
        self.cells = cells
        self.flow = flow
        self.equalHeight = equalHeight
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let columnWidths = TrackSizing.resolve(widths, total: width, gap: gap) { cells[$0].naturalWidth(context: context) }
        var placed: [Fragment?] = []
        var rests: [(any Block)?] = []
        var split = false
        for (i, cell) in cells.enumerated() {
            switch try cell.layout(width: columnWidths[i], available: available, atTop: atTop, context: context) {
            case .whole(let f): placed.append(f); rests.append(nil)
            case .part(let f, let rest): placed.append(f); rests.append(rest); split = true
            case .none:
                return .none
            }
        }
        if split && flow.keepTogether && !atTop { return .none }
        let height = placed.reduce(0) { max($0, $1?.height ?? 0) }
        if equalHeight && !split {
            for (i, cell) in cells.enumerated() {
                guard let f = placed[i], f.height < height - 0.01, let box = RowBlock.onlyBox(cell) else { continue }
                var grown = box.box
                grown.height = max(grown.height ?? 0, height)
                if case .whole(let g) = try BoxBlock(box: grown, content: box.content, flow: box.flow)
                    .layout(width: columnWidths[i], available: .greatestFiniteMagnitude, atTop: true, context: context) {
                    placed[i] = g
                }
            }
        }
        let fragment = Fragment(height: height)
        var x = 0.0
        for (i, f) in placed.enumerated() {
            if let f {
                let offset: Double = switch verticalAlign {
                case .top: 0
                case .middle: (height - f.height) / 2
                case .bottom: height - f.height
                }
                fragment.add(f, x: x, y: split ? 0 : offset)
            }
            x += columnWidths[i] + gap
        }
        guard split else { return .whole(fragment) }
        var restFlow = flow
        restFlow.spaceBefore = 0
        let restCells: [any Block] = rests.map { $0 ?? StackBlock([]) }
        return .part(fragment, rest: RowBlock(widths: widths, gap: gap, verticalAlign: verticalAlign, cells: restCells,
                                              flow: restFlow))
    }

    func naturalWidth(context: LayoutContext) -> Double {
        cells.reduce(0) { $0 + $1.naturalWidth(context: context) } + gap * Double(max(0, cells.count - 1))
    }

    /// The box that is a cell's whole content, if it is one.
    private static func onlyBox(_ cell: any Block) -> BoxBlock? {
        if let box = cell as? BoxBlock { return box }
        if let stack = cell as? StackBlock, stack.children.count == 1 { return onlyBox(stack.children[0]) }
        return nil
    }
}

/// A bordered, padded, filled container.
final class BoxBlock: Block {
    let box: BoxElement
    let content: any Block
    let flow: FlowRules

    init(box: BoxElement, content: any Block, flow: FlowRules) {
        self.box = box
        self.content = content
        self.flow = flow
    }

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let outerWidth: Double = switch box.width {
        case .fixed(let points)?: min(points, width)
        case .percent(let share)?: width * share / 100
        case .auto?: min(width, content.naturalWidth(context: context) + box.padding.horizontal + 2 * box.borderWidth)
        default: width
        }
        let inset = box.borderWidth
        let innerWidth = max(1, outerWidth - box.padding.horizontal - 2 * inset)
        let chrome = box.padding.vertical + 2 * inset
        let slice = try content.layout(width: innerWidth, available: available - chrome, atTop: atTop, context: context)
        func framed(_ inner: Fragment) -> Fragment {
            let height = max(inner.height + chrome, box.height ?? 0)
            let fragment = Fragment(height: height)
            if box.fill != nil || (box.borderColor != nil && box.borderWidth > 0) {
                fragment.ops.append(.rect(x: inset / 2, y: inset / 2, width: outerWidth - inset, height: height - inset,
                                          fill: box.fill, stroke: box.borderWidth > 0 ? box.borderColor : nil,
                                          strokeWidth: box.borderWidth, radius: box.radius))
            }
            fragment.add(inner, x: inset + box.padding.left, y: inset + box.padding.top)
            return fragment
        }
        switch slice {
        case .whole(let inner): return .whole(framed(inner))
        case .part(let inner, let rest):
            if flow.keepTogether && !atTop { return .none }
            var restFlow = flow
            restFlow.spaceBefore = 0
            return .part(framed(inner), rest: BoxBlock(box: box, content: rest, flow: restFlow))
        case .none: return .none
        }
    }

    func naturalWidth(context: LayoutContext) -> Double {
        if case .fixed(let points)? = box.width { return points }
        return content.naturalWidth(context: context) + box.padding.horizontal + 2 * box.borderWidth
    }
}
