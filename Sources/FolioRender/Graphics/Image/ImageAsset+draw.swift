import CPangoCairo

extension ImageAsset {
    /// Paints the image into the box (user units of `cr`), placed by `fit`; `.cover` clips to the box.
    ///
    /// Raster images become image patterns (a JPEG keeps its original bytes, so PDFs embed it unchanged); SVG is
    /// rendered by librsvg as vector operations. The context's state is restored afterwards.
    ///
    /// - Throws: ``RenderError/Code/imageInvalid`` when librsvg fails to render the SVG.
    public func draw(in cr: OpaquePointer, x: Double, y: Double, width boxWidth: Double, height boxHeight: Double,
                     fit: ImageFit = .contain) throws(RenderError) {
        guard boxWidth > 0, boxHeight > 0, width > 0, height > 0 else { return }
        let place = fit.placement(imageWidth: width, imageHeight: height, x: x, y: y, width: boxWidth,
                                  height: boxHeight)
        cairo_save(cr)
        defer { cairo_restore(cr) }
        if fit == .cover {
            cairo_rectangle(cr, x, y, boxWidth, boxHeight)
            cairo_clip(cr)
        }
        cairo_translate(cr, place.x, place.y)
        cairo_scale(cr, place.width / width, place.height / height)
        switch storage {
        case .raster(let raster):
            raster.draw(in: cr)
        case .svg(let svg):
            try svg.draw(in: cr, name: name)
        }
    }
}
