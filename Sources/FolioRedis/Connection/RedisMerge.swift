/// Marks a command that is a head (the first `headCount` arguments) followed by `items` items, and whose reply is an array
/// with one element per item. Such commands with the same `key` sent together go out as one command: the first one's head
/// followed by every command's items. Each caller gets its own items' part of the array (or the whole reply when it is not
/// an array, such as an error).
struct RedisMerge: Sendable {
    var key: String
    var headCount: Int
    var items: Int

    /// Most items one merged command carries.
    static let maxItems = 256
}
