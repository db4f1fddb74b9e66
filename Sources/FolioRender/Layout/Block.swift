/// A piece of the bound document that can be laid out at a width and split between pages.
///
/// The contract every block keeps: when `atTop` is true (the block starts on an empty page area), it never answers
/// `.none` — it places at least something, shrinking or overflowing if it must — so pagination always progresses.
protocol Block: AnyObject {
    var flow: FlowRules { get }
    func layout(width: Double, available: Double, atTop: Bool, context: LayoutContext) throws(RenderError) -> Slice
    /// The width the block would like with no wrapping (for `auto` columns).
    func naturalWidth(context: LayoutContext) -> Double
}

/// Spacing and keep rules a block brings from its element.
struct FlowRules {
    var spaceBefore = 0.0
    var spaceAfter = 0.0
    var keepTogether = false
    var keepWithNext = false
    var isPageBreak = false
}

/// What every layout stage of one render shares: the thread's fonts, the limits, and what to warn about.
final class LayoutContext {
    let fonts: ThreadFonts
    let limits: RenderLimits
    let deadline: ContinuousClock.Instant
    var warnings: [String] = []
    private var warnedGlyphs = false

    init(fonts: ThreadFonts, limits: RenderLimits) {
        self.fonts = fonts
        self.limits = limits
        deadline = ContinuousClock.now.advanced(by: limits.renderTime)
    }

    /// Throws once the render-time limit has passed; called at every page and every table row.
    func checkTime() throws(RenderError) {
        if ContinuousClock.now > deadline {
            throw RenderError(.timeLimit, "rendering took longer than \(limits.renderTime); the limit is a setting (render time)")
        }
    }

    /// A paragraph shaped at `width`; identical requests on this thread share one shaped layout (shaping is the
    /// largest cost of a render, and invoices repeat quantities, amounts, rates and product names).
    func shaped(_ text: BoundText, style: TextStyle, width: Double?, maxLines: Int? = nil, hyphenate: Bool = true,
                direction: String = "auto") -> TextLayout {
        let key = ShapeKey(text: text, style: style, width: width, maxLines: maxLines, hyphenate: hyphenate,
                           direction: direction)
        let layout: TextLayout
        if let cached = fonts.shapes.value(for: key) {
            layout = cached
        } else {
            layout = TextLayout(text: text, style: style, width: width, maxLines: maxLines, hyphenate: hyphenate,
                                direction: direction, fonts: fonts)
            fonts.shapes.store(layout, for: key)
        }
        if layout.unknownGlyphs > 0 {
            warnings.append("\(layout.unknownGlyphs) character(s) in \"\(text.text.prefix(40))\" have no glyph in the shipped fonts")
        }
        return layout
    }
}
