import Hummingbird

/// A page of a list: the items under `key` and the cursor of the next page (`null` on the
/// last), e.g. `{"documents": [...], "next_cursor": "..."}`.
public struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public var key: String
    public var items: [Item]
    public var nextCursor: String?

    public init(key: String, items: [Item], nextCursor: String?) {
        self.key = key
        self.items = items
        self.nextCursor = nextCursor
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: key))
        try container.encode(nextCursor, forKey: Key(stringValue: "next_cursor"))
    }
}
