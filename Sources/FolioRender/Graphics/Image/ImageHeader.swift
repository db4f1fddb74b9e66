/// What a raster file's header says, read without decoding: pixel size and resolution.
struct ImageHeader: Sendable, Hashable {
    /// Resolution assumed when a file states none (CSS pixels).
    static let defaultDPI = 96.0

    var pixelWidth: Int
    var pixelHeight: Int
    var dpiX: Double
    var dpiY: Double
    /// Colour components per pixel (JPEG: 1 grey, 3 YCbCr, 4 CMYK/YCCK); 0 when not read.
    var components = 0

    /// The PNG IHDR size and pHYs resolution; nil when the header is malformed.
    static func png(_ bytes: [UInt8]) -> ImageHeader? {
        guard bytes.count >= 33, readTag(bytes, 12) == "IHDR", readUInt32(bytes, 8) == 13 else { return nil }
        var header = ImageHeader(pixelWidth: Int(readUInt32(bytes, 16)), pixelHeight: Int(readUInt32(bytes, 20)),
                                 dpiX: defaultDPI, dpiY: defaultDPI)
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(readUInt32(bytes, offset))
            let tag = readTag(bytes, offset + 4)
            if tag == "IDAT" || tag == "IEND" { break }
            if tag == "pHYs", length == 9, offset + 17 <= bytes.count, bytes[offset + 16] == 1 {
                // Pixels per metre.
                let perMetreX = Double(readUInt32(bytes, offset + 8)), perMetreY = Double(readUInt32(bytes, offset + 12))
                if let x = plausible(perMetreX * 0.0254), let y = plausible(perMetreY * 0.0254) {
                    header.dpiX = x
                    header.dpiY = y
                }
            }
            offset += length + 12
        }
        return header
    }

    /// The JPEG frame size (SOFn) and JFIF density; nil when no frame header comes before the scan.
    static func jpeg(_ bytes: [UInt8]) -> (header: ImageHeader, scanOffset: Int)? {
        var offset = 2
        var dpi: (Double, Double)?
        var size: (Int, Int)?
    var components = 0
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF { offset += 1; continue }
            if marker == 0x01 || (0xD0...0xD8).contains(marker) { offset += 2; continue }
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2 else { return nil }
            let body = offset + 4
            switch marker {
            case 0xE0 where length >= 16 && body + 12 <= bytes.count && readTag(bytes, body) == "JFIF":
                let units = bytes[body + 7]
                let x = Double(Int(bytes[body + 8]) << 8 | Int(bytes[body + 9]))
                let y = Double(Int(bytes[body + 10]) << 8 | Int(bytes[body + 11]))
                let factor = units == 1 ? 1 : units == 2 ? 2.54 : 0
                if factor > 0, let px = plausible(x * factor), let py = plausible(y * factor) { dpi = (px, py) }
            case 0xC0...0xCF where marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
                guard body + 6 <= bytes.count else { return nil }
                size = (Int(bytes[body + 3]) << 8 | Int(bytes[body + 4]), Int(bytes[body + 1]) << 8 | Int(bytes[body + 2]))
                components = Int(bytes[body + 5])
            case 0xDA:
                guard let size else { return nil }
                let header = ImageHeader(pixelWidth: size.0, pixelHeight: size.1,
                                         dpiX: dpi?.0 ?? defaultDPI, dpiY: dpi?.1 ?? defaultDPI, components: components)
                return (header, offset)
            default: break
            }
            offset += 2 + length
        }
        return nil
    }

    /// True when the JPEG scan that starts at `scanOffset` ends with an EOI marker (trailing bytes allowed):
    /// entropy-coded data never contains FF D9, so its absence means the file was cut short.
    static func jpegHasEnd(_ bytes: [UInt8], scanOffset: Int) -> Bool {
        var index = bytes.count - 2
        while index > scanOffset {
            if bytes[index] == 0xFF && bytes[index + 1] == 0xD9 { return true }
            index -= 1
        }
        return false
    }

    private static func plausible(_ dpi: Double) -> Double? {
        (10...10_000).contains(dpi) ? dpi : nil
    }

    private static func readUInt32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        guard offset + 4 <= bytes.count else { return 0 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    private static func readTag(_ bytes: [UInt8], _ offset: Int) -> String {
        guard offset + 4 <= bytes.count else { return "" }
        return String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
    }
}
