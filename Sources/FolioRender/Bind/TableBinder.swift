/// Expands a table's row templates against data: `each` and `if` on rows, cells bound in the row's scope.
struct TableBinder {
    let binder: Binder

    func bind(_ table: TableElement, scope: Scope, flow: FlowRules) throws(RenderError) -> TableBlock {
        var body: [BoundRow] = []
        try expand(table.rows, scope: scope, carry: table.carry?.value, limit: binder.context.limits.maxTableRows,
                   into: &body)
        var header: [BoundRow] = [], footer: [BoundRow] = []
        try expand(table.header, scope: scope, carry: nil, limit: 1000, into: &header)
        try expand(table.footer, scope: scope, carry: nil, limit: 1000, into: &footer)
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

    private func expand(_ rows: [TableRow], scope: Scope, carry: Expression?, limit: Int,
                        into result: inout [BoundRow]) throws(RenderError) {
        for template in rows {
            if let loop = template.loop {
                let items = try Binder.items(of: loop, in: scope, location: template.location)
                var single = template
                single.loop = nil
                for (index, item) in items.enumerated() {
                    try expand([single], scope: Binder.scope(scope, loop: loop, item: item, index: index, count: items.count),
                               carry: carry, limit: limit, into: &result)
                }
                continue
            }
            if let condition = template.condition, !(try condition.evaluate(in: scope).isTruthy) { continue }
            if let group = template.group {
                try expand(group, scope: scope, carry: carry, limit: limit, into: &result)
                continue
            }
            guard result.count < limit else {
                throw RenderError(.pageLimit, "the table has more than \(limit) rows; the limit is a setting (table rows)",
                                  location: template.location)
            }
            var row = try self.row(template, scope: scope)
            if let carry { row.carryValue = try carry.evaluate(in: scope) }
            result.append(row)
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
