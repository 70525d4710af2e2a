import CairnBillingAPI
import CairnProtos
import Foundation

/// What the ledger counts per tenant and period. Several usage kinds can feed one meter
/// (chat tokens in and out); each meter resets monthly, daily or never.
enum Meter: String, CaseIterable, Sendable {
    case messages
    case chatTokens = "chat_tokens"
    case embeddingTokens = "embedding_tokens"
    case documentPages = "document_pages"
    case searchQueries = "search_queries"
    case apiCalls = "api_calls"
    case documents
    case storageBytes = "storage_bytes"

    enum Reset { case monthly, daily, never }

    var reset: Reset {
        switch self {
        case .apiCalls: .daily
        case .documents, .storageBytes: .never
        default: .monthly
        }
    }

    /// The period containing `date` for a tenant whose monthly periods follow `anchor`.
    func period(containing date: Date, anchor: Date) -> DateInterval {
        switch reset {
        case .monthly: BillingPeriod.month(containing: date, anchor: anchor)
        case .daily: BillingPeriod.day(containing: date)
        case .never: BillingPeriod.lifetime
        }
    }

    /// The meter a usage kind feeds; nil for kinds this build does not know.
    init?(kind: Cairn_V1_UsageKind) {
        switch kind {
        case .chatMessage: self = .messages
        case .chatTokensIn, .chatTokensOut: self = .chatTokens
        case .embeddingTokens: self = .embeddingTokens
        case .documentPages: self = .documentPages
        case .documentBytes: self = .storageBytes
        case .apiRequest: self = .apiCalls
        case .searchQuery: self = .searchQueries
        case .documentStored: self = .documents
        case .unspecified, .UNRECOGNIZED: return nil
        }
    }

    /// The meter behind a quota resource; nil for `tokens`, a per-request limit.
    init?(_ resource: QuotaResource) {
        switch resource {
        case .messages: self = .messages
        case .documents: self = .documents
        case .storage: self = .storageBytes
        case .apiCalls: self = .apiCalls
        case .tokens: return nil
        }
    }

    /// The limit `plan` sets on this meter (-1 unlimited), nil where it sets none.
    func limit(in plan: PlanView) -> Int? {
        switch self {
        case .messages: plan.limits.messagesPerMonth
        case .apiCalls: plan.limits.apiCallsPerDay
        case .documents: plan.limits.documents
        case .storageBytes: plan.limits.storageMB < 0 ? -1 : Self.bytes(megabytes: plan.limits.storageMB)
        default: nil
        }
    }

    /// MiB in bytes, saturating (plans written before the upper bounds existed may hold anything).
    static func bytes(megabytes: Int) -> Int {
        let (bytes, overflow) = megabytes.multipliedReportingOverflow(by: 1_048_576)
        return overflow ? .max : bytes
    }

    /// Whether usage beyond the limit is still allowed (and billed as overage).
    func isSoftLimited(in plan: PlanView) -> Bool {
        self == .messages && plan.messageOverageCents != nil
    }

    /// The kind a `QuotaWarning` names for this meter.
    var quotaKind: Cairn_V1_QuotaKind {
        switch self {
        case .messages: .messages
        case .apiCalls: .apiRequests
        case .documents: .documents
        case .storageBytes: .storageBytes
        case .chatTokens: .chatTokens
        case .embeddingTokens: .embeddingTokens
        case .documentPages, .searchQueries: .unspecified
        }
    }
}
