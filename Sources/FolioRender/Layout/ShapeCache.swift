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
/// Kept: short texts seen at least twice — quantities, amounts, rates, codes, labels, product names: what documents
/// repeat. Not kept: long paragraphs, and texts seen once (line numbers, references), which would only push the
/// repeated ones out and hold memory. Bounded: when full it starts again.
final class ShapeCache {
    private var entries: [ShapeKey: TextLayout] = [:]
    private var seenOnce: Set<Int> = []
    let capacity: Int
    let longestText: Int

    init(capacity: Int = 1024, longestText: Int = 160) {
        self.capacity = capacity
        self.longestText = longestText
    }

    func value(for key: ShapeKey) -> TextLayout? {
        key.text.text.utf8.count <= longestText ? entries[key] : nil
    }

    func store(_ layout: TextLayout, for key: ShapeKey) {
        guard key.text.text.utf8.count <= longestText else { return }
        guard seenOnce.remove(key.hashValue) != nil else {
            if seenOnce.count >= capacity * 8 { seenOnce.removeAll(keepingCapacity: true) }
            seenOnce.insert(key.hashValue)
            return
        }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = layout
    }
}
