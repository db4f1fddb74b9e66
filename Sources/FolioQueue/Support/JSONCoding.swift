import Foundation

/// Shared JSON coders: creating one per job costs more than the encoding itself. Both are safe to share across threads.
public enum JSONCoding {
    public static let encoder = JSONEncoder()
    public static let decoder = JSONDecoder()
}
