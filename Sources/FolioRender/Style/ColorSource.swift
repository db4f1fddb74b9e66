/// A colour a template writes either as a value (`"#e3f2fd"`) or from data (`"{{ tray.colour }}"`), so a tray box can
/// take the tray's colour.
public enum ColorSource: Sendable {
    case fixed(Color)
    case bound(Interpolation, SourceLocation)

    /// The colour for this render; data that is empty means no colour, data that is not a colour is an error.
    func resolve(in scope: Scope) throws(RenderError) -> Color? {
        switch self {
        case .fixed(let color): return color
        case .bound(let text, let location):
            let value = try text.render(in: scope).trimmingCharacters(in: .whitespaces)
            if value.isEmpty || value == "none" { return nil }
            guard let color = Color(parsing: value) else {
                throw RenderError(.dataInvalid, "'\(value)' is not a colour (#rgb, #rrggbb or a name such as blue)",
                                  location: location)
            }
            return color
        }
    }
}

extension TemplateNode {
    /// A colour, or `{{ … }}` that gives one when data is bound.
    func colorSource(_ what: String) throws(RenderError) -> ColorSource {
        let text = try string(what)
        if text.contains("{{") { return .bound(try Interpolation(parsing: text, location: textLocation), textLocation) }
        return .fixed(try color(what))
    }
}
import Foundation
