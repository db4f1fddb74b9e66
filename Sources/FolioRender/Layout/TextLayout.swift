import CPangoCairo

/// A paragraph shaped by Pango at a fixed width, with its lines measured so pages can split it between lines.
final class TextLayout {
    struct Line {
        /// Top and bottom of the line box, and its baseline, from the top of the paragraph (points).
        var top: Double
        var bottom: Double
        var baseline: Double
        var x: Double
    }

    let layout: OpaquePointer
    let lines: [Line]
    let width: Double
    let color: Color
    let unknownGlyphs: Int

    var height: Double { lines.last?.bottom ?? 0 }

    /// Shapes `text` in `style`; `width` nil means one unwrapped line (natural width).
    init(text: BoundText, style: TextStyle, width: Double?, maxLines: Int? = nil, hyphenate: Bool = true,
         direction: String = "auto", fonts: ThreadFonts) {
        let context = direction == "rtl" ? fonts.rtlContext : fonts.context
        layout = pango_layout_new(context)
        self.color = style.color
        if direction != "auto" { pango_layout_set_auto_dir(layout, 0) }
        let description = pango_font_description_new()
        pango_font_description_set_family(description, style.font)
        pango_font_description_set_absolute_size(description, style.size * Double(PANGO_SCALE))
        pango_font_description_set_weight(description, PangoWeight(rawValue: UInt32(style.weight)))
        pango_font_description_set_style(description, style.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL)
        pango_layout_set_font_description(layout, description)
        pango_font_description_free(description)

        let attributes = pango_attr_list_new()
        if style.letterSpacing != 0 {
            pango_attr_list_insert(attributes, pango_attr_letter_spacing_new(Int32(style.letterSpacing * Double(PANGO_SCALE))))
        }
        if style.underline { pango_attr_list_insert(attributes, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE)) }
        if !hyphenate { pango_attr_list_insert(attributes, pango_attr_insert_hyphens_new(0)) }
        pango_layout_set_attributes(layout, attributes)
        pango_attr_list_unref(attributes)

        if text.isMarkup {
            pango_layout_set_markup(layout, text.text, -1)
        } else {
            pango_layout_set_text(layout, text.text, -1)
        }
        if let width {
            pango_layout_set_width(layout, Int32(max(1, width) * Double(PANGO_SCALE)))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        switch style.align {
        case .left: pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
        case .center: pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT)
        case .justify:
            pango_layout_set_alignment(layout, PANGO_ALIGN_LEFT)
            pango_layout_set_justify(layout, 1)
        }
        if style.lineHeight != 1 { pango_layout_set_line_spacing(layout, Float(style.lineHeight)) }
        if let maxLines, width != nil { TextLayout.truncate(layout, toLines: maxLines) }
        self.width = width ?? 0
        unknownGlyphs = Int(pango_layout_get_unknown_glyphs_count(layout))
        lines = TextLayout.measureLines(layout)
    }

    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    /// The widest line's logical width: what an `auto` column needs.
    var naturalWidth: Double {
        var logical = PangoRectangle()
        pango_layout_get_extents(layout, nil, &logical)
        return Double(logical.width) / Double(PANGO_SCALE)
    }

    /// Cuts the text after `maxLines` lines and ends it with "…". The cut is made in the text itself (not with Pango's
    /// ellipsis, which keeps the hidden text in the PDF's text layer), so what can be copied or searched is what shows.
    private static func truncate(_ layout: OpaquePointer, toLines maxLines: Int) {
        guard pango_layout_get_line_count(layout) > Int32(maxLines),
              let last = pango_layout_get_line_readonly(layout, Int32(maxLines - 1)) else { return }
        let bytes = Array(String(cString: pango_layout_get_text(layout)).utf8)
        let end = min(bytes.count, Int(last.pointee.start_index + last.pointee.length))
        var visible = String(decoding: bytes[..<end], as: UTF8.self)
        pango_layout_set_attributes(layout, pango_layout_get_attributes(layout))
        repeat {
            while let tail = visible.last, tail.isWhitespace || tail.isPunctuation { visible.removeLast() }
            pango_layout_set_text(layout, visible + "…", -1)
            if pango_layout_get_line_count(layout) <= Int32(maxLines) || visible.isEmpty { return }
            if let space = visible.lastIndex(where: \.isWhitespace), visible.distance(from: space, to: visible.endIndex) < 24 {
                visible = String(visible[..<space])
            } else {
                visible.removeLast()
            }
        } while true
    }

    private static func measureLines(_ layout: OpaquePointer) -> [Line] {
        var lines: [Line] = []
        let iterator = pango_layout_get_iter(layout)
        defer { pango_layout_iter_free(iterator) }
        let scale = Double(PANGO_SCALE)
        repeat {
            var y0: Int32 = 0, y1: Int32 = 0
            pango_layout_iter_get_line_yrange(iterator, &y0, &y1)
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iterator, nil, &logical)
            let baseline = pango_layout_iter_get_baseline(iterator)
            lines.append(Line(top: Double(y0) / scale, bottom: Double(y1) / scale, baseline: Double(baseline) / scale,
                              x: Double(logical.x) / scale))
        } while pango_layout_iter_next_line(iterator) != 0
        return lines
    }

    /// How many lines from `first` fit in `height`.
    func linesFitting(from first: Int, height: Double) -> Int {
        guard first < lines.count else { return 0 }
        let origin = lines[first].top
        var count = 0
        while first + count < lines.count, lines[first + count].bottom - origin <= height + 0.01 { count += 1 }
        return count
    }

    /// Draws lines `range` with the first one's top at `y`.
    func draw(in cr: OpaquePointer, x: Double, y: Double, lines range: Range<Int>) {
        cairo_set_source_rgba(cr, color.red, color.green, color.blue, color.alpha)
        if range.lowerBound == 0 && range.upperBound == lines.count {
            cairo_move_to(cr, x, y)
            pango_cairo_show_layout(cr, layout)
            return
        }
        let origin = lines[range.lowerBound].top
        for index in range {
            guard let line = pango_layout_get_line_readonly(layout, Int32(index)) else { continue }
            cairo_move_to(cr, x + lines[index].x, y + lines[index].baseline - origin)
            pango_cairo_show_layout_line(cr, line)
        }
    }
}
