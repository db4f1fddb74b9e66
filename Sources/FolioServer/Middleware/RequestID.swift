import HTTPTypes
import Hummingbird
import Logging

/// Gives every answer an `X-Request-Id` that names its lines in the log (`hb.request.id`), so a client's report of one
/// failed call leads an operator to its log lines. A caller that sends its own id (1 to 128 letters, digits and
/// `- _ . :`, as a gateway or the calling system's tracing sets) gets it back, and the log carries that id instead.
enum RequestID {
    static let header = HTTPField.Name("X-Request-Id")!

    /// The id of `request`: the caller's own when usable (then also set as the log's `hb.request.id` in `context`), else
    /// the one Hummingbird gave it.
    static func take(_ request: Request, context: inout FolioRequestContext) -> String {
        if let given = request.headers[header], isValid(given) {
            context.logger[metadataKey: "hb.request.id"] = .string(given)
            return given
        }
        return context.id
    }

    static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        return (1...128).contains(bytes.count) && bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x2D || b == 0x5F || b == 0x2E || b == 0x3A
        }
    }
}
