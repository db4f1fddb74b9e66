import CPangoCairo
import Foundation

/// The fonts Folio may use: those in the `fonts/` folder and no others, so output never depends on the host.
///
/// Fonts are registered with a private fontconfig configuration. Pango font maps are not safe to share between
/// threads, so each rendering thread gets its own font map and contexts over the one configuration.
public final class FontLibrary: @unchecked Sendable {
    /// The folder the fonts were read from.
    public let directory: String
    /// Families found, for `folio templates` and for validating `font:` in styles.
    public let families: [String]
    private let config: OpaquePointer
    private let key = "folio.fonts.\(UUID().uuidString)"

    /// Registers every font file under `directory` (recursively). Fails when there is none.
    public init(directory: String) throws(RenderError) {
        guard FcInit() != 0, let config = FcConfigCreate() else {
            throw RenderError(.font, "fontconfig could not be initialised")
        }
        let cacheDir = NSTemporaryDirectory() + "folio-fontconfig-cache"
        try? FileManager.default.createDirectory(atPath: cacheDir, withIntermediateDirectories: true)
        let configXML = """
            <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
            <fontconfig><cachedir>\(cacheDir)</cachedir></fontconfig>
            """
        _ = FcConfigParseAndLoadFromMemory(config, configXML, 0)
        guard FcConfigAppFontAddDir(config, directory) != 0 else {
            FcConfigDestroy(config)
            throw RenderError(.font, "cannot read fonts from \(directory)")
        }
        self.config = config
        self.directory = directory
        var names = Set<String>()
        if let fonts = FcConfigGetFonts(config, FcSetApplication) {
            for i in 0..<Int(fonts.pointee.nfont) {
                var family: UnsafeMutablePointer<FcChar8>?
                if FcPatternGetString(fonts.pointee.fonts[i], FC_FAMILY, 0, &family) == FcResultMatch, let family {
                    names.insert(String(cString: family))
                }
            }
        }
        guard !names.isEmpty else {
            FcConfigDestroy(config)
            throw RenderError(.font, "no fonts found in \(directory)")
        }
        families = names.sorted()
    }

    deinit { FcConfigDestroy(config) }

    /// The calling thread's Pango objects over this library's fonts.
    func threadFonts() -> ThreadFonts {
        let dictionary = Thread.current.threadDictionary
        if let fonts = dictionary[key] as? ThreadFonts { return fonts }
        let fonts = ThreadFonts(config: config)
        dictionary[key] = fonts
        return fonts
    }

    /// Locates the shipped `fonts/` folder: `$FOLIO_FONTS`, then `./fonts`, then beside the executable's package.
    public static func defaultDirectory() -> String {
        if let env = ProcessInfo.processInfo.environment["FOLIO_FONTS"] { return env }
        return FolioPaths.resolve("fonts")
    }
}

/// One thread's font map and Pango contexts (left-to-right with automatic direction, and right-to-left).
final class ThreadFonts: NSObject {
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer
    let rtlContext: OpaquePointer
    /// Shaped paragraphs, reused by every render on this thread.
    let shapes = ShapeCache()

    init(config: OpaquePointer) {
        fontMap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT)!
        pango_fc_font_map_set_config(OpaquePointer(fontMap), config)
        let map = fontMap
        context = ThreadFonts.makeContext(map, PANGO_DIRECTION_LTR)
        rtlContext = ThreadFonts.makeContext(map, PANGO_DIRECTION_RTL)
    }

    private static func makeContext(_ fontMap: UnsafeMutablePointer<PangoFontMap>, _ direction: PangoDirection) -> OpaquePointer {
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        let context = pango_font_map_create_context(fontMap)!
        pango_cairo_context_set_font_options(context, options)
        pango_cairo_context_set_resolution(context, 72)
        pango_context_set_round_glyph_positions(context, 0)
        pango_context_set_base_dir(context, direction)
        cairo_font_options_destroy(options)
        return context
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(rtlContext))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }
}
