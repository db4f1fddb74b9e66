import CZlib
import Foundation
import HTTPTypes
import NIOCore

/// Request bodies sent compressed (`Content-Encoding: gzip` or `deflate`), as clients do for large data: inflated
/// with zlib before parsing. The body limit applies to the inflated bytes too, so a small body cannot expand into an
/// unbounded one (a "zip bomb"), and a body is taken only when it is one whole compressed stream: cut short or
/// followed by anything, it is refused rather than read in part.
enum ContentDecoding {
    /// The codings read, as clients name them.
    static let supported = ["gzip", "x-gzip", "deflate"]

    /// The coding named by a `Content-Encoding` value: `nil` for none (absent, empty or `identity`); 415 for one not
    /// read, or for more than one coding applied in turn.
    static func coding(of header: String?) throws -> String? {
        let value = (header ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if value.isEmpty || value == "identity" { return nil }
        guard supported.contains(value) else {
            throw APIError(.unsupportedMediaType, "unsupported_encoding",
                           "the body's Content-Encoding \(value) is not read; send it as gzip or deflate, or uncompressed")
        }
        return value
    }

    /// `body` inflated: 413 when it inflates past `limit` bytes, 400 when it is not one whole stream of `coding`.
    static func inflate(_ body: ByteBuffer, coding: String, limit: Int) throws -> [UInt8] {
        // zlib's window bits say the format: 16 + 15 gzip; 15 zlib, which is HTTP's "deflate"; -15 raw deflate, which
        // some clients send under that name, so it is read when the zlib header is not there.
        let formats: [Int32] = coding == "deflate" ? [15, -15] : [16 + 15]
        var failure = ""
        for bits in formats {
            switch inflate(Array(body.readableBytesView), windowBits: bits, limit: limit) {
            case .success(let bytes): return bytes
            case .tooLarge:
                throw APIError(.contentTooLarge, "body_too_large",
                               "the \(coding) body inflates to more than the limit of \(limit) bytes")
            case .invalid(let why): if failure.isEmpty { failure = why }
            }
        }
        throw APIError.badRequest("the body is not valid \(coding) data (\(failure)); send it compressed whole with "
                                  + "\(coding), or uncompressed without Content-Encoding", code: "malformed_encoding")
    }

    private enum Outcome { case success([UInt8]), tooLarge, invalid(String) }

    private static func inflate(_ input: [UInt8], windowBits: Int32, limit: Int) -> Outcome {
        var stream = z_stream()
        guard folio_inflate_init(&stream, windowBits) == Z_OK else { return .invalid("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: min(max(input.count * 4, 16 << 10), 1 << 20))
        return input.withUnsafeBufferPointer { source -> Outcome in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, out.count - Int(stream.avail_out))
                }
                if output.count + produced > limit { return .tooLarge }
                output += chunk[0..<produced]
                switch status {
                case Z_STREAM_END:
                    return stream.avail_in == 0 ? .success(output) : .invalid("\(stream.avail_in) bytes follow its end")
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    return .invalid("it ends before its last block")
                case Z_DATA_ERROR, Z_NEED_DICT:
                    return .invalid(stream.msg.map { String(cString: $0) } ?? "corrupt data")
                default:
                    return .invalid("zlib error \(status)")
                }
            }
        }
    }
}
