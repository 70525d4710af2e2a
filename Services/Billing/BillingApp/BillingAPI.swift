import CairnAuthKit
import CairnRedis
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// Everything billing's routes use, built once by ``BillingService``.
struct BillingAPI: Sendable {
    let config: BillingConfig
    let client: PostgresClient
    let plans: PlanStore
    let subscriptions: SubscriptionStore
    let resolver: TenantBillingResolver
    let planCache: TenantPlanCache
    let quota: QuotaService
    let reports: UsageReports
    let verifier: TokenVerifier
    let logger: Logger

    init(config: BillingConfig, client: PostgresClient, redis: RedisClient, counters: QuotaCache, verifier: TokenVerifier, logger: Logger) {
        self.config = config
        self.client = client
        self.verifier = verifier
        self.logger = logger
        plans = PlanStore(client: client, logger: logger)
        subscriptions = SubscriptionStore(client: client, logger: logger)
        resolver = TenantBillingResolver(plans: plans, subscriptions: subscriptions, defaultPlan: config.defaultPlan)
        planCache = TenantPlanCache(redis: redis, resolver: resolver, ttl: config.planCacheTTL, logger: logger)
        quota = QuotaService(plans: planCache, counters: counters, resolver: resolver, client: client, logger: logger)
        reports = UsageReports(client: client, logger: logger)
    }

    func addRoutes(to router: Router<BillingRequestContext>) {
        let authenticated = router.group().add(middleware: AuthenticationMiddleware<BillingRequestContext>(verifier: verifier))
        addQuotaRoutes(to: authenticated)
        addPlanRoutes(to: authenticated)
        addSubscriptionRoutes(to: authenticated)
        addUsageRoutes(to: authenticated)
    }

    /// The tenant a request acts on, named by `?tenant_id=` (required for system admins and
    /// services, optional for a tenant's own people). Another tenant's id answers 404.
    func actingTenant(_ request: Request, context: BillingRequestContext, _ permission: Permission) throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        var named: UUID?
        if let raw = request.uri.queryParameters["tenant_id"] {
            guard let id = UUID(uuidString: String(raw)) else { throw BillingError.invalid("tenant_id must be a UUID") }
            named = id
        }
        return (identity, try authorizeTenant(identity, permission, named: named))
    }

    /// The tenant of a `/v1/tenants/{tenant_id}/...` path; a malformed id is a 404 like an unknown one.
    func pathTenant(_ context: BillingRequestContext, _ permission: Permission) throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        guard let raw = context.parameters.get("tenant_id"), let id = UUID(uuidString: raw) else { throw BillingError.notFound }
        return (identity, try authorizeTenant(identity, permission, named: id))
    }

    /// `authorize`, except that another tenant's anything is a 404 before permissions are
    /// looked at: a member (or a narrow API key) probing it learns nothing, not even a 403.
    private func authorizeTenant(_ identity: Identity, _ permission: Permission, named: UUID?) throws -> UUID {
        if let named, !identity.role.spansTenants, named != identity.tenantID { throw BillingError.notFound }
        return try authorize(identity, permission, resourceTenant: named)
    }
}
