import Foundation

/// A payload (or a handler's result) that writes and reads its own bytes instead of going through Foundation's JSON coders.
///
/// For payloads on a hot path: a render job carries the client's data, which the accept path already holds as JSON bytes
/// and the worker wants as a parsed value; encoding it as a JSON string inside JSON would escape and unescape it all.
/// The bytes are still JSON, so operators and other tools can read a job's payload.
public protocol JobPayloadCoding {
    /// The payload as stored in the job.
    func jobPayloadBytes() throws -> Data
    /// Reads a payload written by ``jobPayloadBytes()`` (or by an older version of the type).
    static func decodeJobPayload(_ bytes: Data) throws -> Self
}

enum PayloadCoder {
    static func encode<P: Encodable>(_ payload: P) throws -> Data {
        if let own = payload as? any JobPayloadCoding { return try own.jobPayloadBytes() }
        return try JSONCoding.encoder.encode(payload)
    }

    static func decode<P: Decodable>(_ type: P.Type, _ data: Data) throws -> P {
        if let own = type as? any JobPayloadCoding.Type, let payload = try own.decodeJobPayload(data) as? P { return payload }
        return try JSONCoding.decoder.decode(type, from: data)
    }
}
