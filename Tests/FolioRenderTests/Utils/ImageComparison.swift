import CPangoCairo
import Foundation

/// Compares two PNGs pixel by pixel: what differs, and by how much, so golden tests tolerate anti-aliasing noise
/// but not a moved line.
struct ImageComparison {
    var width: Int
    var height: Int
    /// Share of pixels whose largest channel difference exceeds the noise threshold (0…1).
    var differingFraction: Double
    /// Mean absolute channel difference over all pixels (0…255).
    var meanDifference: Double

    /// nil when either image cannot be decoded or their sizes differ.
    init?(_ a: [UInt8], _ b: [UInt8], noise: Int = 48) {
        guard let first = ImageComparison.decode(a), let second = ImageComparison.decode(b) else { return nil }
        defer { cairo_surface_destroy(first); cairo_surface_destroy(second) }
        let w = Int(cairo_image_surface_get_width(first)), h = Int(cairo_image_surface_get_height(first))
        guard w == Int(cairo_image_surface_get_width(second)), h == Int(cairo_image_surface_get_height(second)) else { return nil }
        let strideA = Int(cairo_image_surface_get_stride(first)), strideB = Int(cairo_image_surface_get_stride(second))
        guard let pa = cairo_image_surface_get_data(first), let pb = cairo_image_surface_get_data(second) else { return nil }
        var differing = 0, total = 0
        for y in 0..<h {
            for x in 0..<w {
                var worst = 0
                for c in 0..<3 {
                    let d = abs(Int(pa[y * strideA + x * 4 + c]) - Int(pb[y * strideB + x * 4 + c]))
                    worst = max(worst, d)
                    total += d
                }
                if worst > noise { differing += 1 }
            }
        }
        width = w
        height = h
        differingFraction = Double(differing) / Double(max(1, w * h))
        meanDifference = Double(total) / Double(max(1, w * h * 3))
    }

    static func decode(_ png: [UInt8]) -> OpaquePointer? {
        final class Reader { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let reader = Reader(png)
        let surface = cairo_image_surface_create_from_png_stream({ closure, data, length in
            let reader = Unmanaged<Reader>.fromOpaque(closure!).takeUnretainedValue()
            let count = Int(length)
            guard reader.offset + count <= reader.bytes.count, let data else { return CAIRO_STATUS_READ_ERROR }
            reader.bytes.withUnsafeBufferPointer { data.update(from: $0.baseAddress! + reader.offset, count: count) }
            reader.offset += count
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(reader).toOpaque())
        guard let surface, cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS else { return nil }
        let rgb = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(surface),
                                             cairo_image_surface_get_height(surface))!
        let cr = cairo_create(rgb)!
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
        cairo_surface_flush(rgb)
        return rgb
    }
}

/// The lowest dark pixel in a column of a PNG: where a box's bottom border is.
func lowestDarkPixel(in png: [UInt8], x: Int) -> Int? {
    guard let surface = ImageComparison.decode(png) else { return nil }
    defer { cairo_surface_destroy(surface) }
    let height = Int(cairo_image_surface_get_height(surface)), rowBytes = Int(cairo_image_surface_get_stride(surface))
    guard let data = cairo_image_surface_get_data(surface) else { return nil }
    for y in stride(from: height - 1, through: 0, by: -1) where data[y * rowBytes + x * 4] < 180 { return y }
    return nil
}
