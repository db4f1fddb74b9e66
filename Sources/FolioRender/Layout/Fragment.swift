/// Something to draw, positioned relative to the fragment that holds it. Painting is the only stage that reads these.
enum DrawOp {
    case text(TextLayout, x: Double, y: Double, lines: Range<Int>)
    /// Text whose content depends on the page number; shaped again when the page is painted.
    case pageText(PageText, x: Double, y: Double)
    case rect(x: Double, y: Double, width: Double, height: Double, fill: Color?, stroke: Color?, strokeWidth: Double,
              radius: Double)
    case line(x1: Double, y1: Double, x2: Double, y2: Double, color: Color, width: Double, dash: [Double])
    case custom(x: Double, y: Double, width: Double, height: Double, draw: (OpaquePointer) throws(RenderError) -> Void)
    case bookmark(level: Int, title: String, y: Double)
    /// Content placed at page coordinates (from the paper's corner, or from the margin's).
    case absolute(Fragment, x: Double, y: Double, fromPage: Bool)
}

/// A paragraph that mentions `page` or `pages`: bound again on each page it lands on.
struct PageText {
    var text: RichText
    var scope: Scope
    var style: TextStyle
    var width: Double
}

/// A laid-out piece of a block: its height and what to draw, with nested fragments at offsets.
final class Fragment {
    var height: Double
    var ops: [DrawOp] = []
    var children: [(x: Double, y: Double, fragment: Fragment)] = []

    init(height: Double) { self.height = height }

    func add(_ child: Fragment, x: Double, y: Double) { children.append((x, y, child)) }
}

/// What a block could place in the space offered.
enum Slice {
    /// All of it.
    case whole(Fragment)
    /// Part of it; `rest` goes on the next page.
    case part(Fragment, rest: any Block)
    /// Nothing fits; try again on a fresh page.
    case none
}
