import CairnEvents
import CairnPostgres
import CairnProtos
import Foundation
import Logging
import PostgresNIO

/// A tenant's meter in one period.
struct CounterKey: Hashable, Sendable {
    var tenantID: UUID
    var meter: Meter
    var periodStart: Date
}

/// A counter's value as committed, with when its period ends (for cache expiry).
struct CounterValue: Sendable, Equatable {
    var key: CounterKey
    var used: Int
    var periodEnd: Date
}

/// Applies usage exactly once. In one transaction: the ledger insert (its primary key, tenant
/// and usage id, drops what was applied before), the period counters and daily roll-ups of
/// what was new, and the quota warnings those counters now call for (once per threshold per
/// period, through the outbox). Redelivered, duplicated and out-of-order events change nothing
/// twice: each lands in the period its own `occurred_at` falls in.
struct UsageLedger: Sendable {
    let client: PostgresClient
    let resolver: TenantBillingResolver
    let warningsTopic: String
    let logger: Logger
    /// Percentages of a limit at which a warning is published.
    static let thresholds = [80, 100]

    struct Outcome: Sendable {
        var applied: Int
        var duplicates: Int
        /// Every counter the batch touched, new or redelivered, as now committed.
        var counters: [CounterValue]
    }

    func apply(_ records: [UsageRecord]) async throws -> Outcome {
        var seen = Set<[String]>()
        let unique = records.filter { seen.insert([$0.tenantID.uuidString, $0.usageID]).inserted }
        let billing = try await resolver.batch(tenantIDs: Array(Set(unique.map(\.tenantID))))
        var placed: [(record: UsageRecord, period: DateInterval, limit: Int?, soft: Bool)] = []
        for record in unique {
            let tenant = try billing(record.tenantID, record.occurredAt)
            placed.append((record, record.meter.period(containing: record.occurredAt, anchor: tenant.anchor),
                           record.meter.limit(in: tenant.plan), record.meter.isSoftLimited(in: tenant.plan)))
        }
        return try await client.transaction(logger: logger) { connection in
            let inserted = try await insertLedger(placed.map { ($0.record, $0.period.start) }, on: connection)
            let new = placed.filter { inserted.contains([$0.record.tenantID.uuidString, $0.record.usageID]) }
            try await addToCounters(new.map { ($0.record, $0.period.start) }, on: connection)
            try await addToDaily(new.map(\.record), on: connection)
            var periods: [CounterKey: (end: Date, limit: Int?, soft: Bool)] = [:]
            for item in placed {
                periods[CounterKey(tenantID: item.record.tenantID, meter: item.record.meter, periodStart: item.period.start)] =
                    (item.period.end, item.limit, item.soft)
            }
            let values = try await counters(Array(periods.keys), on: connection).map { key, used in
                CounterValue(key: key, used: used, periodEnd: periods[key]!.end)
            }
            try await warn(values.map { ($0, periods[$0.key]!.limit, periods[$0.key]!.soft) }, on: connection)
            return Outcome(applied: new.count, duplicates: records.count - new.count, counters: values)
        }
    }

    /// Inserts what is new; returns the (tenant, usage id) pairs it inserted.
    private func insertLedger(_ rows: [(UsageRecord, Date)], on connection: PostgresConnection) async throws -> Set<[String]> {
        guard !rows.isEmpty else { return [] }
        // Key order, like every insert here: replicas inserting overlapping batches (a
        // rebalance redelivers) lock the same keys in the same order and cannot deadlock.
        let sorted = rows.sorted { ($0.0.tenantID.uuidString, $0.0.usageID) < ($1.0.tenantID.uuidString, $1.0.usageID) }
        let r = sorted.map(\.0)
        let inserted = try await connection.query("""
            INSERT INTO usage_ledger (tenant_id, usage_id, event_id, kind, meter, quantity, subject_type, subject_id, producer, model,
                                      metadata, occurred_at, period_start)
            SELECT t, u, e, k, m, q, st, si, p, mo, md::jsonb, o, ps
            FROM UNNEST(\(r.map(\.tenantID))::uuid[], \(r.map(\.usageID))::text[], \(r.map(\.eventID))::uuid[], \(r.map(\.kind))::text[],
                        \(r.map(\.meter.rawValue))::text[], \(r.map(\.quantity))::int8[], \(r.map(\.subjectType))::text[],
                        \(r.map(\.subjectID))::text[], \(r.map(\.producer))::text[], \(r.map(\.model))::text[],
                        \(r.map(\.metadata))::text[], \(r.map(\.occurredAt))::timestamptz[], \(sorted.map(\.1))::timestamptz[])
                 AS x(t, u, e, k, m, q, st, si, p, mo, md, o, ps)
            ON CONFLICT (tenant_id, usage_id) DO NOTHING
            RETURNING tenant_id, usage_id
            """, logger: logger)
        var result = Set<[String]>()
        for try await (tenant, usage) in inserted.decode((UUID, String).self) { result.insert([tenant.uuidString, usage]) }
        return result
    }

    private func addToCounters(_ rows: [(UsageRecord, Date)], on connection: PostgresConnection) async throws {
        var sums: [CounterKey: Int] = [:]
        for (record, start) in rows { sums[CounterKey(tenantID: record.tenantID, meter: record.meter, periodStart: start), default: 0] += record.quantity }
        guard !sums.isEmpty else { return }
        // A fixed order, so that two transactions never lock the same rows in opposite orders.
        let keys = sums.keys.sorted { ($0.tenantID.uuidString, $0.meter.rawValue, $0.periodStart) < ($1.tenantID.uuidString, $1.meter.rawValue, $1.periodStart) }
        try await connection.query("""
            INSERT INTO usage_counters (tenant_id, meter, period_start, used)
            SELECT * FROM UNNEST(\(keys.map(\.tenantID))::uuid[], \(keys.map(\.meter.rawValue))::text[],
                                 \(keys.map(\.periodStart))::timestamptz[], \(keys.map { sums[$0]! })::int8[])
            ON CONFLICT (tenant_id, meter, period_start) DO UPDATE SET used = usage_counters.used + EXCLUDED.used
            """, logger: logger)
    }

    private func addToDaily(_ records: [UsageRecord], on connection: PostgresConnection) async throws {
        var sums: [[String]: Int] = [:]
        for record in records {
            let day = BillingPeriod.dayString(record.occurredAt)
            sums[[record.tenantID.uuidString, day, record.meter.rawValue, record.subjectType, record.subjectID], default: 0] += record.quantity
        }
        guard !sums.isEmpty else { return }
        let keys = sums.keys.sorted { $0.lexicographicallyPrecedes($1) }
        try await connection.query("""
            INSERT INTO usage_daily (tenant_id, day, meter, subject_type, subject_id, quantity)
            SELECT t::uuid, d::date, m, st, si, q
            FROM UNNEST(\(keys.map { $0[0] })::text[], \(keys.map { $0[1] })::text[], \(keys.map { $0[2] })::text[],
                        \(keys.map { $0[3] })::text[], \(keys.map { $0[4] })::text[], \(keys.map { sums[$0]! })::int8[])
                 AS x(t, d, m, st, si, q)
            ON CONFLICT (tenant_id, day, meter, subject_type, subject_id) DO UPDATE SET quantity = usage_daily.quantity + EXCLUDED.quantity
            """, logger: logger)
    }

    private func counters(_ keys: [CounterKey], on connection: PostgresConnection) async throws -> [(CounterKey, Int)] {
        guard !keys.isEmpty else { return [] }
        let rows = try await connection.query("""
            SELECT c.tenant_id, c.meter, c.period_start, c.used FROM usage_counters c
            JOIN UNNEST(\(keys.map(\.tenantID))::uuid[], \(keys.map(\.meter.rawValue))::text[], \(keys.map(\.periodStart))::timestamptz[])
                 AS k(t, m, p) ON c.tenant_id = k.t AND c.meter = k.m AND c.period_start = k.p
            """, logger: logger)
        var result: [(CounterKey, Int)] = []
        for try await (tenant, meter, start, used) in rows.decode((UUID, String, Date, Int).self) {
            if let meter = Meter(rawValue: meter) { result.append((CounterKey(tenantID: tenant, meter: meter, periodStart: start), used)) }
        }
        return result
    }

    /// Whether `used` is at least `threshold`% of `limit`, in full width: neither product may overflow.
    static func reached(_ threshold: Int, used: Int, limit: Int) -> Bool {
        let lhs = used.multipliedFullWidth(by: 100)
        let rhs = threshold.multipliedFullWidth(by: limit)
        return (lhs.high, lhs.low) >= (rhs.high, rhs.low)
    }

    /// Records each threshold a counter has reached, once per period, and queues a
    /// `QuotaWarning` for each one recorded now.
    private func warn(_ counters: [(CounterValue, limit: Int?, soft: Bool)], on connection: PostgresConnection) async throws {
        let ordered = counters.sorted { a, b in
            (a.0.key.tenantID.uuidString, a.0.key.meter.rawValue, a.0.key.periodStart) < (b.0.key.tenantID.uuidString, b.0.key.meter.rawValue, b.0.key.periodStart)
        }
        for (counter, limit, soft) in ordered {
            guard let limit, limit > 0 else { continue }
            for threshold in Self.thresholds where Self.reached(threshold, used: counter.used, limit: limit) {
                let key = counter.key
                let recorded = try await connection.query("""
                    INSERT INTO quota_warnings (tenant_id, meter, period_start, threshold, used, quota)
                    VALUES (\(key.tenantID), \(key.meter.rawValue), \(key.periodStart), \(threshold), \(counter.used), \(limit))
                    ON CONFLICT DO NOTHING RETURNING threshold
                    """, logger: logger).collect()
                guard !recorded.isEmpty else { continue }
                let event = Cairn_V1_QuotaWarning.make(tenantID: key.tenantID.uuidString.lowercased(), producer: "billing") {
                    $0.kind = key.meter.quotaKind
                    $0.used = Int64(counter.used)
                    $0.limit = Int64(limit)
                    $0.thresholdPercent = UInt32(threshold)
                    $0.periodStart = .init(date: key.periodStart)
                    $0.periodEnd = .init(date: counter.periodEnd)
                    $0.enforced = !soft && counter.used >= limit
                }
                try await Outbox.enqueue(topic: warningsTopic, key: event.partitionKey, payload: EventCodec.encode(event), on: connection, logger: logger)
                logger.info("quota warning", metadata: [
                    "tenant_id": "\(key.tenantID)", "meter": "\(key.meter.rawValue)", "threshold": "\(threshold)", "used": "\(counter.used)",
                ])
            }
        }
    }
}
