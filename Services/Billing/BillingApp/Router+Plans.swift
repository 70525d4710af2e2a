import CairnAuthKit
import CairnBillingAPI
import Foundation
import Hummingbird
import PostgresNIO

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
            try await editPlan(plan.name, action: "plan.create", request: request, context: context) { connection in
                guard try await plans.create(plan, on: connection) else { throw BillingError.conflict("plan \(plan.name) exists") }
            }
            return EditedResponse(status: .created, response: plan)
        }
        group.put("/v1/plans/{name}") { request, context -> PlanView in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:plans")
            var plan = try await request.decode(as: PlanView.self, context: context)
            plan.name = context.parameters.get("name") ?? ""
            guard PlanRules.isPlanName(plan.name) else { throw BillingError.notFound }
            plan = try PlanRules.checked(plan)
            try await editPlan(plan.name, action: "plan.update", request: request, context: context) { connection in
                guard try await plans.update(plan, on: connection) else { throw BillingError.notFound }
            }
            return plan
        }
        group.delete("/v1/plans/{name}") { request, context -> HTTPResponse.Status in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:plans")
            let name = context.parameters.get("name") ?? ""
            guard name != config.defaultPlan else { throw BillingError.conflict("\(name) is the default plan; it cannot be deleted") }
            try await editPlan(name, action: "plan.delete", request: request, context: context) { connection in
                guard try await plans.delete(named: name, on: connection) else { throw BillingError.notFound }
            }
            return .noContent
        }
    }

    /// Makes a catalogue change and records its audit event in one transaction (platform-wide:
    /// the all-zero tenant); then cached plans go stale at once.
    private func editPlan(
        _ name: String, action: String, request: Request, context: BillingRequestContext,
        _ change: @escaping (PostgresConnection) async throws -> Void
    ) async throws {
        try await client.transaction(logger: logger) { connection in
            try await change(connection)
            try await BillingAudit.record(
                action, tenantID: BillingAudit.platformTenant, target: ("plan", name), details: [:], request: request, context: context,
                on: connection, logger: logger
            )
        }
        await planCache.plansChanged()
    }
}

extension PlanView: ResponseEncodable {}

/// What a plan must satisfy beyond its JSON shape. The upper bounds are far above any real
/// plan and keep every product billing forms (storage in bytes, overage × messages, counters
/// × 100 for warnings) inside 64 bits.
enum PlanRules {
    static let maxLimit = 1_000_000_000_000
    static let maxStorageMB = 1_000_000_000
    static let maxCents = 1_000_000_000
    static let maxRate = 10_000_000

    /// Whether `name` has the shape of a plan name (checked before any query uses it).
    static func isPlanName(_ name: String) -> Bool {
        name.wholeMatch(of: /[a-z][a-z0-9_-]{0,39}/) != nil
    }

    static func checked(_ plan: PlanView) throws(BillingError) -> PlanView {
        var plan = plan
        plan.currency = plan.currency.lowercased()
        guard isPlanName(plan.name) else {
            throw .invalid("name: 1-40 characters, lower-case letters, digits, - and _, starting with a letter")
        }
        // Counted as Postgres counts text (code points). (The request decoder refuses NUL.)
        guard (1...100).contains(plan.displayName.unicodeScalars.count) else {
            throw .invalid("display_name: 1-100 characters")
        }
        guard (0...maxCents).contains(plan.priceCents), plan.currency.wholeMatch(of: /[a-z]{3}/) != nil else {
            throw .invalid("price_cents must be 0 to \(maxCents) and currency an ISO 4217 code")
        }
        let limits = plan.limits
        for (name, value, max) in [("messages_per_month", limits.messagesPerMonth, maxLimit), ("tokens_per_message", limits.tokensPerMessage, maxLimit),
                                   ("api_calls_per_day", limits.apiCallsPerDay, maxLimit), ("documents", limits.documents, maxLimit),
                                   ("storage_mb", limits.storageMB, maxStorageMB)]
        where value < -1 || value > max {
            throw .invalid("limits.\(name) must be -1 (unlimited) or 0 to \(max)")
        }
        if let overage = plan.messageOverageCents, !(0...maxCents).contains(overage) {
            throw .invalid("message_overage_cents must be 0 to \(maxCents)")
        }
        for (name, rate) in [("general", plan.rateLimits.general), ("chat", plan.rateLimits.chat), ("search", plan.rateLimits.search)]
        where ![rate.perMinute, rate.burst, rate.tenantPerMinute].allSatisfy({ (1...maxRate).contains($0) }) {
            throw .invalid("rate_limits.\(name): per_minute, burst and tenant_per_minute must be 1 to \(maxRate)")
        }
        return plan
    }
}
