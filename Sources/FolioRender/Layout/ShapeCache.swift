/// What makes two shaped paragraphs identical.
struct ShapeKey: Hashable {
    var text: BoundText
    var style: TextStyle
    var width: Double?
    var maxLines: Int?
    var hyphenate: Bool
    var direction: String
}

/// Shaped paragraphs of one thread, reused across cells and renders. Bounded: when full it starts again, which keeps
/// memory flat whatever the documents look like.
final class ShapeCache {
    private var entries: [ShapeKey: TextLayout] = [:]
    let capacity: Int

    init(capacity: Int = 4096) { self.capacity = capacity }

    func value(for key: ShapeKey) -> TextLayout? { entries[key] }

    func store(_ layout: TextLayout, for key: ShapeKey) {
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = layout
    }
}
