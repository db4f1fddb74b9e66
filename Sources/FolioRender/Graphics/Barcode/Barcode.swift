import CZint

/// A barcode to encode: what kind, what content, which options.
///
/// ``encode()`` runs libzint (a fresh `zint_symbol` per call, no shared state, so any thread may encode at once)
/// and returns vector shapes; ``draw(in:x:y:width:height:color:fontFamily:fontMap:)`` encodes and paints in one go.
public struct Barcode: Sendable, Hashable {
    public var symbology: BarcodeSymbology
    public var content: String
    public var options: BarcodeOptions

    /// Longest content zint accepts.
    public static let maxContentBytes = Int(ZINT_MAX_DATA_LEN)

    public init(symbology: BarcodeSymbology, content: String, options: BarcodeOptions = .init()) {
        self.symbology = symbology
        self.content = content
        self.options = options
    }

    /// Encodes the content into vector shapes.
    ///
    /// - Throws: ``RenderError/Code/barcodeInvalid`` with zint's message when the symbology cannot encode the content
    ///   (letters in EAN-13, a wrong check digit, too long…).
    public func encode() throws(RenderError) -> BarcodeVector {
        let bytes = Array(content.utf8)
        guard !bytes.isEmpty else { throw invalid("the content is empty") }
        guard bytes.count <= Self.maxContentBytes else {
            throw invalid("the content is \(bytes.count) bytes long, more than the \(Self.maxContentBytes) zint accepts")
        }
        guard let symbol = ZBarcode_Create() else {
            throw RenderError(.backend, "zint could not allocate a symbol")
        }
        defer { ZBarcode_Delete(symbol) }
        configure(symbol)

        var warnings: [String] = []
        let encoded = bytes.withUnsafeBufferPointer { ZBarcode_Encode(symbol, $0.baseAddress, Int32($0.count)) }
        if encoded >= ZINT_ERROR { throw invalid(Self.message(of: symbol)) }
        if encoded != 0 { warnings.append(Self.message(of: symbol)) }
        let buffered = ZBarcode_Buffer_Vector(symbol, 0)
        if buffered >= ZINT_ERROR { throw invalid(Self.message(of: symbol)) }
        if buffered != 0 { warnings.append(Self.message(of: symbol)) }
        guard let vector = symbol.pointee.vector else {
            throw RenderError(.backend, "zint produced no vector output for \(symbology)")
        }
        return Self.copy(vector.pointee, symbology: symbology, showsText: options.showsText, warnings: warnings)
    }

    private func configure(_ symbol: UnsafeMutablePointer<zint_symbol>) {
        symbol.pointee.symbology = symbology.zintID
        symbol.pointee.input_mode = UNICODE_MODE
        if symbology.isGS1 {
            symbol.pointee.input_mode = content.hasPrefix("(") ? (GS1_MODE | GS1PARENS_MODE) : GS1_MODE
        }
        symbol.pointee.show_hrt = options.showsText ? 1 : 0
        symbol.pointee.output_options |= options.quietZones ? BARCODE_QUIET_ZONES : BARCODE_NO_QUIET_ZONES
        if let height = options.moduleHeight, height > 0, !symbology.keepsAspectRatio {
            symbol.pointee.height = Float(height)
        }
        if symbology.zintID == BARCODE_DATAMATRIX, !options.allowsRectangular {
            symbol.pointee.option_3 = DM_SQUARE
        }
        if let level = options.errorCorrection {
            switch symbology.zintID {
            case BARCODE_QRCODE, BARCODE_AZTEC: symbol.pointee.option_1 = level.qrLevel
            case BARCODE_PDF417: symbol.pointee.option_1 = level.pdf417Level
            default: break
            }
        }
    }

    private func invalid(_ message: String) -> RenderError {
        RenderError(.barcodeInvalid, "\(symbology) cannot encode \"\(Self.excerpt(content))\": \(message)")
    }

    private static func excerpt(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }

    private static func message(of symbol: UnsafeMutablePointer<zint_symbol>) -> String {
        withUnsafeBytes(of: symbol.pointee.errtxt) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func copy(_ vector: zint_vector, symbology: BarcodeSymbology, showsText: Bool,
                             warnings: [String]) -> BarcodeVector {
        var rectangles: [BarcodeVector.Rectangle] = []
        var node = vector.rectangles
        while let rect = node {
            // zint's colour -1 is the foreground; 1…8 are the fixed colours of Ultracode, also ink here. White (8) is paper.
            if rect.pointee.colour != 8 {
                rectangles.append(.init(x: Double(rect.pointee.x), y: Double(rect.pointee.y),
                                        width: Double(rect.pointee.width), height: Double(rect.pointee.height)))
            }
            node = rect.pointee.next
        }
        var hexagons: [BarcodeVector.Hexagon] = []
        var hexNode = vector.hexagons
        while let hex = hexNode {
            hexagons.append(.init(x: Double(hex.pointee.x), y: Double(hex.pointee.y),
                                  diameter: Double(hex.pointee.diameter), rotation: Int(hex.pointee.rotation)))
            hexNode = hex.pointee.next
        }
        var circles: [BarcodeVector.Circle] = []
        var circleNode = vector.circles
        while let circle = circleNode {
            circles.append(.init(x: Double(circle.pointee.x), y: Double(circle.pointee.y),
                                 diameter: Double(circle.pointee.diameter), ringWidth: Double(circle.pointee.width),
                                 isHole: circle.pointee.colour != 0))
            circleNode = circle.pointee.next
        }
        var texts: [BarcodeVector.Text] = []
        var stringNode = showsText ? vector.strings : nil
        while let string = stringNode {
            let length = Int(string.pointee.length)
            let text = string.pointee.text.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: max(length, 0)), as: UTF8.self)
            } ?? ""
            let alignment: BarcodeVector.Text.Alignment =
                string.pointee.halign == 1 ? .left : string.pointee.halign == 2 ? .right : .center
            if !text.isEmpty {
                texts.append(.init(text: text, x: Double(string.pointee.x), y: Double(string.pointee.y),
                                   fontSize: Double(string.pointee.fsize), maxWidth: Double(string.pointee.width),
                                   alignment: alignment))
            }
            stringNode = string.pointee.next
        }
        return BarcodeVector(symbology: symbology, width: Double(vector.width), height: Double(vector.height),
                             rectangles: rectangles, hexagons: hexagons, circles: circles, texts: texts,
                             barBand: barBand(of: rectangles, height: Double(vector.height)), warnings: warnings)
    }

    /// The vertical extent shared by most bar area: the band that stretches. Bearer bars, guard-bar descents and text
    /// fall outside it.
    private static func barBand(of rectangles: [BarcodeVector.Rectangle], height: Double) -> ClosedRange<Double> {
        var areaByBand: [ClosedRange<Double>: Double] = [:]
        for rect in rectangles where rect.height > 0 {
            areaByBand[rect.y...(rect.y + rect.height), default: 0] += rect.width * rect.height
        }
        // Ties broken by position so the same input always gives the same band.
        return areaByBand.max { lhs, rhs in
            (lhs.value, -lhs.key.lowerBound, -lhs.key.upperBound) < (rhs.value, -rhs.key.lowerBound, -rhs.key.upperBound)
        }?.key ?? 0...max(height, 0)
    }
}
