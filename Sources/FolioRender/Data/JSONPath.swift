/// One step of a JSON path, used to name where in the data something was found (`$.lines[3].quantity`).
enum JSONPathComponent: Sendable, Hashable {
    case key(String)
    case index(Int)
}

enum JSONPath {
    /// `$`, `$.a.b[2]`, `$['key with space']`.
    static func render(_ components: some Sequence<JSONPathComponent>) -> String {
        var text = "$"
        for component in components { append(component, to: &text) }
        return text
    }

    static func append(_ component: JSONPathComponent, to text: inout String) {
        switch component {
        case .index(let i):
            text += "[\(i)]"
        case .key(let key):
            if isPlainKey(key) {
                text += "."
                text += key
            } else {
                text += "['"
                for ch in key.unicodeScalars {
                    if ch == "'" || ch == "\\" { text += "\\" }
                    text.unicodeScalars.append(ch)
                }
                text += "']"
            }
        }
    }

    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return key.utf8.allSatisfy { b in
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
        }
    }
}
