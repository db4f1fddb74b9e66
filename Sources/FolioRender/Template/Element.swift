/// One thing a template places on the page, before data is bound to it.
///
/// Every element may carry `if`/`else`, `each`, spacing and keep rules; its `kind` says what it draws.
public struct Element: Sendable {
    public indirect enum Kind: Sendable {
        case text(TextElement)
        case stack([Element])
        case row(RowElement)
        case table(TableElement)
        case box(BoxElement)
        case rule(RuleElement)
        case spacer(Double)
        case pageBreak
        case image(ImageElement)
        case barcode(BarcodeElement)
        case checkbox(CheckboxElement)
        case trace(TraceElement)
        case absolute(AbsoluteElement)
    }

    public var kind: Kind
    public var location: SourceLocation
    /// `if:` — the element appears only when this is truthy.
    public var condition: Expression?
    /// `else:` — what appears instead when the condition is false.
    public var otherwise: [Element] = []
    /// `each: "line in lines"` — the element repeats for every item.
    public var loop: Loop?
    public var spaceBefore = 0.0
    public var spaceAfter = 0.0
    /// Never split across pages unless it is taller than a page.
    public var keepTogether = false
    /// Stay on the same page as the element that follows (headings).
    public var keepWithNext = false

    public init(kind: Kind, location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

/// `each: "item in items"` or `each: "item, i in items"`.
public struct Loop: Sendable {
    public var variable: String
    public var source: Expression
}

/// Text with inline markup, shaped by Pango.
public struct TextElement: Sendable {
    public var content: RichText
    public var style: StyleRef
    public var maxLines: Int?
    public var hyphenate = true
    /// `auto` follows the text; `rtl`/`ltr` force a base direction.
    public var direction: String = "auto"
    /// Outline (bookmark) level in the PDF, 1 for top-level headings.
    public var bookmark: Int?
}

/// A reference to a named style plus inline overrides, resolved at load time.
public struct StyleRef: Sendable {
    public var resolved: TextStyle
}

public struct RowElement: Sendable {
    public var widths: [TrackWidth]
    public var gap: Double
    public var verticalAlign: VerticalAlign
    /// Boxes that are a cell's only content grow to the row's height, so side-by-side panels line up.
    public var equalHeight = false
    public var cells: [[Element]]
}

public struct TableColumn: Sendable {
    public var width: TrackWidth
    public var align: TextAlign?
    public var verticalAlign: VerticalAlign?
}

/// A cell as written: its content, spans and own look.
public struct TableCell: Sendable {
    public var content: [Element]
    public var colspan = 1
    public var rowspan = 1
    public var align: TextAlign?
    public var verticalAlign: VerticalAlign?
    public var fill: ColorSource?
    public var style: StyleRef?
    public var location: SourceLocation
}

/// One row template, possibly repeated (`each`) or conditional (`if`).
public struct TableRow: Sendable {
    public var cells: [TableCell]
    public var condition: Expression?
    public var loop: Loop?
    public var fill: ColorSource?
    public var style: StyleRef?
    public var location: SourceLocation
    /// A row that stands for many (`each` over `rows:`): nested rows repeated per item.
    public var group: [TableRow]? = nil
}

public struct TableBorders: Sendable {
    public enum Rule: String, Sendable { case all, horizontal, outer, header, none }
    public var rule: Rule = .horizontal
    public var width = 0.5
    public var color = Color(red: 0.75, green: 0.75, blue: 0.75)
}

/// Carried-forward subtotals: the sum of `value` over the rows placed so far, shown at a page foot and the next head.
public struct TableCarry: Sendable {
    public var value: Expression
    public var forward: TableRow
    public var brought: TableRow
}

public struct TableElement: Sendable {
    public var columns: [TableColumn]
    public var header: [TableRow]
    public var rows: [TableRow]
    public var footer: [TableRow]
    public var carry: TableCarry?
    public var repeatHeader = true
    public var borders = TableBorders()
    public var padding = Insets(top: 2.5, right: 4, bottom: 2.5, left: 4)
    public var zebra: Color?
    public var headerFill: Color?
    public var headerStyle: StyleRef?
    public var bodyStyle: StyleRef
    public var footerStyle: StyleRef?
}

public struct BoxElement: Sendable {
    public var content: [Element]
    public var padding: Insets
    public var borderWidth: Double
    public var borderColor: Color?
    public var radius: Double
    public var fill: Color?
    /// `fill: "{{ … }}"`: the fill comes from data.
    public var boundFill: ColorSource?
    public var width: TrackWidth?
    public var height: Double?
}

public struct RuleElement: Sendable {
    public var thickness: Double
    public var color: Color
    public var dash: [Double]
}

public struct ImageElement: Sendable {
    /// A file in the template's folder, a `data:` URI, or base64 — or an expression giving one of these.
    public var source: Interpolation
    public var width: Double?
    public var height: Double?
    public var fit: String
    public var align: TextAlign
}

public struct BarcodeElement: Sendable {
    public var symbology: Interpolation
    public var value: Interpolation
    public var width: Double?
    public var height: Double
    /// Whether to print the human-readable line; an expression so data can decide (`barcode.human_readable`).
    public var showText: Expression
    /// QR/Aztec/PDF417 error correction (`L`, `M`, `Q`, `H`, or 0–8 for PDF417); an interpolation so data can decide.
    public var errorCorrection: Interpolation?
    public var align: TextAlign
    public var color: Color
}

public struct CheckboxElement: Sendable {
    public var checked: Expression
    public var label: RichText?
    public var size: Double
    public var style: StyleRef
}

/// A frame or lens outline from polar radii (an OMA trace), drawn to scale or fitted to a box.
public struct TraceElement: Sendable {
    public var radii: Expression
    /// `mm` (decimals) or `hundredths` (OMA integers).
    public var unit: String
    public var mirror: Bool
    public var width: Double
    public var height: Double
    /// Draw 1:1 in millimetres when it fits instead of scaling to the box.
    public var trueScale: Bool
    public var strokeWidth: Double
    public var color: Color
    public var fill: Color?
    public var showBoxing: Bool
    public var label: Interpolation?
    public var style: StyleRef
}

/// Elements placed at fixed coordinates on the page (forms, tickets), outside the flow.
public struct AbsoluteElement: Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double?
    /// `page` measures from the paper's corner, `margin` from the content area's.
    public var relativeToPage: Bool
    public var content: [Element]
}
import Foundation
