import Foundation

/// UUIDs in Cairn's JSON are lower-case, as in tokens, events and URLs (Foundation writes
/// them upper-case). Synthesised `Encodable` conformances in modules that import ServiceKit
/// pick these overloads over the generic ones.
extension KeyedEncodingContainer {
    public mutating func encode(_ value: UUID, forKey key: Key) throws {
        try encode(value.uuidString.lowercased(), forKey: key)
    }

    public mutating func encodeIfPresent(_ value: UUID?, forKey key: Key) throws {
        try encodeIfPresent(value?.uuidString.lowercased(), forKey: key)
    }
}
