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

    /// The plan called `name`; nil too for a string that cannot be a plan name (checked
    /// before it reaches Postgres: a NUL byte would fail there as a 500).
    func plan(named name: String) async throws -> PlanView? {
        guard PlanRules.isPlanName(name) else { return nil }
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM plans WHERE name = $1")
        query.binds.append(name)
        return try await plans(client.query(query, logger: logger)).first
    }

    /// Inserts a new plan; false when the name is taken.
    func create(_ plan: PlanView, on connection: PostgresConnection) async throws -> Bool {
        let rates = try Self.json(plan.rateLimits)
        let rows = try await connection.query("""
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
    func update(_ plan: PlanView, on connection: PostgresConnection) async throws -> Bool {
        let rates = try Self.json(plan.rateLimits)
        let rows = try await connection.query("""
            UPDATE plans SET display_name = \(plan.displayName), price_cents = \(plan.priceCents), currency = \(plan.currency),
                messages_per_month = \(plan.limits.messagesPerMonth), tokens_per_message = \(plan.limits.tokensPerMessage),
                api_calls_per_day = \(plan.limits.apiCallsPerDay), documents = \(plan.limits.documents),
                storage_mb = \(plan.limits.storageMB), message_overage_cents = \(plan.messageOverageCents),
                rate_limits = \(rates)::jsonb, updated_at = now()
            WHERE name = \(plan.name) RETURNING name
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// Deletes a plan no subscription refers to; false when there is none. The subscriptions'
    /// foreign keys decide in the same statement, so a subscription created meanwhile cannot
    /// be left pointing at nothing: a violation is a 409.
    func delete(named name: String, on connection: PostgresConnection) async throws -> Bool {
        guard PlanRules.isPlanName(name) else { return false }
        do {
            return try await connection.query("DELETE FROM plans WHERE name = \(name) RETURNING name", logger: logger).collect().count == 1
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23503" {
            throw BillingError.conflict("plan \(name) has subscriptions; it cannot be deleted")
        }
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
