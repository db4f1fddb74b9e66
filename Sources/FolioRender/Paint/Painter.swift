import CPangoCairo
import Foundation

/// Paints laid-out pages onto a Cairo surface (PDF, PNG or SVG) in memory.
struct Painter {
    let context: LayoutContext

    func pdf(_ pages: [PageLayout], info: DocumentInfo, watermark: (RichText, Watermark)?, scope: Scope) throws(RenderError) -> [UInt8] {
        let sink = ByteSink()
        let first = pages.first
        guard let surface = cairo_pdf_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                first?.width ?? 595, first?.height ?? 842) else {
            throw RenderError(.backend, "cairo could not create a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        setMetadata(surface, info)
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        var outline: [Int32] = [0]
        for (index, page) in pages.enumerated() {
            cairo_pdf_surface_set_size(surface, page.width, page.height)
            try paint(page, number: index + 1, of: pages.count, cr: cr, watermark: watermark, scope: scope) { level, title, y in
                let parent = outline[min(level - 1, outline.count - 1)]
                let id = cairo_pdf_surface_add_outline(surface, parent, title,
                                                       "page=\(index + 1) pos=[0 \(Int(y))]", CAIRO_PDF_OUTLINE_FLAG_OPEN)
                if outline.count > level { outline.removeSubrange(level...) }
                outline.append(id)
            }
            cairo_show_page(cr)
        }
        cairo_surface_finish(surface)
        try check(surface)
        return sink.bytes
    }

    func png(_ page: PageLayout, number: Int, of total: Int, dpi: Double, watermark: (RichText, Watermark)?,
             scope: Scope) throws(RenderError) -> [UInt8] {
        let scale = dpi / 72
        let width = Int32((page.width * scale).rounded()), height = Int32((page.height * scale).rounded())
        guard Int(width) * Int(height) <= 200_000_000 else {
            throw RenderError(.pageLimit, "a \(width)×\(height) pixel image is too large; lower the dpi")
        }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)!
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        try paint(page, number: number, of: total, cr: cr, watermark: watermark, scope: scope) { _, _, _ in }
        cairo_surface_flush(surface)
        try check(surface)
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(surface, ByteSink.write, Unmanaged.passUnretained(sink).toOpaque())
        guard status == CAIRO_STATUS_SUCCESS else { throw RenderError(.backend, "PNG encoding failed") }
        return sink.bytes
    }

    func svg(_ page: PageLayout, number: Int, of total: Int, watermark: (RichText, Watermark)?,
             scope: Scope) throws(RenderError) -> [UInt8] {
        let sink = ByteSink()
        guard let surface = cairo_svg_surface_create_for_stream(ByteSink.write, Unmanaged.passUnretained(sink).toOpaque(),
                                                                page.width, page.height) else {
            throw RenderError(.backend, "cairo could not create an SVG surface")
        }
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
        let cr = cairo_create(surface)!
        try paint(page, number: number, of: total, cr: cr, watermark: watermark, scope: scope) { _, _, _ in }
        cairo_show_page(cr)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        try check(surface)
        cairo_surface_destroy(surface)
        return sink.bytes
    }

    private func check(_ surface: OpaquePointer) throws(RenderError) {
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw RenderError(.backend, "cairo: " + String(cString: cairo_status_to_string(status)))
        }
    }

    private func setMetadata(_ surface: OpaquePointer, _ info: DocumentInfo) {
        func set(_ key: cairo_pdf_metadata_t, _ value: String?) {
            if let value, !value.isEmpty { cairo_pdf_surface_set_metadata(surface, key, value) }
        }
        set(CAIRO_PDF_METADATA_TITLE, info.title)
        set(CAIRO_PDF_METADATA_AUTHOR, info.author)
        set(CAIRO_PDF_METADATA_SUBJECT, info.subject)
        set(CAIRO_PDF_METADATA_KEYWORDS, info.keywords)
        set(CAIRO_PDF_METADATA_CREATOR, info.creator)
        let created = info.created.flatMap(PDFDate.iso8601) ?? PDFDate.now()
        set(CAIRO_PDF_METADATA_CREATE_DATE, created)
        set(CAIRO_PDF_METADATA_MOD_DATE, created)
    }

    private func paint(_ page: PageLayout, number: Int, of total: Int, cr: OpaquePointer,
                       watermark: (RichText, Watermark)?, scope: Scope,
                       bookmark: (Int, String, Double) -> Void) throws(RenderError) {
        var pageScope = scope
        pageScope.page = number
        pageScope.pages = total
        if let (text, mark) = watermark { try paintWatermark(text, mark, page: page, cr: cr, scope: pageScope) }
        let left = page.margins.left
        let origin = (left, page.margins.top)
        if let header = page.header { try paint(header, x: left, y: page.margins.top, page: page, origin: origin, cr: cr, scope: pageScope, bookmark: bookmark) }
        try paint(page.body, x: left, y: page.bodyTop, page: page, origin: origin, cr: cr, scope: pageScope, bookmark: bookmark)
        if let footer = page.footer { try paint(footer, x: left, y: page.footerTop, page: page, origin: origin, cr: cr, scope: pageScope, bookmark: bookmark) }
    }

    private func paint(_ fragment: Fragment, x: Double, y: Double, page: PageLayout, origin: (Double, Double),
                       cr: OpaquePointer, scope: Scope, bookmark: (Int, String, Double) -> Void) throws(RenderError) {
        for op in fragment.ops {
            switch op {
            case .text(let layout, let dx, let dy, let lines):
                layout.draw(in: cr, x: x + dx, y: y + dy, lines: lines)
            case .pageText(let text, let dx, let dy):
                let bound = try text.text.bind(in: text.scope.pageNumbers(from: scope), uppercase: text.style.uppercase)
                let layout = context.shaped(bound, style: text.style, width: text.width)
                layout.draw(in: cr, x: x + dx, y: y + dy, lines: 0..<layout.lines.count)
            case .rect(let rx, let ry, let width, let height, let fill, let stroke, let strokeWidth, let radius):
                path(rect: (x + rx, y + ry, width, height), radius: radius, cr: cr)
                if let fill {
                    cairo_set_source_rgba(cr, fill.red, fill.green, fill.blue, fill.alpha)
                    if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
                }
                if let stroke {
                    cairo_set_source_rgba(cr, stroke.red, stroke.green, stroke.blue, stroke.alpha)
                    cairo_set_line_width(cr, strokeWidth)
                    cairo_stroke(cr)
                }
            case .line(let x1, let y1, let x2, let y2, let color, let width, let dash):
                cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
                cairo_set_line_width(cr, width)
                cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
                dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
                cairo_move_to(cr, x + x1, y + y1)
                cairo_line_to(cr, x + x2, y + y2)
                cairo_stroke(cr)
                cairo_set_dash(cr, nil, 0, 0)
            case .custom(let cx, let cy, _, _, let draw):
                cairo_save(cr)
                cairo_translate(cr, x + cx, y + cy)
                defer { cairo_restore(cr) }
                try draw(cr)
            case .bookmark(let level, let title, let by):
                bookmark(level, title, y + by)
            case .absolute(let inner, let ax, let ay, let fromPage):
                let base = fromPage ? (0.0, 0.0) : origin
                try paint(inner, x: base.0 + ax, y: base.1 + ay, page: page, origin: origin, cr: cr, scope: scope,
                          bookmark: bookmark)
            }
        }
        for child in fragment.children {
            try paint(child.fragment, x: x + child.x, y: y + child.y, page: page, origin: origin, cr: cr, scope: scope,
                      bookmark: bookmark)
        }
    }

    private func path(rect: (Double, Double, Double, Double), radius: Double, cr: OpaquePointer) {
        let (x, y, w, h) = rect
        guard radius > 0 else { cairo_rectangle(cr, x, y, w, h); return }
        let r = min(radius, w / 2, h / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, x + w - r, y + r, r, -.pi / 2, 0)
        cairo_arc(cr, x + w - r, y + h - r, r, 0, .pi / 2)
        cairo_arc(cr, x + r, y + h - r, r, .pi / 2, .pi)
        cairo_arc(cr, x + r, y + r, r, .pi, 3 * .pi / 2)
        cairo_close_path(cr)
    }

    private func paintWatermark(_ text: RichText, _ mark: Watermark, page: PageLayout, cr: OpaquePointer,
                                scope: Scope) throws(RenderError) {
        var style = TextStyle()
        style.size = mark.size
        style.weight = 700
        style.color = mark.color
        style.align = .center
        let layout = context.shaped(try text.bind(in: scope), style: style, width: nil)
        cairo_save(cr)
        cairo_translate(cr, page.width / 2, page.height / 2)
        cairo_rotate(cr, mark.angle * .pi / 180)
        layout.draw(in: cr, x: -layout.naturalWidth / 2, y: -layout.height / 2, lines: 0..<layout.lines.count)
        cairo_restore(cr)
    }
}

extension Scope {
    /// This scope with the page numbers of `other`.
    func pageNumbers(from other: Scope) -> Scope {
        var scope = self
        scope.page = other.page
        scope.pages = other.pages
        return scope
    }
}

/// Collects what Cairo writes into memory.
final class ByteSink {
    var bytes: [UInt8] = []

    static let write: cairo_write_func_t = { closure, data, length in
        guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
        let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
        return CAIRO_STATUS_SUCCESS
    }
}
