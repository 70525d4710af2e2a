import CairnBillingAPI
import CairnPostgres
import Foundation
import Logging
import PostgresNIO

/// The plans table: data, seeded by migration 1, edited by system admins.
struct PlanStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    private static let columns = """
        name, display_name, price_cents, currency, messages_per_month, tokens_per_message, api_calls_per_day, documents, \
        storage_mb, message_overage_cents, rate_limits::text
        """

    func all() async throws -> [PlanView] {
        try await plans(client.query(PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM plans ORDER BY price_cents, name"), logger: logger))
    }

    func plan(named name: String) async throws -> PlanView? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM plans WHERE name = $1")
        query.binds.append(name)
        return try await plans(client.query(query, logger: logger)).first
    }

    /// Inserts a new plan; false when the name is taken.
    func create(_ plan: PlanView) async throws -> Bool {
        let rates = try Self.json(plan.rateLimits)
        let rows = try await client.query("""
            INSERT INTO plans (name, display_name, price_cents, currency, messages_per_month, tokens_per_message, api_calls_per_day,
                               documents, storage_mb, message_overage_cents, rate_limits)
            VALUES (\(plan.name), \(plan.displayName), \(plan.priceCents), \(plan.currency), \(plan.limits.messagesPerMonth),
                    \(plan.limits.tokensPerMessage), \(plan.limits.apiCallsPerDay), \(plan.limits.documents), \(plan.limits.storageMB),
                    \(plan.messageOverageCents), \(rates)::jsonb)
            ON CONFLICT (name) DO NOTHING RETURNING name
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// Replaces every field of an existing plan but its name; false when there is none.
    func update(_ plan: PlanView) async throws -> Bool {
        let rates = try Self.json(plan.rateLimits)
        let rows = try await client.query("""
            UPDATE plans SET display_name = \(plan.displayName), price_cents = \(plan.priceCents), currency = \(plan.currency),
                messages_per_month = \(plan.limits.messagesPerMonth), tokens_per_message = \(plan.limits.tokensPerMessage),
                api_calls_per_day = \(plan.limits.apiCallsPerDay), documents = \(plan.limits.documents),
                storage_mb = \(plan.limits.storageMB), message_overage_cents = \(plan.messageOverageCents),
                rate_limits = \(rates)::jsonb, updated_at = now()
            WHERE name = \(plan.name) RETURNING name
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// Deletes a plan no subscription refers to; false when there is none.
    func delete(named name: String) async throws -> Bool {
        let inUse = try await client.query("""
            SELECT 1 FROM subscriptions WHERE plan_name = \(name) OR pending_plan = \(name) LIMIT 1
            """, logger: logger).collect()
        guard inUse.isEmpty else { throw BillingError.conflict("plan \(name) has subscriptions; it cannot be deleted") }
        return try await client.query("DELETE FROM plans WHERE name = \(name) RETURNING name", logger: logger).collect().count == 1
    }

    private func plans(_ rows: PostgresRowSequence) async throws -> [PlanView] {
        var result: [PlanView] = []
        let decoded = rows.decode((String, String, Int, String, Int, Int, Int, Int, Int, Int?, String).self)
        for try await (name, display, price, currency, messages, tokens, calls, documents, storage, overage, rates) in decoded {
            result.append(PlanView(
                name: name, displayName: display, priceCents: price, currency: currency,
                limits: PlanLimits(messagesPerMonth: messages, tokensPerMessage: tokens, apiCallsPerDay: calls, documents: documents, storageMB: storage),
                rateLimits: try JSONDecoder().decode(RateLimits.self, from: Data(rates.utf8)), messageOverageCents: overage
            ))
        }
        return result
    }

    private static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}
