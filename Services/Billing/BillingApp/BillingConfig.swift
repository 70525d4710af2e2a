import CairnAuthKit
import CairnEvents
import Foundation
import ServiceKit

/// Everything billing reads at start-up: the shared keys, how it reaches auth, plus its own
/// (README "Billing").
public struct BillingConfig: ServiceConfigurable {
    public var service: ServiceConfig
    /// Where auth's JWKS is and which tokens billing accepts.
    public var auth: AuthClientSettings
    /// Consumer group of the usage-ledger consumer (one per deployment).
    public var usageGroup: String
    /// Topics: usage in, quota warnings out (tests use fresh ones).
    public var usageTopic: String
    public var warningsTopic: String
    /// The plan of tenants without a subscription.
    public var defaultPlan: String
    /// How often the outbox (quota warnings, audit events) is published.
    public var relayInterval: Duration
    /// How long a tenant's plan stays cached in Redis; subscription changes and plan edits
    /// invalidate it at once, this only bounds what a lost invalidation costs.
    public var planCacheTTL: Duration

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = BillingService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: BillingService.name, requireSecret: false)
        usageGroup = reader.string("CAIRN_BILLING_USAGE_GROUP", default: "billing-usage")
        usageTopic = reader.string("CAIRN_BILLING_USAGE_TOPIC", default: EventTopic.usage.name)
        warningsTopic = reader.string("CAIRN_BILLING_WARNINGS_TOPIC", default: EventTopic.quotaWarnings.name)
        defaultPlan = reader.string("CAIRN_BILLING_DEFAULT_PLAN", default: "free")
        relayInterval = .milliseconds(reader.int("CAIRN_BILLING_OUTBOX_RELAY_MS", default: 200, range: 10...60_000))
        planCacheTTL = .seconds(reader.int("CAIRN_BILLING_PLAN_CACHE_SECONDS", default: 60, range: 1...3_600))
        try reader.finish()
    }
}
