import CPangoCairo
import Foundation

extension BarcodeVector {
    /// Paints the barcode into the box (`x`, `y`, `width`, `height`, in user units of `cr`).
    ///
    /// All bars, modules and dots are filled as one path, so they stay crisp vectors in PDF and SVG. 2-D codes keep
    /// their aspect ratio and are centred; linear codes fill the box width and stretch their bars to the box height,
    /// with the text (in `fontFamily`, through Pango) scaled with the width under the bars; in a short box the text
    /// shrinks so the bars keep most of the height. Text layouts come from `fontMap` when given (the renderer's
    /// private fonts), else from Pango's default font map for `cr`. The context's state is restored afterwards.
    public func draw(in cr: OpaquePointer, x: Double, y: Double, width boxWidth: Double, height boxHeight: Double,
                     color: Color = .black, fontFamily: String = "DejaVu Sans", fontMap: UnsafeMutablePointer<PangoFontMap>? = nil) {
        guard self.width > 0, self.height > 0, boxWidth > 0, boxHeight > 0 else { return }
        let mapping = VerticalMapping(vector: self, boxWidth: boxWidth, boxHeight: boxHeight)

        cairo_save(cr)
        defer { cairo_restore(cr) }
        cairo_translate(cr, x + mapping.offsetX, y + mapping.offsetY)
        color.setSource(on: cr)
        cairo_new_path(cr)
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING)
        for rect in rectangles {
            let top = mapping.y(rect.y), bottom = mapping.y(rect.y + rect.height)
            cairo_rectangle(cr, rect.x * mapping.scaleX, top, rect.width * mapping.scaleX, bottom - top)
        }
        for hexagon in hexagons {
            addHexagon(hexagon, to: cr, mapping: mapping)
        }
        for circle in circles {
            addCircle(circle, to: cr, mapping: mapping)
        }
        cairo_fill(cr)

        for text in texts {
            draw(text, in: cr, mapping: mapping, fontFamily: fontFamily, fontMap: fontMap)
        }
    }

    private func addHexagon(_ hexagon: Hexagon, to cr: OpaquePointer, mapping: VerticalMapping) {
        // Points up for rotation 0/180, sideways for 90/270.
        let start = hexagon.rotation % 180 == 0 ? Double.pi / 2 : 0
        let radius = hexagon.diameter / 2
        for corner in 0..<6 {
            let angle = start + Double(corner) * .pi / 3
            let px = (hexagon.x + radius * cos(angle)) * mapping.scaleX
            let py = mapping.y(hexagon.y + radius * sin(angle))
            corner == 0 ? cairo_move_to(cr, px, py) : cairo_line_to(cr, px, py)
        }
        cairo_close_path(cr)
    }

    private func addCircle(_ circle: Circle, to cr: OpaquePointer, mapping: VerticalMapping) {
        let cx = circle.x * mapping.scaleX, cy = mapping.y(circle.y)
        let radius = circle.diameter / 2 * mapping.scaleX
        cairo_new_sub_path(cr)
        if circle.ringWidth > 0 {
            let half = circle.ringWidth / 2 * mapping.scaleX
            cairo_arc(cr, cx, cy, radius + half, 0, 2 * .pi)
            cairo_close_path(cr)
            cairo_new_sub_path(cr)
            cairo_arc_negative(cr, cx, cy, max(radius - half, 0), 2 * .pi, 0)
        } else if circle.isHole {
            cairo_arc_negative(cr, cx, cy, radius, 2 * .pi, 0)
        } else {
            cairo_arc(cr, cx, cy, radius, 0, 2 * .pi)
        }
        cairo_close_path(cr)
    }

    private func draw(_ text: Text, in cr: OpaquePointer, mapping: VerticalMapping, fontFamily: String,
                      fontMap: UnsafeMutablePointer<PangoFontMap>?) {
        guard let layout = Self.makeLayout(cr, fontMap: fontMap) else { return }
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        var fontSize = text.fontSize * mapping.scaleFixed
        setFont(of: layout, family: fontFamily, size: fontSize)
        text.text.withCString { pango_layout_set_text(layout, $0, -1) }
        var inkWidth = Self.logicalWidth(of: layout)
        let maxWidth = text.maxWidth * mapping.scaleX
        if maxWidth > 0, inkWidth > maxWidth {
            fontSize *= maxWidth / inkWidth
            setFont(of: layout, family: fontFamily, size: fontSize)
            inkWidth = Self.logicalWidth(of: layout)
        }
        let anchorX = text.x * mapping.scaleX
        let left: Double
        switch text.alignment {
        case .center: left = anchorX - inkWidth / 2
        case .left: left = anchorX
        case .right: left = anchorX - inkWidth
        }
        let baseline = Double(pango_layout_get_baseline(layout)) / Double(PANGO_SCALE)
        cairo_move_to(cr, left, mapping.y(text.y) - baseline)
        pango_cairo_show_layout(cr, layout)
    }

    private static func makeLayout(_ cr: OpaquePointer, fontMap: UnsafeMutablePointer<PangoFontMap>?) -> OpaquePointer? {
        guard let fontMap else { return pango_cairo_create_layout(cr) }
        guard let context = pango_font_map_create_context(fontMap) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(context)) }
        pango_cairo_update_context(cr, context)
        return pango_layout_new(context)
    }

    private func setFont(of layout: OpaquePointer, family: String, size: Double) {
        guard let description = pango_font_description_new() else { return }
        defer { pango_font_description_free(description) }
        family.withCString { pango_font_description_set_family(description, $0) }
        pango_font_description_set_absolute_size(description, size * Double(PANGO_SCALE))
        pango_layout_set_font_description(layout, description)
    }

    private static func logicalWidth(of layout: OpaquePointer) -> Double {
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_size(layout, &width, &height)
        return Double(width) / Double(PANGO_SCALE)
    }
}

/// Maps zint units to the box. x scales uniformly. 2-D codes scale y the same. Linear codes fill the box width; their
/// bar band stretches to whatever height is left, while what lies outside it (text, guard-bar descents, bearer bars)
/// scales with the width, or shrinks so that it never takes more than ``maxFixedShare`` of the box height.
struct VerticalMapping {
    static let maxFixedShare = 0.4

    var scaleX: Double
    /// Scale of everything outside the bar band, and of the text.
    var scaleFixed: Double
    var stretchY: Double
    var band: ClosedRange<Double>
    var offsetX = 0.0
    var offsetY = 0.0

    init(vector: BarcodeVector, boxWidth: Double, boxHeight: Double) {
        band = vector.barBand
        let bandHeight = band.upperBound - band.lowerBound
        if vector.symbology.keepsAspectRatio || bandHeight <= 0 {
            let uniform = min(boxWidth / vector.width, boxHeight / vector.height)
            scaleX = uniform
            scaleFixed = uniform
            stretchY = uniform
        } else {
            scaleX = boxWidth / vector.width
            let fixedHeight = vector.height - bandHeight
            scaleFixed = fixedHeight > 0 ? min(scaleX, boxHeight * Self.maxFixedShare / fixedHeight) : scaleX
            stretchY = (boxHeight - fixedHeight * scaleFixed) / bandHeight
        }
        offsetX = (boxWidth - vector.width * scaleX) / 2
        offsetY = (boxHeight - y(vector.height)) / 2
    }

    /// The box-relative y of zint's `value`.
    func y(_ value: Double) -> Double {
        if value <= band.lowerBound { return value * scaleFixed }
        let top = band.lowerBound * scaleFixed
        if value <= band.upperBound { return top + (value - band.lowerBound) * stretchY }
        return top + (band.upperBound - band.lowerBound) * stretchY + (value - band.upperBound) * scaleFixed
    }
}
