/// A permission: `resource:action`, either part `*` for "any" (`admin:*`, `documents:write`).
/// A granted permission implies a required one when each part is equal or granted as `*`.
public struct Permission: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let resource: String
    public let action: String

    /// Parses `resource:action`: lower-case letters, digits and `_`, or `*`; nil otherwise.
    public init?(_ text: some StringProtocol) {
        let parts = String(text).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(Self.isValidPart) else { return nil }
        resource = String(parts[0])
        action = String(parts[1])
    }

    /// For literals in code; an invalid literal is a programming error.
    public init(stringLiteral text: String) {
        guard let permission = Permission(text) else { preconditionFailure("invalid permission literal \(text)") }
        self = permission
    }

    public var description: String { "\(resource):\(action)" }

    /// Whether holding `self` grants `required`.
    public func implies(_ required: Permission) -> Bool {
        (resource == "*" || resource == required.resource) && (action == "*" || action == required.action)
    }

    private static func isValidPart(_ part: Substring) -> Bool {
        part == "*" || (!part.isEmpty && part.count <= 40 && part.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        })
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let permission = Permission(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid permission \(text)"))
        }
        self = permission
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Collection<Permission> {
    /// Whether any permission in the collection implies `required`.
    public func grants(_ required: Permission) -> Bool {
        contains { $0.implies(required) }
    }

    /// Space-separated, sorted: the form of the `scope` claim.
    public var scopeString: String { map(\.description).sorted().joined(separator: " ") }
}

extension Set<Permission> {
    /// Parses a `scope` claim; nil if any entry is invalid.
    public init?(scope: String) {
        var permissions = Set<Permission>()
        for part in scope.split(separator: " ") {
            guard let permission = Permission(part) else { return nil }
            permissions.insert(permission)
        }
        self = permissions
    }
}
