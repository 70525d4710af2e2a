import CairnBillingAPI
import Foundation
import Logging
import PostgresNIO

/// Reports read from the counters (tenant totals) and the daily roll-ups (per user, history).
struct UsageReports: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Longest history one request may ask for.
    static let maxHistoryDays = 366

    /// One meter's use in its current period.
    struct Line: Encodable, Sendable, Equatable {
        var resource: String
        var used: Int
        /// The plan's limit (-1 unlimited); absent where the plan sets none.
        var limit: Int?
        var periodStart: Date?
        var periodEnd: Date?

        enum CodingKeys: String, CodingKey {
            case resource, used, limit
            case periodStart = "period_start"
            case periodEnd = "period_end"
        }
    }

    /// One day's use of one meter (by one subject, when grouped by user).
    struct Point: Encodable, Sendable, Equatable {
        var date: String
        var resource: String
        var subjectType: String?
        var subjectID: String?
        var quantity: Int

        enum CodingKeys: String, CodingKey {
            case date, resource, quantity
            case subjectType = "subject_type"
            case subjectID = "user_id"
        }
    }

    /// Every meter in its current period: the tenant's counters, or only `subjectID`'s use.
    func current(tenantID: UUID, billing: TenantBilling, at date: Date, subjectID: String?) async throws -> [Line] {
        let periods = Dictionary(uniqueKeysWithValues: Meter.allCases.map { ($0, $0.period(containing: date, anchor: billing.anchor)) })
        var used: [Meter: Int] = [:]
        if let subjectID {
            let since = BillingPeriod.dayString(periods.values.map(\.start).filter { $0 > BillingPeriod.lifetime.start }.min() ?? date)
            let rows = try await client.query("""
                SELECT meter, day::text, sum(quantity)::int8 FROM usage_daily
                WHERE tenant_id = \(tenantID) AND subject_id = \(subjectID) AND (day >= \(since)::date OR meter IN ('documents', 'storage_bytes'))
                GROUP BY meter, day
                """, logger: logger)
            for try await (name, day, quantity) in rows.decode((String, String, Int).self) {
                guard let meter = Meter(rawValue: name), let start = BillingPeriod.day(parsing: day), start >= periods[meter]!.start, start < periods[meter]!.end else { continue }
                used[meter, default: 0] += quantity
            }
        } else {
            let rows = try await client.query("""
                SELECT meter, period_start, used FROM usage_counters WHERE tenant_id = \(tenantID) AND period_start = ANY(\(Array(Set(periods.values.map(\.start)))))
                """, logger: logger)
            for try await (name, start, quantity) in rows.decode((String, Date, Int).self) {
                guard let meter = Meter(rawValue: name), periods[meter]!.start == start else { continue }
                used[meter] = quantity
            }
        }
        return Meter.allCases.map { meter in
            let period = periods[meter]!
            return Line(resource: meter.rawValue, used: used[meter] ?? 0, limit: meter.limit(in: billing.plan),
                        periodStart: meter.reset == .never ? nil : period.start, periodEnd: meter.reset == .never ? nil : period.end)
        }
    }

    /// Daily use between two days (inclusive), per meter, and per subject when `byUser`.
    func history(tenantID: UUID, from: String, to: String, meter: Meter?, subjectID: String?, byUser: Bool) async throws -> [Point] {
        let rows = try await client.query("""
            SELECT day::text, meter, subject_type, subject_id, quantity FROM usage_daily
            WHERE tenant_id = \(tenantID) AND day BETWEEN \(from)::date AND \(to)::date
              AND (\(meter?.rawValue ?? "") = '' OR meter = \(meter?.rawValue ?? ""))
              AND (\(subjectID ?? "") = '' OR subject_id = \(subjectID ?? ""))
            ORDER BY day, meter, subject_type, subject_id
            """, logger: logger)
        var points: [Point] = []
        for try await (day, meter, subjectType, subject, quantity) in rows.decode((String, String, String, String, Int).self) {
            let point = Point(date: day, resource: meter, subjectType: byUser ? subjectType : nil, subjectID: byUser ? subject : nil, quantity: quantity)
            if !byUser, let last = points.last, last.date == day, last.resource == meter {
                points[points.count - 1].quantity += quantity
            } else {
                points.append(point)
            }
        }
        return points
    }
}
