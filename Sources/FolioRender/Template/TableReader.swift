import Foundation
/// Reads `table:`: columns, header/body/footer rows with `each`/`if`, cells with spans, borders, carried subtotals.
struct TableReader {
    let reader: ElementReader
    static let cellKeys = ["colspan", "rowspan", "align", "valign", "fill", "content"]

    func table(_ node: TemplateNode, style: TextStyle) throws(RenderError) -> TableElement {
        let map = try node.mapping("table")
        var columns: [TableColumn] = []
        for column in try map.require("columns").sequence("columns") {
            if column.isScalar {
                columns.append(TableColumn(width: try column.trackWidth("column width")))
                continue
            }
            let c = try column.mapping("a column")
            var entry = TableColumn(width: try c["width"]?.trackWidth("width") ?? .fraction(1))
            if let n = c["align"] { entry.align = try n.oneOf("align", TextAlign.self) }
            if let n = c["valign"] { entry.verticalAlign = try n.oneOf("valign", VerticalAlign.self) }
            try c.finish()
            columns.append(entry)
        }
        guard !columns.isEmpty else { throw node.error("a table needs at least one column") }
        let headerStyle = try map["header_style"].map { n throws(RenderError) in
            try reader.styles.style(named: try n.string("header_style"), at: n)
        }
        let footerStyle = try map["footer_style"].map { n throws(RenderError) in
            try reader.styles.style(named: try n.string("footer_style"), at: n)
        }
        var table = TableElement(
            columns: columns,
            header: try rows(map["header"], columns: columns, style: headerStyle ?? style),
            rows: try rows(map["rows"], columns: columns, style: style),
            footer: try rows(map["footer"], columns: columns, style: footerStyle ?? style),
            carry: nil, bodyStyle: StyleRef(resolved: style))
        table.headerStyle = headerStyle.map(StyleRef.init)
        table.footerStyle = footerStyle.map(StyleRef.init)
        if let n = map["carry"] {
            let carry = try n.mapping("carry")
            let value = try carry.require("value")
            let forward = try row(try carry.require("forward"), columns: columns, style: footerStyle ?? style)
            let brought = try row(try carry.require("brought"), columns: columns, style: footerStyle ?? style)
            table.carry = TableCarry(value: try Expression(parsing: try value.string("value"), location: value.textLocation),
                                     forward: forward, brought: brought)
            try carry.finish()
        }
        if let n = map["repeat_header"] { table.repeatHeader = try n.bool("repeat_header") }
        if let n = map["borders"] {
            let text = try n.string("borders")
            guard let rule = TableBorders.Rule(rawValue: text) else {
                throw n.error("borders is all, horizontal, outer, header or none")
            }
            table.borders.rule = rule
        }
        if let n = map["border"] {
            let (width, color) = try ElementReader.stroke(n)
            table.borders.width = width
            if let color { table.borders.color = color }
        }
        if let n = map["padding"] { table.padding = try n.insets("padding") }
        if let n = map["zebra"] { table.zebra = try n.color("zebra") }
        if let n = map["header_fill"] { table.headerFill = try n.color("header_fill") }
        try map.finish()
        return table
    }

    private func rows(_ node: TemplateNode?, columns: [TableColumn], style: TextStyle) throws(RenderError) -> [TableRow] {
        guard let node else { return [] }
        var rows: [TableRow] = []
        var spans = RowSpans()
        for item in try node.sequence("rows") { rows.append(try row(item, columns: columns, style: style, spans: &spans)) }
        return rows
    }

    /// Columns still covered by row spans from rows above, so a cell under a span takes its real column's alignment.
    struct RowSpans {
        var remaining: [Int: Int] = [:]

        mutating func nextRow() -> Set<Int> {
            let occupied = Set(remaining.filter { $0.value > 0 }.keys)
            remaining = remaining.mapValues { $0 - 1 }.filter { $0.value > 0 }
            return occupied
        }
    }

    /// A row: a list of cells, or a mapping with `cells` (or nested `rows`) and `each`/`if`/`fill`/`style`.
    func row(_ node: TemplateNode, columns: [TableColumn], style: TextStyle) throws(RenderError) -> TableRow {
        var spans = RowSpans()
        return try row(node, columns: columns, style: style, spans: &spans)
    }

    private func row(_ node: TemplateNode, columns: [TableColumn], style: TextStyle,
                     spans: inout RowSpans) throws(RenderError) -> TableRow {
        if node.isSequence {
            return TableRow(cells: try cells(node, columns: columns, style: style, spans: &spans), location: node.location)
        }
        let map = try node.mapping("a table row")
        let rowStyle = try reader.resolveStyle(map, inherited: style)
        var row = TableRow(cells: [], location: node.location)
        if let n = map["cells"] { row.cells = try cells(n, columns: columns, style: rowStyle, spans: &spans) }
        if let n = map["rows"] { row.group = try rows(n, columns: columns, style: rowStyle) }
        guard map.has("cells") != (row.group != nil) else {
            throw node.error("a table row needs either 'cells' or nested 'rows'")
        }
        if let n = map["if"] { row.condition = try Expression(parsing: try n.string("if"), location: n.textLocation) }
        if let n = map["each"] { row.loop = try ElementReader.loop(n) }
        if let n = map["fill"] { row.fill = try n.colorSource("fill") }
        try map.finish()
        return row
    }

    private func cells(_ node: TemplateNode, columns: [TableColumn], style: TextStyle,
                       spans: inout RowSpans) throws(RenderError) -> [TableCell] {
        var cells: [TableCell] = []
        var column = 0
        let occupied = spans.nextRow()
        for item in try node.sequence("cells") {
            while occupied.contains(column) { column += 1 }
            let columnInfo = column < columns.count ? columns[column] : nil
            let cell = try cell(item, column: columnInfo, style: style)
            if cell.rowspan > 1 {
                for c in column..<(column + cell.colspan) { spans.remaining[c] = max(spans.remaining[c] ?? 0, cell.rowspan - 1) }
            }
            column += cell.colspan
            cells.append(cell)
        }
        while occupied.contains(column) { column += 1 }
        guard column <= columns.count else {
            throw node.error("this row spans \(column) columns but the table has \(columns.count)")
        }
        return cells
    }

    private func cell(_ node: TemplateNode, column: TableColumn?, style: TextStyle) throws(RenderError) -> TableCell {
        var cellStyle = style
        if let align = column?.align { cellStyle.align = align }
        if !node.isMapping {
            return TableCell(content: try reader.elements(node, inherited: cellStyle), location: node.location)
        }
        let map = try node.mapping("a table cell")
        var cell = TableCell(content: [], location: node.location)
        if let n = map["colspan"] { cell.colspan = try n.integer("colspan") }
        if let n = map["rowspan"] { cell.rowspan = try n.integer("rowspan") }
        guard cell.colspan >= 1, cell.rowspan >= 1 else { throw node.error("colspan and rowspan are at least 1") }
        if let n = map["align"] { cell.align = try n.oneOf("align", TextAlign.self); cellStyle.align = cell.align! }
        if let n = map["valign"] { cell.verticalAlign = try n.oneOf("valign", VerticalAlign.self) }
        cell.verticalAlign = cell.verticalAlign ?? column?.verticalAlign
        if let n = map["fill"] { cell.fill = try n.colorSource("fill") }
        if let n = map["content"] {
            cellStyle = try reader.resolveStyle(map, inherited: cellStyle)
            cell.content = try reader.elements(n, inherited: cellStyle)
            try map.finish()
        } else {
            cell.content = [try reader.element(node, inherited: cellStyle, extraKeys: TableReader.cellKeys)]
        }
        return cell
    }
}
