/// How a barcode is encoded: text, error correction, quiet zones and height.
public struct BarcodeOptions: Sendable, Hashable {
    /// Draw the human-readable text under linear codes (2-D codes have none).
    public var showsText: Bool
    /// Error-correction level for QR, PDF417 and Aztec; nil keeps the symbology's default.
    public var errorCorrection: BarcodeErrorCorrection?
    /// Add the quiet zones the symbology's standard asks for (on by default: scanners need them).
    public var quietZones: Bool
    /// Bar height of linear codes in modules (X-dimensions); nil keeps zint's default (50). Only the
    /// natural size of ``BarcodeVector`` depends on it: drawing into a box stretches bars to fit.
    public var moduleHeight: Double?
    /// Let Data Matrix pick a rectangular size when it is smaller. Off by default: square codes are what labels
    /// and scanners expect.
    public var allowsRectangular: Bool

    public init(showsText: Bool = true, errorCorrection: BarcodeErrorCorrection? = nil, quietZones: Bool = true,
                moduleHeight: Double? = nil, allowsRectangular: Bool = false) {
        self.showsText = showsText
        self.errorCorrection = errorCorrection
        self.quietZones = quietZones
        self.moduleHeight = moduleHeight
        self.allowsRectangular = allowsRectangular
    }
}

/// An error-correction level. The letters follow QR (L 7 %, M 15 %, Q 25 %, H 30 %); PDF417 and Aztec map them to
/// comparable levels of their own, and ``pdf417(level:)`` sets a PDF417 level 0–8 exactly.
public struct BarcodeErrorCorrection: Sendable, Hashable, CustomStringConvertible {
    /// 1 (low) … 4 (high), or a PDF417 level 0–8 when `isPDF417Level`.
    let value: Int
    let isPDF417Level: Bool

    public static let low = BarcodeErrorCorrection(value: 1, isPDF417Level: false)
    public static let medium = BarcodeErrorCorrection(value: 2, isPDF417Level: false)
    public static let quartile = BarcodeErrorCorrection(value: 3, isPDF417Level: false)
    public static let high = BarcodeErrorCorrection(value: 4, isPDF417Level: false)

    /// A PDF417 security level, 0…8 (clamped).
    public static func pdf417(level: Int) -> BarcodeErrorCorrection {
        BarcodeErrorCorrection(value: min(max(level, 0), 8), isPDF417Level: true)
    }

    /// Parses what a template writes: `L`, `M`, `Q`, `H`, `low`, `medium`, `quartile`, `high`, or a digit 0–8
    /// (a PDF417 level).
    public init?(name: String) {
        switch name.lowercased() {
        case "l", "low": self = .low
        case "m", "medium": self = .medium
        case "q", "quartile": self = .quartile
        case "h", "high": self = .high
        default:
            guard let level = Int(name), (0...8).contains(level) else { return nil }
            self = .pdf417(level: level)
        }
    }

    private init(value: Int, isPDF417Level: Bool) {
        self.value = value
        self.isPDF417Level = isPDF417Level
    }

    public var description: String {
        isPDF417Level ? "\(value)" : ["L", "M", "Q", "H"][value - 1]
    }

    /// zint's `option_1` for QR and Aztec (1…4).
    var qrLevel: Int32 { isPDF417Level ? Int32(min(max(value / 2, 1), 4)) : Int32(value) }
    /// zint's `option_1` for PDF417 (0…8).
    var pdf417Level: Int32 { isPDF417Level ? Int32(value) : [2, 3, 4, 5][value - 1] }
}
