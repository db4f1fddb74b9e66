import Foundation

/// The media type of a `Content-Type` value, to decide by kind: `application/json; charset=utf-8` is
/// `application/json`. Used for what a request sends and for what an answer may be compressed.
enum MediaType {
    /// Lowercased, without parameters or spaces; empty when there is none.
    static func of(_ contentType: String?) -> String {
        (contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "").lowercased()
    }

    /// `application/json` or a `+json` type.
    static func isJSON(_ media: String) -> Bool { media == "application/json" || media.hasSuffix("+json") }
}
