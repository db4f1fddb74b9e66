/// The body rows of a table, expanded (`each`, `if`) but bound only when layout reaches them.
///
/// A 1,000-row invoice thus never holds 1,000 rows of bound cells at once: each row is bound, laid out into its
/// fragment and let go. Row spans are read from the row templates, so grouping rows needs no binding.
final class RowSource {
    struct Entry {
        var template: TableRow
        var scope: Scope
    }

    private let entries: [Entry]
    private let bind: (TableRow, Scope) throws(RenderError) -> BoundRow
    private var last: (index: Int, row: BoundRow)?

    init(entries: [Entry], bind: @escaping (TableRow, Scope) throws(RenderError) -> BoundRow) {
        self.entries = entries
        self.bind = bind
    }

    var count: Int { entries.count }

    /// Row `index`, bound now (the last one asked for is kept, since a row that did not fit is asked for again).
    func row(at index: Int) throws(RenderError) -> BoundRow {
        if let last, last.index == index { return last.row }
        let entry = entries[index]
        let row = try bind(entry.template, entry.scope)
        last = (index, row)
        return row
    }

    /// The row spans of row `index`'s cells, from its template.
    func rowspans(at index: Int) -> [Int] { entries[index].template.cells.map(\.rowspan) }
}
