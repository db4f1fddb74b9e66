import Foundation

/// An image format Folio can draw, recognised from the bytes themselves, never from a file name.
public struct ImageFormat: Sendable, Hashable, CustomStringConvertible {
    /// Short name: `png`, `jpeg`, `svg`.
    public let name: String
    /// The media type, e.g. `image/png`.
    public let mediaType: String

    public static let png = ImageFormat(name: "png", mediaType: "image/png")
    public static let jpeg = ImageFormat(name: "jpeg", mediaType: "image/jpeg")
    public static let svg = ImageFormat(name: "svg", mediaType: "image/svg+xml")

    public var description: String { name }

    /// The format of `bytes`, or nil when they are none Folio draws.
    public static func sniff(_ bytes: [UInt8]) -> ImageFormat? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if looksLikeSVG(bytes) { return .svg }
        return nil
    }

    /// What an unsupported file most likely is, to make the error message useful.
    static func guessUnsupported(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: Array("GIF8".utf8)) { return "GIF" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "WebP"
        }
        if bytes.starts(with: [0x42, 0x4D]) { return "BMP" }
        if bytes.starts(with: [0x49, 0x49, 0x2A, 0x00]) || bytes.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return "TIFF" }
        if bytes.starts(with: Array("%PDF".utf8)) { return "PDF" }
        if bytes.count >= 12, Array(bytes[4..<8]) == Array("ftyp".utf8) { return "HEIF/AVIF" }
        return nil
    }

    /// Text that opens (after a BOM, whitespace, an XML declaration, comments or a doctype) with an `<svg` element.
    private static func looksLikeSVG(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(4096)
        var text = String(decoding: head, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard trimmed.hasPrefix("<") else { return false }
        return trimmed.range(of: "<svg") != nil
    }
}
