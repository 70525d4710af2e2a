import Foundation

/// What a quota limits, as `POST /v1/quota/check` names it.
public enum QuotaResource: String, Codable, Sendable, CaseIterable {
    /// Answered chat messages per billing month.
    case messages
    /// Tokens of one chat message: checked against the request, nothing accumulates.
    case tokens
    /// Documents stored (not periodic).
    case documents
    /// Bytes stored (not periodic); the plan's limit is in MiB (`storage_mb`).
    case storage
    /// API calls per UTC day.
    case apiCalls = "api_calls"
}

/// `POST /v1/quota/check`: may the tenant use `quantity` more of `resource`?
public struct QuotaCheckRequest: Codable, Sendable, Equatable {
    public var tenantID: UUID
    public var resource: QuotaResource
    /// At least 1; defaults to 1.
    public var quantity: Int

    public init(tenantID: UUID, resource: QuotaResource, quantity: Int = 1) {
        self.tenantID = tenantID
        self.resource = resource
        self.quantity = quantity
    }

    enum CodingKeys: String, CodingKey {
        case tenantID = "tenant_id"
        case resource, quantity
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tenantID = try container.decode(UUID.self, forKey: .tenantID)
        resource = try container.decode(QuotaResource.self, forKey: .resource)
        quantity = try container.decodeIfPresent(Int.self, forKey: .quantity) ?? 1
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tenantID.uuidString.lowercased(), forKey: .tenantID)
        try container.encode(resource, forKey: .resource)
        try container.encode(quantity, forKey: .quantity)
    }
}

/// The answer to a quota check. `limit` and `remaining` are -1 when unlimited; `resetAt` is
/// nil (JSON `null`) for resources that are not periodic.
public struct QuotaDecision: Codable, Sendable, Equatable {
    public static let unlimited = -1

    public var allowed: Bool
    public var resource: QuotaResource
    public var limit: Int
    public var used: Int
    public var remaining: Int
    public var resetAt: Date?
    /// The plan the limit comes from (`free` for tenants without a subscription).
    public var plan: String

    public init(allowed: Bool, resource: QuotaResource, limit: Int, used: Int, remaining: Int, resetAt: Date?, plan: String) {
        self.allowed = allowed
        self.resource = resource
        self.limit = limit
        self.used = used
        self.remaining = remaining
        self.resetAt = resetAt
        self.plan = plan
    }

    enum CodingKeys: String, CodingKey {
        case allowed, resource, limit, used, remaining, plan
        case resetAt = "reset_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowed = try container.decode(Bool.self, forKey: .allowed)
        resource = try container.decode(QuotaResource.self, forKey: .resource)
        limit = try container.decode(Int.self, forKey: .limit)
        used = try container.decode(Int.self, forKey: .used)
        remaining = try container.decode(Int.self, forKey: .remaining)
        resetAt = try container.decodeIfPresent(Date.self, forKey: .resetAt)
        plan = try container.decode(String.self, forKey: .plan)
    }

    /// Writes `reset_at` even when nil, as `null`: the contract names the key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(allowed, forKey: .allowed)
        try container.encode(resource, forKey: .resource)
        try container.encode(limit, forKey: .limit)
        try container.encode(used, forKey: .used)
        try container.encode(remaining, forKey: .remaining)
        try container.encode(resetAt, forKey: .resetAt)
        try container.encode(plan, forKey: .plan)
    }
}

/// The JSON conventions of billing's API (ISO 8601 dates), for clients that decode its answers.
public enum BillingJSON {
    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
