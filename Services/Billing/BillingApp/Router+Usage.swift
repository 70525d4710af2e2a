import CairnAuthKit
import Foundation
import Hummingbird

/// Usage reports and the invoice preview. Tenant admins, system admins and services see the
/// whole tenant (and may name a user); members see their own use only: naming anyone else
/// answers 404, as for another tenant.
extension BillingAPI {
    struct UsageAnswer: ResponseEncodable {
        var tenantID: UUID
        var userID: String?
        var plan: String
        var usage: [UsageReports.Line]

        enum CodingKeys: String, CodingKey {
            case plan, usage
            case tenantID = "tenant_id"
            case userID = "user_id"
        }
    }

    struct HistoryAnswer: ResponseEncodable {
        var tenantID: UUID
        var from: String
        var to: String
        var series: [UsageReports.Point]

        enum CodingKeys: String, CodingKey {
            case from, to, series
            case tenantID = "tenant_id"
        }
    }

    func addUsageRoutes(to group: RouterGroup<BillingRequestContext>) {
        group.get("/v1/usage") { request, context -> UsageAnswer in
            let (identity, tenant) = try actingTenant(request, context: context, "usage:read")
            let subject = try usageSubject(request, identity)
            let now = Date()
            let billing = try await resolver.billing(tenantID: tenant, at: now)
            let lines = try await reports.current(tenantID: tenant, billing: billing, at: now, subjectID: subject)
            return UsageAnswer(tenantID: tenant, userID: subject, plan: billing.plan.name, usage: lines)
        }
        group.get("/v1/usage/history") { request, context -> HistoryAnswer in
            let (identity, tenant) = try actingTenant(request, context: context, "usage:read")
            let subject = try usageSubject(request, identity)
            let query = request.uri.queryParameters
            let to = query["to"].map(String.init) ?? BillingPeriod.dayString(Date())
            guard let end = BillingPeriod.day(parsing: to) else { throw BillingError.invalid("to must be a date, YYYY-MM-DD") }
            let from = query["from"].map(String.init) ?? BillingPeriod.dayString(end.addingTimeInterval(-29 * 86_400))
            guard let start = BillingPeriod.day(parsing: from), start <= end else {
                throw BillingError.invalid("from must be a date, YYYY-MM-DD, not after to")
            }
            guard end.timeIntervalSince(start) < Double(UsageReports.maxHistoryDays) * 86_400 else {
                throw BillingError.invalid("at most \(UsageReports.maxHistoryDays) days at once")
            }
            var meter: Meter?
            if let name = query["resource"] {
                guard let known = Meter(rawValue: String(name)) else {
                    throw BillingError.invalid("resource must be one of \(Meter.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                meter = known
            }
            let groupBy = query["group_by"].map(String.init) ?? "resource"
            guard groupBy == "resource" || groupBy == "user" else { throw BillingError.invalid("group_by: resource or user") }
            let series = try await reports.history(tenantID: tenant, from: from, to: to, meter: meter, subjectID: subject, byUser: groupBy == "user")
            return HistoryAnswer(tenantID: tenant, from: from, to: to, series: series)
        }
        group.get("/v1/invoices/preview") { request, context -> InvoicePreview in
            let (_, tenant) = try actingTenant(request, context: context, "billing:read")
            let now = Date()
            let billing = try await resolver.billing(tenantID: tenant, at: now)
            let period = Meter.messages.period(containing: now, anchor: billing.anchor)
            let used = try await quota.committed(CounterKey(tenantID: tenant, meter: .messages, periodStart: period.start))
            return InvoicePreview(tenantID: tenant, billing: billing, messagesUsed: used, at: now)
        }
    }

    /// Whose use a request may see: anyone's (or the `user_id` named) for those who read the
    /// tenant's billing; only their own for everyone else.
    private func usageSubject(_ request: Request, _ identity: Identity) throws -> String? {
        let named = request.uri.queryParameters["user_id"].map(String.init)
        if let named, named.isEmpty || named.count > UsageRecord.maxIDLength || named.utf8.contains(0) {
            throw BillingError.invalid("user_id: 1-\(UsageRecord.maxIDLength) characters, no NUL")
        }
        if identity.has("billing:read") { return named }
        guard named == nil || named == identity.subject else { throw BillingError.notFound }
        return identity.subject
    }
}

extension InvoicePreview: ResponseEncodable {}
