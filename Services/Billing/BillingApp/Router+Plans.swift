import CairnAuthKit
import CairnBillingAPI
import Foundation
import Hummingbird

/// The plan catalogue: anyone signed in reads it; system admins edit it.
extension BillingAPI {
    struct PlanList: ResponseEncodable {
        var plans: [PlanView]
    }

    func addPlanRoutes(to group: RouterGroup<BillingRequestContext>) {
        group.get("/v1/plans") { _, context in
            _ = try context.requireIdentity()
            return PlanList(plans: try await plans.all())
        }
        group.get("/v1/plans/{name}") { _, context -> PlanView in
            _ = try context.requireIdentity()
            guard let plan = try await plans.plan(named: context.parameters.get("name") ?? "") else { throw BillingError.notFound }
            return plan
        }
        group.post("/v1/plans") { request, context -> EditedResponse<PlanView> in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:plans")
            let plan = try PlanRules.checked(try await request.decode(as: PlanView.self, context: context))
            guard try await plans.create(plan) else { throw BillingError.conflict("plan \(plan.name) exists") }
            await planEdited(plan.name, action: "plan.create", request: request, context: context)
            return EditedResponse(status: .created, response: plan)
        }
        group.put("/v1/plans/{name}") { request, context -> PlanView in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:plans")
            var plan = try await request.decode(as: PlanView.self, context: context)
            plan.name = context.parameters.get("name") ?? ""
            plan = try PlanRules.checked(plan)
            guard try await plans.update(plan) else { throw BillingError.notFound }
            await planEdited(plan.name, action: "plan.update", request: request, context: context)
            return plan
        }
        group.delete("/v1/plans/{name}") { request, context -> HTTPResponse.Status in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:plans")
            let name = context.parameters.get("name") ?? ""
            guard name != config.defaultPlan else { throw BillingError.conflict("\(name) is the default plan; it cannot be deleted") }
            guard try await plans.delete(named: name) else { throw BillingError.notFound }
            await planEdited(name, action: "plan.delete", request: request, context: context)
            return .noContent
        }
    }

    /// Cached plans go stale at once; the change is audited (platform-wide: the all-zero tenant).
    private func planEdited(_ name: String, action: String, request: Request, context: BillingRequestContext) async {
        await planCache.plansChanged()
        do {
            try await client.transaction(logger: logger) { connection in
                try await BillingAudit.record(
                    action, tenantID: BillingAudit.platformTenant, target: ("plan", name), details: [:], request: request, context: context,
                    on: connection, logger: logger
                )
            }
        } catch {
            logger.error("plan change not audited", metadata: ["plan": "\(name)", "error": "\(String(reflecting: error))"])
        }
    }
}

extension PlanView: ResponseEncodable {}

/// What a plan must satisfy beyond its JSON shape.
enum PlanRules {
    static func checked(_ plan: PlanView) throws(BillingError) -> PlanView {
        var plan = plan
        plan.currency = plan.currency.lowercased()
        guard plan.name.wholeMatch(of: /[a-z][a-z0-9_-]{0,39}/) != nil else {
            throw .invalid("name: 1-40 characters, lower-case letters, digits, - and _, starting with a letter")
        }
        guard (1...100).contains(plan.displayName.count) else { throw .invalid("display_name: 1-100 characters") }
        guard plan.priceCents >= 0, plan.currency.wholeMatch(of: /[a-z]{3}/) != nil else {
            throw .invalid("price_cents must be at least 0 and currency an ISO 4217 code")
        }
        let limits = plan.limits
        for (name, value) in [("messages_per_month", limits.messagesPerMonth), ("tokens_per_message", limits.tokensPerMessage),
                              ("api_calls_per_day", limits.apiCallsPerDay), ("documents", limits.documents), ("storage_mb", limits.storageMB)]
        where value < -1 {
            throw .invalid("limits.\(name) must be -1 (unlimited) or at least 0")
        }
        if let overage = plan.messageOverageCents, overage < 0 { throw .invalid("message_overage_cents must be at least 0") }
        for (name, rate) in [("general", plan.rateLimits.general), ("chat", plan.rateLimits.chat), ("search", plan.rateLimits.search)]
        where rate.perMinute < 1 || rate.burst < 1 || rate.tenantPerMinute < 1 {
            throw .invalid("rate_limits.\(name): per_minute, burst and tenant_per_minute must be at least 1")
        }
        return plan
    }
}
