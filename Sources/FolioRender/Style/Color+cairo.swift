import CPangoCairo

extension Color {
    /// Makes this the source of `cr`.
    func setSource(on cr: OpaquePointer) {
        if alpha >= 1 {
            cairo_set_source_rgb(cr, red, green, blue)
        } else {
            cairo_set_source_rgba(cr, red, green, blue, alpha)
        }
    }
}
