/// Every key the template language knows, so that a typo anywhere gets a "did you mean".
enum TemplateVocabulary {
    static let keys: [String] = TemplateLoader.topLevelKeys + ElementReader.kinds + ElementReader.commonKeys
        + StyleDeclaration.keys + TableReader.cellKeys + [
            "size", "orientation", "margin", "margins", "header_gap", "footer_gap", "first_page", "max_lines",
            "hyphenate", "direction", "bookmark", "cells", "widths", "gap", "columns", "header", "rows", "footer",
            "carry", "value", "forward", "brought", "borders", "border", "padding", "zebra", "header_fill",
            "header_style", "footer_style", "repeat_header", "content", "radius", "fill", "width", "height",
            "thickness", "dash", "src", "fit", "type", "text", "checked", "label", "radii", "unit", "mirror",
            "true_scale", "stroke", "boxing", "x", "y", "from", "angle", "error_correction", "let", "equal_height",
        ]
}
