import CPangoCairo

extension TraceShape {
    /// Points below this count are smoothed by default; denser traces are already smooth as a polygon.
    public static let smoothingThreshold = 100

    /// Adds the closed outline to the current path of `cr` (it does not stroke or fill).
    ///
    /// The trace is y-up around its boxing centre; it lands on the page (y down) with that centre at
    /// (`centerX`, `centerY`), `scale` user units per millimetre (2.834645… for points). Sparse traces (fewer
    /// than ``smoothingThreshold`` points, such as 40-point previews) become a closed Catmull-Rom spline through
    /// every point, denser ones a polygon; pass `smoothed` to choose.
    public func addPath(to cr: OpaquePointer, centerX: Double, centerY: Double, scale: Double,
                        smoothed: Bool? = nil) {
        let page = points.map { (x: centerX + $0.x * scale, y: centerY - $0.y * scale) }
        guard let first = page.first else { return }
        cairo_new_sub_path(cr)
        cairo_move_to(cr, first.x, first.y)
        let count = page.count
        if smoothed ?? (count < Self.smoothingThreshold) {
            // Uniform Catmull-Rom through P1→P2 as a cubic Bézier: C1 = P1 + (P2 − P0)/6, C2 = P2 − (P3 − P1)/6.
            for index in 0..<count {
                let p0 = page[(index - 1 + count) % count], p1 = page[index]
                let p2 = page[(index + 1) % count], p3 = page[(index + 2) % count]
                cairo_curve_to(cr,
                               p1.x + (p2.x - p0.x) / 6, p1.y + (p2.y - p0.y) / 6,
                               p2.x - (p3.x - p1.x) / 6, p2.y - (p3.y - p1.y) / 6,
                               p2.x, p2.y)
            }
        } else {
            for point in page.dropFirst() { cairo_line_to(cr, point.x, point.y) }
        }
        cairo_close_path(cr)
    }
}
