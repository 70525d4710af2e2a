import Foundation

/// A plan's quotas; -1 means unlimited.
public struct PlanLimits: Codable, Sendable, Equatable {
    public var messagesPerMonth: Int
    /// Largest token count of one chat message (prompt and answer together).
    public var tokensPerMessage: Int
    public var apiCallsPerDay: Int
    public var documents: Int
    public var storageMB: Int

    public init(messagesPerMonth: Int, tokensPerMessage: Int, apiCallsPerDay: Int, documents: Int, storageMB: Int) {
        self.messagesPerMonth = messagesPerMonth
        self.tokensPerMessage = tokensPerMessage
        self.apiCallsPerDay = apiCallsPerDay
        self.documents = documents
        self.storageMB = storageMB
    }

    enum CodingKeys: String, CodingKey {
        case messagesPerMonth = "messages_per_month"
        case tokensPerMessage = "tokens_per_message"
        case apiCallsPerDay = "api_calls_per_day"
        case documents
        case storageMB = "storage_mb"
    }
}

/// One rate-limit class as the gateway applies it: a bucket per user or API key refilled at
/// `perMinute` and holding up to `burst`, plus one tenant-wide bucket of `tenantPerMinute`.
public struct RateLimit: Codable, Sendable, Equatable {
    public var perMinute: Int
    public var burst: Int
    public var tenantPerMinute: Int

    public init(perMinute: Int, burst: Int, tenantPerMinute: Int) {
        self.perMinute = perMinute
        self.burst = burst
        self.tenantPerMinute = tenantPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case perMinute = "per_minute"
        case burst
        case tenantPerMinute = "tenant_per_minute"
    }
}

/// The gateway's rate-limit classes.
public struct RateLimits: Codable, Sendable, Equatable {
    public var general: RateLimit
    public var chat: RateLimit
    public var search: RateLimit

    public init(general: RateLimit, chat: RateLimit, search: RateLimit) {
        self.general = general
        self.chat = chat
        self.search = search
    }
}

/// A plan as billing's API shows it.
public struct PlanView: Codable, Sendable, Equatable {
    public var name: String
    public var displayName: String
    public var priceCents: Int
    public var currency: String
    public var limits: PlanLimits
    public var rateLimits: RateLimits
    /// Cents per message above `messages_per_month`; nil: the limit is hard (refused above it).
    public var messageOverageCents: Int?

    public init(
        name: String, displayName: String, priceCents: Int, currency: String, limits: PlanLimits, rateLimits: RateLimits,
        messageOverageCents: Int? = nil
    ) {
        self.name = name
        self.displayName = displayName
        self.priceCents = priceCents
        self.currency = currency
        self.limits = limits
        self.rateLimits = rateLimits
        self.messageOverageCents = messageOverageCents
    }

    enum CodingKeys: String, CodingKey {
        case name, currency, limits
        case displayName = "display_name"
        case priceCents = "price_cents"
        case rateLimits = "rate_limits"
        case messageOverageCents = "message_overage_cents"
    }
}

/// A tenant's subscription as billing's API shows it.
public struct SubscriptionView: Codable, Sendable, Equatable {
    public var id: UUID
    public var tenantID: UUID
    public var plan: String
    /// `trialing`, `active`, `past_due`, `cancelled`.
    public var status: String
    /// `monthly` or `yearly`.
    public var billingCycle: String
    public var startedAt: Date
    public var endsAt: Date?
    public var currentPeriodStart: Date
    public var currentPeriodEnd: Date
    public var cancelAtPeriodEnd: Bool

    public init(
        id: UUID, tenantID: UUID, plan: String, status: String, billingCycle: String, startedAt: Date, endsAt: Date?,
        currentPeriodStart: Date, currentPeriodEnd: Date, cancelAtPeriodEnd: Bool
    ) {
        self.id = id
        self.tenantID = tenantID
        self.plan = plan
        self.status = status
        self.billingCycle = billingCycle
        self.startedAt = startedAt
        self.endsAt = endsAt
        self.currentPeriodStart = currentPeriodStart
        self.currentPeriodEnd = currentPeriodEnd
        self.cancelAtPeriodEnd = cancelAtPeriodEnd
    }

    enum CodingKeys: String, CodingKey {
        case id, plan, status
        case tenantID = "tenant_id"
        case billingCycle = "billing_cycle"
        case startedAt = "started_at"
        case endsAt = "ends_at"
        case currentPeriodStart = "current_period_start"
        case currentPeriodEnd = "current_period_end"
        case cancelAtPeriodEnd = "cancel_at_period_end"
    }

    /// Ids lower-case (Foundation writes them upper-case); `ends_at` written as `null` when open.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(tenantID.uuidString.lowercased(), forKey: .tenantID)
        try container.encode(plan, forKey: .plan)
        try container.encode(status, forKey: .status)
        try container.encode(billingCycle, forKey: .billingCycle)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endsAt, forKey: .endsAt)
        try container.encode(currentPeriodStart, forKey: .currentPeriodStart)
        try container.encode(currentPeriodEnd, forKey: .currentPeriodEnd)
        try container.encode(cancelAtPeriodEnd, forKey: .cancelAtPeriodEnd)
    }
}

/// `GET /v1/tenants/{tenant_id}/plan`: the plan in force and the subscription behind it (nil:
/// no subscription, the default plan applies).
public struct TenantPlan: Codable, Sendable, Equatable {
    public var plan: PlanView
    public var subscription: SubscriptionView?

    public init(plan: PlanView, subscription: SubscriptionView?) {
        self.plan = plan
        self.subscription = subscription
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(plan, forKey: .plan)
        try container.encode(subscription, forKey: .subscription)
    }
}
