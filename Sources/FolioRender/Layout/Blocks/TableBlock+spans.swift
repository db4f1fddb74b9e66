/// Rows tied together by row spans: found from the row templates, laid out as one unbreakable group.
extension TableBlock {
    /// The end of the group of rows that starts at `start` and is tied together by row spans.
    func unitEnd(from start: Int) -> Int {
        var end = start + 1
        var row = start
        while row < end && row < body.count {
            for span in body.rowspans(at: row) where span > 1 { end = max(end, row + span) }
            row += 1
        }
        return min(end, body.count)
    }

    /// Lays out rows tied by row spans as one unbreakable group: each spanning cell covers the rows it spans,
    /// and the last of those rows grows when the spanning cell needs more height than they have.
    func layoutUnit(_ rows: Range<Int>, columns: [Double], context: LayoutContext) throws(RenderError) -> Fragment {
        struct Placed { var row: Int; var column: Int; var span: Int; var rowspan: Int; var fragment: Fragment; var cell: BoundCell }
        let padding = element.padding
        var occupied = Array(repeating: Array(repeating: false, count: columns.count), count: rows.count)
        var placed: [Placed] = []
        var heights = Array(repeating: padding.vertical, count: rows.count)
        for (r, rowIndex) in rows.enumerated() {
            var column = 0
            for cell in try body.row(at: rowIndex).cells {
                while column < columns.count && occupied[r][column] { column += 1 }
                guard column < columns.count else { break }
                let span = min(cell.colspan, columns.count - column)
                let rowspan = min(cell.rowspan, rows.count - r)
                for rr in r..<(r + rowspan) { for c in column..<(column + span) { occupied[rr][c] = true } }
                let width = columns[column..<(column + span)].reduce(0, +)
                let slice = try cell.content.layout(width: max(1, width - padding.horizontal),
                                                    available: .greatestFiniteMagnitude, atTop: true, context: context)
                let fragment: Fragment
                switch slice {
                case .whole(let f), .part(let f, _): fragment = f
                case .none: fragment = Fragment(height: 0)
                }
                if rowspan == 1 { heights[r] = max(heights[r], fragment.height + padding.vertical) }
                placed.append(Placed(row: r, column: column, span: span, rowspan: rowspan, fragment: fragment, cell: cell))
                column += span
            }
        }
        for item in placed where item.rowspan > 1 {
            let covered = heights[item.row..<(item.row + item.rowspan)].reduce(0, +)
            let needed = item.fragment.height + padding.vertical
            if needed > covered { heights[item.row + item.rowspan - 1] += needed - covered }
        }
        var tops = [0.0]
        for h in heights { tops.append(tops.last! + h) }
        let total = columns.reduce(0, +)
        let unit = Fragment(height: tops.last!)
        for (r, rowIndex) in rows.enumerated() {
            let zebra = element.zebra.flatMap { rowIndex % 2 == 1 ? $0 : nil }
            if let fill = try body.row(at: rowIndex).fill ?? zebra {
                unit.ops.append(.rect(x: 0, y: tops[r], width: total, height: heights[r], fill: fill, stroke: nil,
                                      strokeWidth: 0, radius: 0))
            }
        }
        for item in placed {
            let x = columns[0..<item.column].reduce(0, +)
            let width = columns[item.column..<(item.column + item.span)].reduce(0, +)
            let top = tops[item.row], height = tops[item.row + item.rowspan] - top
            if let fill = item.cell.fill {
                unit.ops.append(.rect(x: x, y: top, width: width, height: height, fill: fill, stroke: nil, strokeWidth: 0, radius: 0))
            }
            if element.borders.rule == .all {
                unit.ops.append(.rect(x: x, y: top, width: width, height: height, fill: nil, stroke: element.borders.color,
                                      strokeWidth: element.borders.width, radius: 0))
            }
            let content = height - padding.vertical
            let offset: Double = switch item.cell.verticalAlign {
            case .top: 0
            case .middle: (content - item.fragment.height) / 2
            case .bottom: content - item.fragment.height
            }
            unit.add(item.fragment, x: x + padding.left, y: top + padding.top + offset)
            if element.borders.rule == .horizontal {
                unit.ops.append(.line(x1: x, y1: top + height, x2: x + width, y2: top + height,
                                      color: element.borders.color, width: element.borders.width, dash: []))
            }
        }
        return unit
    }
}
