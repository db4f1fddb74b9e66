import CPangoCairo
import Foundation

/// Images, barcodes and trace shapes for the binder: resolves sources, encodes, and sizes them as blocks.
///
/// Image files are read only from the template's own folder (never a URL, never `..`), decoded once and cached.
struct AssetResolver {
    let template: Template
    let limits: RenderLimits

    /// Module width for linear barcodes without an explicit width: 0.33 mm, the common X-dimension for labels.
    static let moduleWidth = Length.mm(0.33).points

    func imageBlock(_ image: ImageElement, scope: Scope, flow: FlowRules, location: SourceLocation) throws(RenderError) -> any Block {
        let source = try image.source.render(in: scope).trimmingCharacters(in: .whitespacesAndNewlines)
        let asset = try load(source, location: location)
        guard let fit = ImageFit(named: image.fit) else {
            throw RenderError(.templateInvalid, "fit '\(image.fit)' is contain, cover or fill", location: location)
        }
        return ImageBlock(asset: asset, width: image.width, height: image.height, fit: fit, align: image.align, flow: flow)
    }

    private func load(_ source: String, location: SourceLocation) throws(RenderError) -> ImageAsset {
        let imageLimits = ImageLimits(maxEncodedBytes: limits.maxImageBytes, maxPixels: limits.maxImagePixels)
        guard !source.isEmpty else { throw RenderError(.imageInvalid, "the image source is empty", location: location) }
        if source.hasPrefix("data:") || AssetResolver.looksLikeBase64(source) {
            do { return try ImageAsset(inline: source, name: "inline image", limits: imageLimits) } catch {
                var error = error
                error.location = error.location ?? location
                throw error
            }
        }
        if source.contains("://") {
            throw RenderError(.imageInvalid, "images come from the template's folder or from data (base64), never from a URL",
                              location: location)
        }
        let parts = source.split(separator: "/")
        guard !source.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            throw RenderError(.imageInvalid, "'\(source)' must be a file inside the template's folder", location: location)
        }
        let path = template.directory + "/" + source
        return try AssetCache.shared.asset(path: path, name: source, limits: imageLimits, location: location)
    }

    static func looksLikeBase64(_ text: String) -> Bool {
        text.count > 64 && !text.contains(".") && text.utf8.allSatisfy {
            ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 47 || $0 == 61
                || $0 == 10 || $0 == 13 || $0 == 45 || $0 == 95
        }
    }

    func barcodeBlock(_ barcode: BarcodeElement, scope: Scope, flow: FlowRules, context: LayoutContext,
                      location: SourceLocation) throws(RenderError) -> any Block {
        let name = try barcode.symbology.render(in: scope)
        guard let symbology = BarcodeSymbology(named: name) else {
            throw RenderError(.barcodeInvalid, "unknown barcode type '\(name)'; known: "
                              + BarcodeSymbology.known.map(\.name).joined(separator: ", "), location: location)
        }
        let content = try barcode.value.render(in: scope)
        guard !content.isEmpty else {
            throw RenderError(.barcodeInvalid, "the \(symbology.name) barcode has no value", location: location)
        }
        var options = BarcodeOptions(showsText: try barcode.showText.evaluate(in: scope).isTruthy)
        if let level = try barcode.errorCorrection?.render(in: scope), !level.isEmpty {
            guard let correction = BarcodeErrorCorrection(name: level) else {
                throw RenderError(.barcodeInvalid, "error correction '\(level)' is L, M, Q, H (or 0–8 for PDF417)",
                                  location: location)
            }
            options.errorCorrection = correction
        }
        let vector: BarcodeVector
        do {
            vector = try Barcode(symbology: symbology, content: content, options: options).encode()
        } catch {
            var error = error
            error.location = location
            throw error
        }
        let natural = vector.size(moduleWidth: AssetResolver.moduleWidth)
        let width = barcode.width ?? (symbology.keepsAspectRatio ? barcode.height * natural.width / max(natural.height, 1) : natural.width)
        let height = barcode.height
        let color = barcode.color
        let fontMap = context.fonts.fontMap
        return FixedBlock(width: width, height: height, align: barcode.align, flow: flow) { fragment, x in
            fragment.ops.append(.custom(x: x, y: 0, width: width, height: height) { cr throws(RenderError) in
                vector.draw(in: cr, x: 0, y: 0, width: width, height: height, color: color, fontMap: fontMap)
            })
        }
    }

    func traceBlock(_ trace: TraceElement, scope: Scope, flow: FlowRules, context: LayoutContext,
                    location: SourceLocation) throws(RenderError) -> any Block {
        guard case .array(let items) = try trace.radii.evaluate(in: scope) else {
            throw RenderError(.dataInvalid, "trace radii must be a list of numbers", location: location)
        }
        var radii: [Double] = []
        for (index, item) in items.enumerated() {
            guard let value = item.doubleValue else {
                throw RenderError(.dataInvalid, "trace radius \(index) is \(item.typeName), not a number", location: location)
            }
            radii.append(trace.unit == "hundredths" ? value / 100 : value)
        }
        var shape = try TraceShape(radii: radii, path: nil)
        if trace.mirror { shape = shape.mirrored() }
        context.warnings += shape.warnings
        let label = try trace.label.map { (text: Interpolation) throws(RenderError) -> TextLayout in
            var style = trace.style.resolved
            style.align = .center
            return context.shaped(BoundText(text: try text.render(in: scope), isMarkup: false), style: style, width: trace.width)
        }
        let width = trace.width, height = trace.height
        let labelHeight = label?.height ?? 0
        let drawing = height - labelHeight
        let mm = Length.mm(1).points
        let fitScale = min(width / max(shape.hbox, 1), drawing / max(shape.vbox, 1)) * 0.94
        let scale = trace.trueScale && shape.hbox * mm <= width && shape.vbox * mm <= drawing ? mm : fitScale
        let bounds = shape.bounds
        return FixedBlock(width: width, height: height, align: .left, flow: flow) { fragment, x in
            fragment.ops.append(.custom(x: x, y: 0, width: width, height: height) { cr throws(RenderError) in
                let centerX = width / 2 - (bounds.minX + bounds.maxX) / 2 * scale
                let centerY = drawing / 2 + (bounds.minY + bounds.maxY) / 2 * scale
                if trace.showBoxing {
                    cairo_set_source_rgba(cr, 0.55, 0.55, 0.55, 1)
                    cairo_set_line_width(cr, 0.5)
                    var dash = [2.0, 2.0]
                    cairo_set_dash(cr, &dash, 2, 0)
                    cairo_rectangle(cr, centerX + bounds.minX * scale, centerY - bounds.maxY * scale,
                                    shape.hbox * scale, shape.vbox * scale)
                    cairo_move_to(cr, centerX - 4, centerY); cairo_line_to(cr, centerX + 4, centerY)
                    cairo_move_to(cr, centerX, centerY - 4); cairo_line_to(cr, centerX, centerY + 4)
                    cairo_stroke(cr)
                    cairo_set_dash(cr, nil, 0, 0)
                }
                shape.addPath(to: cr, centerX: centerX, centerY: centerY, scale: scale)
                if let fill = trace.fill {
                    fill.setSource(on: cr)
                    cairo_fill_preserve(cr)
                }
                trace.color.setSource(on: cr)
                cairo_set_line_width(cr, trace.strokeWidth)
                cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
                cairo_stroke(cr)
                label?.draw(in: cr, x: 0, y: drawing, lines: 0..<(label?.lines.count ?? 0))
            })
        }
    }
}
