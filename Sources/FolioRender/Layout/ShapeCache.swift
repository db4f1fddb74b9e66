/// What makes two shaped paragraphs identical.
struct ShapeKey: Hashable {
    var text: BoundText
    var style: TextStyle
    var width: Double?
    var maxLines: Int?
    var hyphenate: Bool
    var direction: String
}

/// Shaped paragraphs of one thread, reused across cells and renders.
///
/// Only short texts are kept — quantities, amounts, rates, codes, labels, product names: what documents repeat.
/// Long paragraphs rarely recur and would only hold memory. Bounded: when full it starts again, which keeps memory
/// flat whatever the documents look like.
final class ShapeCache {
    private var entries: [ShapeKey: TextLayout] = [:]
    let capacity: Int
    let longestText: Int

    init(capacity: Int = 2048, longestText: Int = 160) {
        self.capacity = capacity
        self.longestText = longestText
    }

    func value(for key: ShapeKey) -> TextLayout? {
        key.text.text.utf8.count <= longestText ? entries[key] : nil
    }

    func store(_ layout: TextLayout, for key: ShapeKey) {
        guard key.text.text.utf8.count <= longestText else { return }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = layout
    }
}
