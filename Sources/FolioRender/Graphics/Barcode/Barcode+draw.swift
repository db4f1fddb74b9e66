import CPangoCairo

extension Barcode {
    /// Encodes and paints the barcode into the box; see ``BarcodeVector/draw(in:x:y:width:height:color:fontFamily:fontMap:)``.
    ///
    /// - Throws: ``RenderError/Code/barcodeInvalid`` when the content cannot be encoded.
    public func draw(in cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double,
                     color: Color = .black, fontFamily: String = "DejaVu Sans",
                     fontMap: UnsafeMutablePointer<PangoFontMap>? = nil) throws(RenderError) {
        try encode().draw(in: cr, x: x, y: y, width: width, height: height, color: color, fontFamily: fontFamily,
                          fontMap: fontMap)
    }
}
