/// A bound table cell: its content and where it sits in the grid.
struct BoundCell {
    var content: any Block
    var colspan: Int
    var rowspan: Int
    var verticalAlign: VerticalAlign
    var fill: Color?
}

/// A bound table row. `carryValue` is what this row adds to a carried-forward subtotal.
struct BoundRow {
    var cells: [BoundCell]
    var fill: Color?
    var carryValue: Value = .null
}

/// Builds the carried-forward and brought-forward rows for a running subtotal.
struct CarryRows {
    var forward: (Value) throws(RenderError) -> BoundRow
    var brought: (Value) throws(RenderError) -> BoundRow
}

/// A table laid out row by row: header repeated on every page, rows kept whole unless taller than a page,
/// footer after the last row, and carried-forward subtotals at each page break when the template asks for them.
final class TableBlock: Block {
    let element: TableElement
    let header: [BoundRow]
    let body: RowSource
    let footer: [BoundRow]
    let carry: CarryRows?
    let flow: FlowRules
    private let start: Int
    private let carried: Value
    /// The rest of a row split across pages, placed before `start`.
    private let pending: BoundRow?

    init(element: TableElement, header: [BoundRow], body: RowSource, footer: [BoundRow], carry: CarryRows?,
         flow: FlowRules, start: Int = 0, carried: Value = .integer(0), pending: BoundRow? = nil,
         columns: (total: Double, widths: [Double])? = nil) {
        self.resolvedColumns = columns
        self.element = element
        self.header = header
        self.body = body
        self.footer = footer
        self.carry = carry
        self.flow = flow
        self.start = start
        self.carried = carried
        self.pending = pending
    }

    private var continues: Bool { start > 0 || pending != nil }
    /// Column widths for the width they were resolved at; passed on to the next page's part of the table, so `auto`
    /// columns are measured once per table, not once per page.
    private var resolvedColumns: (total: Double, widths: [Double])?

    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice {
        let columns: [Double]
        if let resolved = resolvedColumns, abs(resolved.total - width) < 0.01 {
            columns = resolved.widths
        } else {
            columns = TrackSizing.resolve(element.columns.map(\.width), total: width, gap: 0) { column in
                self.naturalWidth(ofColumn: column, context: context)
            }
            resolvedColumns = (width, columns)
        }
        let fragment = Fragment(height: 0)
        var y = 0.0
        var lines: [Double] = []
        let headerRows = continues && !element.repeatHeader ? [] : header
        for (i, row) in headerRows.enumerated() {
            let placed = try layoutRow(row, columns: columns, available: .greatestFiniteMagnitude, atTop: true,
                                       context: context, fill: row.fill ?? element.headerFill)
            fragment.add(placed.fragment, x: 0, y: y)
            y += placed.fragment.height
            if i == headerRows.count - 1 { lines.append(y) }
        }
        var sum = carried
        if continues, let carry {
            let placed = try layoutRow(try carry.brought(sum), columns: columns, available: .greatestFiniteMagnitude,
                                       atTop: true, context: context, fill: nil)
            fragment.add(placed.fragment, x: 0, y: y)
            y += placed.fragment.height
        }
        let forwardHeight = try carry.map { (c: CarryRows) throws(RenderError) -> Double in
            try layoutRow(try c.forward(sum), columns: columns, available: .greatestFiniteMagnitude, atTop: true,
                          context: context, fill: nil).fragment.height
        } ?? 0
        var footerHeight = 0.0
        for row in footer {
            footerHeight += try layoutRow(row, columns: columns, available: .greatestFiniteMagnitude, atTop: true,
                                          context: context, fill: row.fill).fragment.height
        }

        var placedRows = 0
        var index = start
        var queue: BoundRow? = pending
        func finishPage(nextStart: Int, pending: BoundRow?) throws(RenderError) -> Slice {
            if let carry {
                let placed = try layoutRow(try carry.forward(sum), columns: columns,
                                           available: .greatestFiniteMagnitude, atTop: true, context: context, fill: nil)
                fragment.add(placed.fragment, x: 0, y: y)
                y += placed.fragment.height
            }
            fragment.height = y
            drawRules(fragment, columns: columns, headerLine: lines.first, width: width)
            var restFlow = flow
            restFlow.spaceBefore = 0
            return .part(fragment, rest: TableBlock(element: element, header: header, body: body, footer: footer,
                                                    carry: carry, flow: restFlow, start: nextStart, carried: sum,
                                                    pending: pending, columns: resolvedColumns))
        }

        while queue != nil || index < body.count {
            try context.checkTime()
            if queue == nil, case let end = unitEnd(from: index), end - index > 1 {
                let isLast = end == body.count
                let room = available - y - (isLast ? footerHeight : forwardHeight)
                let unit = try layoutUnit(index..<end, columns: columns, context: context)
                if unit.height <= room + 0.01 || (placedRows == 0 && atTop) {
                    fragment.add(unit, x: 0, y: y)
                    y += unit.height
                    placedRows += end - index
                    for i in index..<end { sum = TableBlock.add(sum, try body.row(at: i).carryValue) }
                    index = end
                    continue
                }
                if placedRows == 0 && !continues { return .none }
                return try finishPage(nextStart: index, pending: nil)
            }
            let row: BoundRow
            if let queue { row = queue } else { row = try body.row(at: index) }
            let rowIndex = queue == nil ? index : index - 1
            let isLast = queue == nil ? index == body.count - 1 : index >= body.count
            let reserve = isLast ? footerHeight : forwardHeight
            let room = available - y - reserve
            let first = placedRows == 0
            let zebra = element.zebra.flatMap { rowIndex % 2 == 1 ? $0 : nil }
            let placed = try layoutRow(row, columns: columns, available: max(0, room), atTop: first && atTop,
                                       context: context, fill: row.fill ?? zebra)
            if placed.rest == nil && placed.fragment.height <= room + 0.01 {
                fragment.add(placed.fragment, x: 0, y: y)
                y += placed.fragment.height
                placedRows += 1
                if queue == nil {
                    sum = TableBlock.add(sum, row.carryValue)
                    index += 1
                }
                queue = nil
                continue
            }
            if first && atTop {
                if let rest = placed.rest {
                    fragment.add(placed.fragment, x: 0, y: y)
                    y += placed.fragment.height
                    if queue == nil { sum = TableBlock.add(sum, row.carryValue); index += 1 }
                    return try finishPage(nextStart: index, pending: rest)
                }
                // A row taller than the page area that cannot split: place it anyway rather than loop.
                fragment.add(placed.fragment, x: 0, y: y)
                y += placed.fragment.height
                if queue == nil { sum = TableBlock.add(sum, row.carryValue); index += 1 }
                queue = nil
                placedRows += 1
                continue
            }
            if placedRows == 0 && !continues { return .none }
            if placedRows == 0 && !atTop { return .none }
            return try finishPage(nextStart: index, pending: queue)
        }
        if available - y < footerHeight - 0.01, !atTop || placedRows > 0, !footer.isEmpty, placedRows > 0 {
            // The footer does not fit under the last row: it moves to the next page with the header.
            return try finishPage(nextStart: body.count, pending: nil)
        }
        for row in footer {
            let placed = try layoutRow(row, columns: columns, available: .greatestFiniteMagnitude, atTop: true,
                                       context: context, fill: row.fill)
            if lines.count < 2 { lines.append(y) }
            fragment.add(placed.fragment, x: 0, y: y)
            y += placed.fragment.height
        }
        fragment.height = y
        drawRules(fragment, columns: columns, headerLine: lines.first, width: width)
        return .whole(fragment)
    }

    /// Lays out one row; `rest` is set when a cell had to split.
    private func layoutRow(_ row: BoundRow, columns: [Double], available: Double, atTop: Bool, context: LayoutContext,
                           fill: Color?) throws(RenderError) -> (fragment: Fragment, rest: BoundRow?) {
        let padding = element.padding
        var placed: [(x: Double, width: Double, fragment: Fragment?, cell: BoundCell)] = []
        var rests: [BoundCell] = []
        var split = false
        var column = 0
        for cell in row.cells {
            let span = min(cell.colspan, max(1, columns.count - column))
            let cellWidth = columns[column..<min(columns.count, column + span)].reduce(0, +)
            let x = columns[0..<column].reduce(0, +)
            column += span
            let innerWidth = max(1, cellWidth - padding.horizontal)
            let slice = try cell.content.layout(width: innerWidth, available: available - padding.vertical,
                                                atTop: atTop, context: context)
            var rest = cell
            switch slice {
            case .whole(let f): placed.append((x, cellWidth, f, cell)); rest.content = StackBlock([])
            case .part(let f, let remainder): placed.append((x, cellWidth, f, cell)); rest.content = remainder; split = true
            case .none: placed.append((x, cellWidth, nil, cell)); split = true
            }
            rests.append(rest)
        }
        let contentHeight = placed.reduce(0.0) { max($0, $1.fragment?.height ?? 0) }
        let height = contentHeight + padding.vertical
        let fragment = Fragment(height: height)
        if let fill {
            fragment.ops.append(.rect(x: 0, y: 0, width: columns.reduce(0, +), height: height, fill: fill, stroke: nil,
                                      strokeWidth: 0, radius: 0))
        }
        let borders = element.borders
        for item in placed {
            if let cellFill = item.cell.fill {
                fragment.ops.append(.rect(x: item.x, y: 0, width: item.width, height: height, fill: cellFill, stroke: nil,
                                          strokeWidth: 0, radius: 0))
            }
            if borders.rule == .all {
                fragment.ops.append(.rect(x: item.x, y: 0, width: item.width, height: height, fill: nil,
                                          stroke: borders.color, strokeWidth: borders.width, radius: 0))
            }
            guard let f = item.fragment else { continue }
            var offset = 0.0
            if !split {
                switch item.cell.verticalAlign {
                case .top: offset = 0
                case .middle: offset = (contentHeight - f.height) / 2
                case .bottom: offset = contentHeight - f.height
                }
            }
            fragment.add(f, x: item.x + padding.left, y: padding.top + offset)
        }
        if borders.rule == .horizontal {
            fragment.ops.append(.line(x1: 0, y1: height, x2: columns.reduce(0, +), y2: height, color: borders.color,
                                      width: borders.width, dash: []))
        }
        guard split else { return (fragment, nil) }
        return (fragment, BoundRow(cells: rests, fill: row.fill, carryValue: .null))
    }

    private func drawRules(_ fragment: Fragment, columns: [Double], headerLine: Double?, width: Double) {
        let borders = element.borders
        let total = columns.reduce(0, +)
        if borders.rule == .outer || borders.rule == .all {
            fragment.ops.append(.rect(x: 0, y: 0, width: total, height: fragment.height, fill: nil, stroke: borders.color,
                                      strokeWidth: borders.width, radius: 0))
        }
        if let headerLine, !header.isEmpty, borders.rule != .none {
            fragment.ops.append(.line(x1: 0, y1: headerLine, x2: total, y2: headerLine, color: borders.color,
                                      width: borders.width * 2, dash: []))
        }
    }

    private func naturalWidth(ofColumn column: Int, context: LayoutContext) -> Double {
        var widest = 0.0
        let sample = (0..<min(200, body.count)).compactMap { try? body.row(at: $0) }
        for row in header + sample + footer {
            var position = 0
            for cell in row.cells {
                if position == column && cell.colspan == 1 {
                    widest = max(widest, cell.content.naturalWidth(context: context))
                }
                position += cell.colspan
            }
        }
        return widest + element.padding.horizontal
    }

    func naturalWidth(context: LayoutContext) -> Double {
        (0..<element.columns.count).reduce(0) { $0 + naturalWidth(ofColumn: $1, context: context) }
    }

    /// Adds subtotals exactly: integers stay integers (money in minor units), anything else becomes a decimal.
    static func add(_ a: Value, _ b: Value) -> Value {
        switch (a, b) {
        case (.integer(let x), .integer(let y)):
            let (sum, overflow) = x.addingReportingOverflow(y)
            return overflow ? .number(Double(x) + Double(y)) : .integer(sum)
        case (_, .null): return a
        case (.null, _): return b
        default: return .number((a.doubleValue ?? 0) + (b.doubleValue ?? 0))
        }
    }
}
