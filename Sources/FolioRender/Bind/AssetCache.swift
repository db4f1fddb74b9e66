import Foundation

/// Decoded template images, shared by every render; keyed by path and modification time so edits are seen.
final class AssetCache: @unchecked Sendable {
    static let shared = AssetCache()
    private let lock = NSLock()
    private var assets: [String: (stamp: Date, asset: ImageAsset)] = [:]

    func asset(path: String, name: String, limits: ImageLimits, location: SourceLocation) throws(RenderError) -> ImageAsset {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let stamp = attributes?[.modificationDate] as? Date else {
            throw RenderError(.imageInvalid, "image '\(name)' is not in the template's folder", location: location)
        }
        lock.lock()
        if let cached = assets[path], cached.stamp == stamp { lock.unlock(); return cached.asset }
        lock.unlock()
        if let size = attributes?[.size] as? Int, size > limits.maxEncodedBytes {
            throw RenderError(.imageInvalid, "image '\(name)' is \(size) bytes; the limit is \(limits.maxEncodedBytes)",
                              location: location)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RenderError(.imageInvalid, "image '\(name)' cannot be read", location: location)
        }
        let asset: ImageAsset
        do { asset = try ImageAsset(bytes: [UInt8](data), name: name, limits: limits) } catch {
            var error = error
            error.location = location
            throw error
        }
        lock.lock()
        assets[path] = (stamp, asset)
        lock.unlock()
        return asset
    }
}
