import CZlib

/// gzip compression of a response body, with zlib.
enum Gzip {
    /// `bytes` as one gzip member, or `nil` if zlib fails (the caller then sends them uncompressed). Level 5: most of
    /// level 9's gain on JSON and SVG at about a third of its time, which matters on an event loop.
    static func compress(_ bytes: UnsafeRawBufferPointer, level: Int32 = 5) -> [UInt8]? {
        var stream = z_stream()
        guard folio_deflate_init(&stream, level, 16 + 15) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status = output.withUnsafeMutableBufferPointer { out -> Int32 in
            stream.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress)
            stream.avail_in = uInt(bytes.count)
            stream.next_out = out.baseAddress
            stream.avail_out = uInt(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else { return nil }
        output.removeLast(Int(stream.avail_out))
        return output
    }
}
