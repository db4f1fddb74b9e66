import CPangoCairo
import CRsvg
import Foundation

/// A parsed SVG, kept as bytes plus a pool of librsvg handles: a handle is used by one thread at a time (librsvg
/// handles are not thread-safe), borrowed for one draw and returned; the pool grows to the number of threads that
/// draw at once.
final class SVGImage: @unchecked Sendable {
    /// Intrinsic size in points.
    let width: Double
    let height: Double

    private let bytes: [UInt8]
    private let lock = NSLock()
    /// Idle handles, guarded by `lock`.
    private var idle: [UnsafeMutablePointer<RsvgHandle>] = []

    /// CSS pixels per inch; librsvg converts mm, cm, in and pt in width/height with it.
    private static let dpi = 96.0

    init(bytes: [UInt8], name: String) throws(RenderError) {
        self.bytes = bytes
        let handle = try Self.parse(bytes, name: name)
        var widthPx = 0.0, heightPx = 0.0
        if rsvg_handle_get_intrinsic_size_in_pixels(handle, &widthPx, &heightPx) == 0 {
            var hasWidth: gboolean = 0, hasHeight: gboolean = 0, hasViewBox: gboolean = 0
            var lengthW = RsvgLength(), lengthH = RsvgLength(), viewBox = RsvgRectangle()
            rsvg_handle_get_intrinsic_dimensions(handle, &hasWidth, &lengthW, &hasHeight, &lengthH, &hasViewBox, &viewBox)
            if hasViewBox != 0 {
                widthPx = viewBox.width
                heightPx = viewBox.height
            }
        }
        guard widthPx > 0, heightPx > 0, widthPx.isFinite, heightPx.isFinite else {
            g_object_unref(UnsafeMutableRawPointer(handle))
            throw RenderError(.imageInvalid,
                              "image \(name): the SVG has no size; give its <svg> element width and height or a viewBox")
        }
        width = widthPx * 72 / Self.dpi
        height = heightPx * 72 / Self.dpi
        idle = [handle]
    }

    deinit {
        for handle in idle { g_object_unref(UnsafeMutableRawPointer(handle)) }
    }

    /// Renders the whole document into (0, 0, ``width``, ``height``) of the current user space.
    func draw(in cr: OpaquePointer, name: String) throws(RenderError) {
        let handle = try borrow(name: name)
        defer { giveBack(handle) }
        var viewport = RsvgRectangle(x: 0, y: 0, width: width, height: height)
        var error: UnsafeMutablePointer<GError>?
        guard rsvg_handle_render_document(handle, cr, &viewport, &error) != 0 else {
            throw RenderError(.imageInvalid, "image \(name): librsvg could not render the SVG: \(Self.message(error))")
        }
    }

    private func borrow(name: String) throws(RenderError) -> UnsafeMutablePointer<RsvgHandle> {
        let handle = lock.withLock { idle.popLast() }
        if let handle { return handle }
        return try Self.parse(bytes, name: name)
    }

    private func giveBack(_ handle: UnsafeMutablePointer<RsvgHandle>) {
        lock.withLock { idle.append(handle) }
    }

    private static func parse(_ bytes: [UInt8], name: String) throws(RenderError) -> UnsafeMutablePointer<RsvgHandle> {
        var error: UnsafeMutablePointer<GError>?
        // No base file: references to other files or URLs are refused by librsvg; data: URIs still work.
        let handle = bytes.withUnsafeBufferPointer { rsvg_handle_new_from_data($0.baseAddress, gsize($0.count), &error) }
        guard let handle else {
            throw RenderError(.imageInvalid, "image \(name) is not a valid SVG: \(message(error))")
        }
        rsvg_handle_set_dpi(handle, dpi)
        return handle
    }

    private static func message(_ error: UnsafeMutablePointer<GError>?) -> String {
        guard let error else { return "unknown error" }
        defer { g_error_free(error) }
        return error.pointee.message.map { String(cString: $0) } ?? "unknown error"
    }
}
