import Foundation

/// Image bytes as a request carries them: a `data:image/…;base64,…` URI, a percent-encoded
/// `data:image/svg+xml,…` URI, or bare base64. Never a URL: Folio does not fetch images.
public struct ImageSource: Sendable, Hashable {
    /// The decoded bytes.
    public var bytes: [UInt8]
    /// The media type the data URI declared, if any (the bytes decide the format, not this).
    public var declaredMediaType: String?

    public init(bytes: [UInt8], declaredMediaType: String? = nil) {
        self.bytes = bytes
        self.declaredMediaType = declaredMediaType
    }

    /// Parses inline image text.
    ///
    /// - Parameters:
    ///   - text: a data URI or bare base64 (whitespace and line breaks allowed).
    ///   - name: how errors name the image, e.g. its JSON path.
    /// - Throws: ``RenderError/Code/imageInvalid`` for a URL, a data URI that is not an image, invalid base64, or more
    ///   than `limits.maxEncodedBytes` bytes (checked before decoding).
    public init(inline text: String, name: String, limits: ImageLimits = .init()) throws(RenderError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let lower = trimmed.prefix(16).lowercased()
        if lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("file:") || lower.hasPrefix("ftp:") {
            throw RenderError(.imageInvalid, "image \(name): images are never fetched from URLs; send the bytes as base64")
        }
        guard lower.hasPrefix("data:") else {
            self.init(bytes: try Self.base64(trimmed, name: name, limits: limits))
            return
        }
        guard let comma = trimmed.firstIndex(of: ",") else {
            throw RenderError(.imageInvalid, "image \(name): a data URI needs a comma before its data")
        }
        let header = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 5)..<comma].lowercased()
        let parameters = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = parameters.first.flatMap { $0.contains("/") ? $0 : nil }
        if let mediaType, !mediaType.hasPrefix("image/") {
            throw RenderError(.imageInvalid, "image \(name): the data URI holds \(mediaType), not an image")
        }
        let payload = String(trimmed[trimmed.index(after: comma)...])
        if parameters.contains("base64") {
            self.init(bytes: try Self.base64(payload, name: name, limits: limits), declaredMediaType: mediaType)
        } else {
            guard let decoded = payload.removingPercentEncoding else {
                throw RenderError(.imageInvalid, "image \(name): the data URI has invalid percent-encoding")
            }
            let bytes = Array(decoded.utf8)
            try Self.check(bytes.count, name: name, limits: limits)
            self.init(bytes: bytes, declaredMediaType: mediaType)
        }
    }

    private static func base64(_ text: String, name: String, limits: ImageLimits) throws(RenderError) -> [UInt8] {
        // 4 characters carry 3 bytes; refuse before allocating the decoded copy.
        try check(text.utf8.count / 4 * 3, name: name, limits: limits, estimated: true)
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty else { throw RenderError(.imageInvalid, "image \(name): the image data is empty") }
        var padded = compact.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if padded.count % 4 != 0 { padded += String(repeating: "=", count: 4 - padded.count % 4) }
        guard let data = Data(base64Encoded: padded) else {
            throw RenderError(.imageInvalid, "image \(name): the image data is neither a data URI nor valid base64")
        }
        try check(data.count, name: name, limits: limits)
        return [UInt8](data)
    }

    static func check(_ count: Int, name: String, limits: ImageLimits, estimated: Bool = false) throws(RenderError) {
        guard count > limits.maxEncodedBytes else { return }
        throw RenderError(
            .imageInvalid,
            "image \(name) is \(estimated ? "about " : "")\(ByteCountText(count)), over the "
                + "\(ByteCountText(limits.maxEncodedBytes)) limit")
    }
}

/// Bytes as a person reads them: `12.3 MiB`, `512 KiB`, `900 bytes`.
struct ByteCountText: CustomStringConvertible {
    var count: Int
    init(_ count: Int) { self.count = count }
    var description: String {
        if count >= 1 << 20 { return String(format: "%.1f MiB", Double(count) / Double(1 << 20)) }
        if count >= 1 << 10 { return String(format: "%.0f KiB", Double(count) / Double(1 << 10)) }
        return "\(count) bytes"
    }
}
