import CZint

/// A barcode symbology: the kind of code (Code 128, QR, …) and how libzint knows it.
///
/// Open for more: any zint symbology can be described with ``init(name:zintID:keepsAspectRatio:aliases:)``.
/// Templates write symbologies by name; ``init(named:)`` finds them ignoring case, `-`, `_` and spaces.
public struct BarcodeSymbology: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name templates use, e.g. `code128`, `qr`, `datamatrix`.
    public let name: String
    /// The `BARCODE_…` number of libzint.
    public let zintID: Int32
    /// True for 2-D codes, which are scaled uniformly and centred; linear codes stretch to their box.
    public let keepsAspectRatio: Bool
    /// Other names accepted by ``init(named:)``.
    public let aliases: [String]

    public init(name: String, zintID: Int32, keepsAspectRatio: Bool, aliases: [String] = []) {
        self.name = name
        self.zintID = zintID
        self.keepsAspectRatio = keepsAspectRatio
        self.aliases = aliases
    }

    public var description: String { name }

    public static let code128 = BarcodeSymbology(name: "code128", zintID: BARCODE_CODE128, keepsAspectRatio: false)
    public static let code39 = BarcodeSymbology(name: "code39", zintID: BARCODE_CODE39, keepsAspectRatio: false)
    /// EAN-13 (and EAN-8 for shorter input). 12 digits get their check digit added; 13 digits are checked.
    public static let ean13 = BarcodeSymbology(name: "ean13", zintID: BARCODE_EANX, keepsAspectRatio: false,
                                               aliases: ["ean", "ean8"])
    public static let upcA = BarcodeSymbology(name: "upca", zintID: BARCODE_UPCA, keepsAspectRatio: false,
                                              aliases: ["upc"])
    public static let itf14 = BarcodeSymbology(name: "itf14", zintID: BARCODE_ITF14, keepsAspectRatio: false)
    /// GS1-128; content as `(01)09501101530003` or `[01]09501101530003`.
    public static let gs1_128 = BarcodeSymbology(name: "gs1128", zintID: BARCODE_GS1_128, keepsAspectRatio: false,
                                                 aliases: ["ean128"])
    public static let qr = BarcodeSymbology(name: "qr", zintID: BARCODE_QRCODE, keepsAspectRatio: true,
                                            aliases: ["qrcode"])
    public static let dataMatrix = BarcodeSymbology(name: "datamatrix", zintID: BARCODE_DATAMATRIX,
                                                    keepsAspectRatio: true, aliases: ["dm"])
    public static let pdf417 = BarcodeSymbology(name: "pdf417", zintID: BARCODE_PDF417, keepsAspectRatio: true)
    public static let aztec = BarcodeSymbology(name: "aztec", zintID: BARCODE_AZTEC, keepsAspectRatio: true)

    /// The symbologies ``init(named:)`` knows.
    public static let known: [BarcodeSymbology] = [
        .code128, .code39, .ean13, .upcA, .itf14, .gs1_128, .qr, .dataMatrix, .pdf417, .aztec,
    ]

    /// Looks a symbology up by the name a template writes: `"code128"`, `"QR"`, `"data-matrix"`, `"gs1_128"`…
    public init?(named name: String) {
        let key = Self.normalized(name)
        guard let found = Self.known.first(where: { symbology in
            Self.normalized(symbology.name) == key || symbology.aliases.contains { Self.normalized($0) == key }
        }) else { return nil }
        self = found
    }

    /// True when content for this symbology is GS1 element strings.
    var isGS1: Bool { zintID == BARCODE_GS1_128 }

    private static func normalized(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
    }
}
