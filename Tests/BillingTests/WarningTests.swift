@testable import BillingApp
import CairnEvents
import CairnProtos
import CairnTesting
import Foundation
import Testing

/// Quota warnings: one per threshold per period, however the usage arrives.
@Suite struct WarningTests {
    @Test func eachThresholdIsPublishedOncePerPeriod() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let first = (0..<79).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) }
            try await harness.publish(first)
            try await harness.awaitLedger(tenant, rows: 79)
            try await harness.publish([BillingHarness.usage(tenant: tenant, kind: .chatMessage)])
            try await harness.awaitLedger(tenant, rows: 80)
            // Past the limit, in several batches, with everything so far sent again.
            for _ in 0..<3 { try await harness.publish((0..<10).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) }) }
            try await harness.publish(first)
            try await harness.awaitLedger(tenant, rows: 110)

            let drained = await eventually(within: .seconds(30)) {
                (try? await harness.withDatabase { try await $0.query("SELECT 1 FROM outbox").collect().isEmpty }) == true
            }
            #expect(drained, "the relay published the outbox")
            let key = tenant.uuidString.lowercased()
            // Read until a third warning would have arrived (there must be none): 20 s covers the
            // group join and the whole topic.
            let messages = try await TopicReader.read(harness.warningsTopic, within: .seconds(20), keep: { $0.key == Array(key.utf8) }) { $0.count >= 3 }
            let recorded = try await harness.withDatabase { client in
                try await client.query("SELECT count(*)::int8 FROM quota_warnings WHERE tenant_id = \(tenant)").decode(Int.self).reduce(0, +)
            }
            #expect(recorded == 2)
            let warnings = try messages.map { try EventCodec.decode(Cairn_V1_QuotaWarning.self, from: $0.value) }
            #expect(warnings.map(\.thresholdPercent).sorted() == [80, 100], "\(warnings)")
            #expect(warnings.allSatisfy { $0.kind == .messages && $0.limit == 100 && $0.meta.tenantID == key })
            let exhausted = try #require(warnings.first { $0.thresholdPercent == 100 })
            #expect(exhausted.enforced && exhausted.used >= 100)
            let warning80 = try #require(warnings.first { $0.thresholdPercent == 80 })
            #expect(!warning80.enforced && warning80.used == 80)
            let period = BillingPeriod.month(containing: Date(), anchor: BillingPeriod.calendarAnchor)
            #expect(exhausted.periodStart.date == period.start && exhausted.periodEnd.date == period.end)
        }
    }
}
