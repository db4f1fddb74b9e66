/// Expands a table's row templates against data: `each` and `if` on rows, cells bound in the row's scope.
struct TableBinder {
    let binder: Binder

    func bind(_ table: TableElement, scope: Scope, flow: FlowRules) throws(RenderError) -> TableBlock {
        var entries: [RowSource.Entry] = []
        try expand(table.rows, scope: scope, limit: binder.context.limits.maxTableRows, into: &entries)
        let carryValue = table.carry?.value
        let body = RowSource(entries: entries) { (template: TableRow, rowScope: Scope) throws(RenderError) -> BoundRow in
            var row = try self.row(template, scope: rowScope)
            if let carryValue { row.carryValue = try carryValue.evaluate(in: rowScope) }
            return row
        }
        var header: [BoundRow] = [], footer: [BoundRow] = []
        for entries in [(table.header, 0), (table.footer, 1)] {
            var expanded: [RowSource.Entry] = []
            try expand(entries.0, scope: scope, limit: 1000, into: &expanded)
            for entry in expanded {
                let row = try self.row(entry.template, scope: entry.scope)
                if entries.1 == 0 { header.append(row) } else { footer.append(row) }
            }
        }
        var carry: CarryRows?
        if let spec = table.carry {
            carry = CarryRows(
                forward: { (sum: Value) throws(RenderError) -> BoundRow in
                    try self.row(spec.forward, scope: scope.binding("carried", to: sum))
                },
                brought: { (sum: Value) throws(RenderError) -> BoundRow in
                    try self.row(spec.brought, scope: scope.binding("carried", to: sum))
                })
        }
        return TableBlock(element: table, header: header, body: body, footer: footer, carry: carry, flow: flow)
    }

    /// The rows `each` and `if` give, each with its scope, not yet bound.
    private func expand(_ rows: [TableRow], scope: Scope, limit: Int,
                        into result: inout [RowSource.Entry]) throws(RenderError) {
        for template in rows {
            if let loop = template.loop {
                let items = try Binder.items(of: loop, in: scope, location: template.location)
                var single = template
                single.loop = nil
                for (index, item) in items.enumerated() {
                    if index % 256 == 255 { try binder.context.checkTime() }
                    try expand([single], scope: Binder.scope(scope, loop: loop, item: item, index: index, count: items.count),
                               limit: limit, into: &result)
                }
                continue
            }
            if let condition = template.condition, !(try condition.evaluate(in: scope).isTruthy) { continue }
            if let group = template.group {
                try expand(group, scope: scope, limit: limit, into: &result)
                continue
            }
            guard result.count < limit else {
                throw RenderError(.pageLimit, "the table has more than \(limit) rows; the limit is a setting (table rows)",
                                  location: template.location)
            }
            result.append(RowSource.Entry(template: template, scope: scope))
        }
    }

    private func row(_ template: TableRow, scope: Scope) throws(RenderError) -> BoundRow {
        var cells: [BoundCell] = []
        for cell in template.cells {
            cells.append(BoundCell(content: try binder.stack(cell.content, scope: scope), colspan: cell.colspan,
                                   rowspan: cell.rowspan, verticalAlign: cell.verticalAlign ?? .top,
                                   fill: try cell.fill?.resolve(in: scope)))
        }
        return BoundRow(cells: cells, fill: try template.fill?.resolve(in: scope))
    }
}
