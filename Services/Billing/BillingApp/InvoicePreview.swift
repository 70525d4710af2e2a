import CairnBillingAPI
import Foundation

/// What the current monthly period costs: the plan's monthly price plus metered overage
/// (messages above the plan's allowance, where the plan prices them). Yearly subscriptions
/// are shown as their monthly share.
struct InvoicePreview: Encodable, Sendable, Equatable {
    struct Line: Encodable, Sendable, Equatable {
        var description: String
        var quantity: Int
        var unitAmountCents: Int
        var amountCents: Int

        enum CodingKeys: String, CodingKey {
            case description, quantity
            case unitAmountCents = "unit_amount_cents"
            case amountCents = "amount_cents"
        }
    }

    var tenantID: UUID
    var plan: String
    var currency: String
    var periodStart: Date
    var periodEnd: Date
    var lines: [Line]
    var totalCents: Int

    enum CodingKeys: String, CodingKey {
        case plan, currency, lines
        case tenantID = "tenant_id"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case totalCents = "total_cents"
    }

    init(tenantID: UUID, billing: TenantBilling, messagesUsed: Int, at date: Date) {
        let plan = billing.plan
        let period = BillingPeriod.month(containing: date, anchor: billing.anchor)
        var lines = [Line(description: "\(plan.displayName) plan, monthly", quantity: 1, unitAmountCents: plan.priceCents, amountCents: plan.priceCents)]
        let allowance = plan.limits.messagesPerMonth
        if let overage = plan.messageOverageCents, allowance >= 0, messagesUsed > allowance {
            let extra = messagesUsed - allowance
            lines.append(Line(description: "Messages above \(allowance)", quantity: extra, unitAmountCents: overage,
                              amountCents: Self.saturating(extra.multipliedReportingOverflow(by: overage))))
        }
        self.tenantID = tenantID
        self.plan = plan.name
        currency = plan.currency
        periodStart = period.start
        periodEnd = period.end
        self.lines = lines
        totalCents = lines.reduce(0) { Self.saturating($0.addingReportingOverflow($1.amountCents)) }
    }

    /// Amounts saturate rather than trap: plan bounds keep real ones far below 2^63, but a
    /// report must never crash the service.
    private static func saturating(_ result: (partialValue: Int, overflow: Bool)) -> Int {
        result.overflow ? .max : result.partialValue
    }
}
