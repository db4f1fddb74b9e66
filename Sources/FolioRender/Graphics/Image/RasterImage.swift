import CPangoCairo
import CRsvg

/// Decoded pixels of a PNG or JPEG, owned here and never written after ``init``; each draw wraps them in its own
/// Cairo surface, so threads share only read-only memory.
final class RasterImage: @unchecked Sendable {
    let pixelWidth: Int
    let pixelHeight: Int
    /// Intrinsic size in points.
    let width: Double
    let height: Double

    /// The decoded image surface; only its pixel memory is used after init, read-only.
    private let master: OpaquePointer
    private let pixelFormat: cairo_format_t
    private let stride: Int32
    /// The original JPEG, handed to Cairo as MIME data so PDF output embeds it unchanged; nil for PNG, for a JPEG whose
    /// EXIF orientation had to be applied to the pixels, and for CMYK JPEGs.
    private let jpegBytes: UnsafeMutableBufferPointer<UInt8>?
    /// A content hash, given to Cairo as `CAIRO_MIME_TYPE_UNIQUE_ID` so a PDF embeds an image drawn many times once.
    private let uniqueID: UnsafeMutableBufferPointer<UInt8>

    init(bytes: [UInt8], format: ImageFormat, name: String, limits: ImageLimits) throws(RenderError) {
        let header: ImageHeader
        if format == .png {
            guard let png = ImageHeader.png(bytes) else {
                throw RenderError(.imageInvalid, "image \(name) is a corrupt PNG (its header cannot be read)")
            }
            header = png
        } else {
            guard let jpeg = ImageHeader.jpeg(bytes) else {
                throw RenderError(.imageInvalid, "image \(name) is a corrupt JPEG (no frame header before the image data)")
            }
            guard ImageHeader.jpegHasEnd(bytes, scanOffset: jpeg.scanOffset) else {
                throw RenderError(.imageInvalid, "image \(name) is a truncated JPEG (it stops before its end marker)")
            }
            header = jpeg.header
        }
        let pixels = header.pixelWidth.multipliedReportingOverflow(by: header.pixelHeight)
        guard header.pixelWidth > 0, header.pixelHeight > 0 else {
            throw RenderError(.imageInvalid, "image \(name) has no pixels (\(header.pixelWidth)×\(header.pixelHeight))")
        }
        guard !pixels.overflow, pixels.partialValue <= limits.maxPixels,
              header.pixelWidth <= 32767, header.pixelHeight <= 32767 else {
            throw RenderError(
                .imageInvalid,
                "image \(name) is \(header.pixelWidth)×\(header.pixelHeight) pixels, over the limit of "
                    + "\(limits.maxPixels / 1_000_000) megapixels (and 32767 per side)")
        }

        var keepJPEG = false
        let decoded: OpaquePointer
        if format == .png {
            decoded = try Self.decodePNG(bytes, name: name)
        } else {
            (decoded, keepJPEG) = try Self.decodeJPEG(bytes, name: name)
        }
        master = decoded
        cairo_surface_flush(master)
        pixelFormat = cairo_image_surface_get_format(master)
        stride = cairo_image_surface_get_stride(master)
        pixelWidth = Int(cairo_image_surface_get_width(master))
        pixelHeight = Int(cairo_image_surface_get_height(master))
        // An EXIF rotation by 90° swaps the axes; the resolution stays the file's.
        width = Double(pixelWidth) * 72 / header.dpiX
        height = Double(pixelHeight) * 72 / header.dpiY
        // CMYK JPEGs (often Adobe-inverted) are left to Cairo to re-encode from the decoded RGB pixels.
        jpegBytes = keepJPEG && header.components != 4 ? Self.copy(bytes) : nil
        uniqueID = Self.copy(Array("folio-image-\(Self.fingerprint(bytes))-\(bytes.count)".utf8))
    }

    deinit {
        cairo_surface_destroy(master)
        jpegBytes?.deallocate()
        uniqueID.deallocate()
    }

    /// Paints the image at (0, 0), one user unit per point of intrinsic size.
    func draw(in cr: OpaquePointer) {
        guard let data = cairo_image_surface_get_data(master),
              let surface = cairo_image_surface_create_for_data(data, pixelFormat, Int32(pixelWidth),
                                                                Int32(pixelHeight), stride)
        else { return }
        defer { cairo_surface_destroy(surface) }
        // Each MIME attachment holds a reference to self, released when Cairo lets go of the surface (which a PDF
        // surface may do only when it finishes), so the shared pixels outlive every surface that points at them.
        attach(CAIRO_MIME_TYPE_UNIQUE_ID, uniqueID, to: surface)
        if let jpegBytes { attach(CAIRO_MIME_TYPE_JPEG, jpegBytes, to: surface) }

        cairo_scale(cr, width / Double(pixelWidth), height / Double(pixelHeight))
        cairo_set_source_surface(cr, surface, 0, 0)
        // Padding keeps a scaled raster's edges crisp on pixel surfaces; vector surfaces (PDF, SVG) would pad by
        // copying the image, losing its JPEG bytes and its identity, so they keep the default.
        if let pattern = cairo_get_source(cr), let target = cairo_get_target(cr),
           cairo_surface_get_type(target) == CAIRO_SURFACE_TYPE_IMAGE {
            cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        }
        cairo_rectangle(cr, 0, 0, Double(pixelWidth), Double(pixelHeight))
        cairo_fill(cr)
    }

    private func attach(_ mimeType: String, _ bytes: UnsafeMutableBufferPointer<UInt8>, to surface: OpaquePointer) {
        let owner = Unmanaged.passRetained(self).toOpaque()
        let status = cairo_surface_set_mime_data(surface, mimeType, bytes.baseAddress, UInt(bytes.count), { owner in
            if let owner { Unmanaged<RasterImage>.fromOpaque(owner).release() }
        }, owner)
        if status != CAIRO_STATUS_SUCCESS { Unmanaged<RasterImage>.fromOpaque(owner).release() }
    }

    // MARK: Decoding

    private static func decodePNG(_ bytes: [UInt8], name: String) throws(RenderError) -> OpaquePointer {
        final class Reader {
            let bytes: [UInt8]
            var offset = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        let reader = Reader(bytes)
        let surface = withExtendedLifetime(reader) {
            cairo_image_surface_create_from_png_stream({ closure, data, length in
                let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
                let count = Int(length)
                guard let data, reader.offset + count <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                reader.bytes.withUnsafeBufferPointer { source in
                    data.update(from: source.baseAddress! + reader.offset, count: count)
                }
                reader.offset += count
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(reader).toOpaque())
        }
        guard let surface else { throw RenderError(.imageInvalid, "image \(name): Cairo could not decode the PNG") }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(surface)
            let reason = status == CAIRO_STATUS_READ_ERROR
                ? "is a truncated or corrupt PNG" : "could not be decoded (\(String(cString: cairo_status_to_string(status))))"
            throw RenderError(.imageInvalid, "image \(name) \(reason)")
        }
        return surface
    }

    /// Decodes through gdk-pixbuf into a Cairo RGB24/ARGB32 surface. The Bool says whether the original bytes may
    /// stand for the pixels (false when an EXIF orientation was applied).
    private static func decodeJPEG(_ bytes: [UInt8], name: String) throws(RenderError) -> (OpaquePointer, Bool) {
        var error: UnsafeMutablePointer<GError>?
        guard let loader = gdk_pixbuf_loader_new_with_type("jpeg", &error) else {
            throw RenderError(.backend, "image \(name): gdk-pixbuf has no JPEG loader (\(Self.message(error)))")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
        let written = bytes.withUnsafeBufferPointer {
            gdk_pixbuf_loader_write(loader, $0.baseAddress, gsize($0.count), &error)
        }
        guard written != 0 else {
            _ = gdk_pixbuf_loader_close(loader, nil)
            throw RenderError(.imageInvalid, "image \(name) is a corrupt JPEG: \(Self.message(error))")
        }
        let closed = gdk_pixbuf_loader_close(loader, &error)
        guard closed != 0, let loaded = gdk_pixbuf_loader_get_pixbuf(loader) else {
            throw RenderError(.imageInvalid, "image \(name) is a corrupt JPEG: \(Self.message(error))")
        }
        // Apply EXIF orientation; the result is a new reference either way.
        guard let pixbuf = gdk_pixbuf_apply_embedded_orientation(loaded) else {
            throw RenderError(.imageInvalid, "image \(name): could not apply the JPEG's orientation")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(pixbuf)) }
        let oriented = gdk_pixbuf_get_option(loaded, "orientation").map { String(cString: $0) } ?? "1"
        return (try surface(from: pixbuf, name: name), oriented == "1")
    }

    private static func surface(from pixbuf: OpaquePointer, name: String) throws(RenderError) -> OpaquePointer {
        let width = gdk_pixbuf_get_width(pixbuf), height = gdk_pixbuf_get_height(pixbuf)
        let channels = Int(gdk_pixbuf_get_n_channels(pixbuf))
        let hasAlpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
        let sourceStride = Int(gdk_pixbuf_get_rowstride(pixbuf))
        guard gdk_pixbuf_get_bits_per_sample(pixbuf) == 8, channels >= 3,
              let source = gdk_pixbuf_read_pixels(pixbuf) else {
            throw RenderError(.imageInvalid, "image \(name) has a pixel layout Folio cannot draw")
        }
        let surface = cairo_image_surface_create(hasAlpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, width, height)!
        guard cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS, let target = cairo_image_surface_get_data(surface)
        else {
            cairo_surface_destroy(surface)
            throw RenderError(.backend, "image \(name): Cairo could not allocate \(width)×\(height) pixels")
        }
        let targetStride = Int(cairo_image_surface_get_stride(surface))
        for row in 0..<Int(height) {
            let from = source + row * sourceStride
            let to = UnsafeMutableRawPointer(target + row * targetStride).assumingMemoryBound(to: UInt32.self)
            for column in 0..<Int(width) {
                let pixel = from + column * channels
                var red = UInt32(pixel[0]), green = UInt32(pixel[1]), blue = UInt32(pixel[2]), alpha = UInt32(255)
                if hasAlpha {
                    alpha = UInt32(pixel[3])
                    // Cairo wants premultiplied alpha.
                    red = (red * alpha + 127) / 255
                    green = (green * alpha + 127) / 255
                    blue = (blue * alpha + 127) / 255
                }
                to[column] = alpha << 24 | red << 16 | green << 8 | blue
            }
        }
        cairo_surface_mark_dirty(surface)
        return surface
    }

    private static func message(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "unknown error" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }

    private static func copy(_ bytes: [UInt8]) -> UnsafeMutableBufferPointer<UInt8> {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        _ = buffer.initialize(from: bytes)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<bytes.count])
    }

    /// FNV-1a 64 of the bytes, hex.
    private static func fingerprint(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
