@testable import BillingApp
import CairnEvents
import CairnKafka
import CairnProtos
import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// What goes to the usage DLQ (the event's own fault, as the README lists it) and what never
/// does (a transient failure is retried until it succeeds).
@Suite struct UsageValidationTests {
    static func dlqReasons(_ harness: BillingHarness, count: Int) async throws -> [String] {
        let dead = try await TopicReader.read(harness.usageTopic + ".dlq") { $0.count >= count }
        return dead.compactMap { $0.header("cairn-dlq-error").map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func eventsThatWouldOverflowOrTrapGoToTheDLQAndLaterEventsAreApplied() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let huge = BillingHarness.usage(tenant: tenant, kind: .chatMessage, quantity: .max)
            let hugeBytes = BillingHarness.usage(tenant: tenant, kind: .documentBytes, quantity: (1 << 40) + 1)
            let ancient = BillingHarness.usage(tenant: tenant, kind: .chatMessage, at: Date().addingTimeInterval(-401 * 86_400))
            var farFuture = BillingHarness.usage(tenant: tenant, kind: .chatMessage)
            farFuture.meta.occurredAt.seconds = 253_402_300_799 * 1_000  // far beyond year 9999
            let nul = BillingHarness.usage(tenant: tenant, kind: .chatMessage, subject: "user\u{0}1")
            var nulAttribute = BillingHarness.usage(tenant: tenant, kind: .chatMessage)
            nulAttribute.attributes = ["model\u{0}": "x"]
            let good = (0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage, quantity: 2) }
            // One storage event at the cap is fine, and so is a batch of them.
            let atCap = (0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .documentBytes, quantity: 1 << 40) }
            try await harness.publish([huge, hugeBytes, ancient, farFuture, nul, nulAttribute] + good + atCap)

            try await harness.awaitLedger(tenant, rows: 6)
            #expect(try await harness.ledger(tenant).total == 6 + 3 << 40)
            let reasons = try await Self.dlqReasons(harness, count: 6)
            #expect(reasons.count == 6, "\(reasons)")
            #expect(reasons.filter { $0.contains("quantity") && $0.contains("is above") }.count == 2, "\(reasons)")
            #expect(reasons.filter { $0.contains("occurred_at") }.count == 2, "\(reasons)")
            #expect(reasons.filter { $0.contains("NUL") }.count == 2, "\(reasons)")
            // The consumer still runs: later events are applied.
            try await harness.publish([BillingHarness.usage(tenant: tenant, kind: .chatMessage)])
            try await harness.awaitLedger(tenant, rows: 7)
        }
    }

    @Test func aPostgresFailureIsRetriedUntilItClearsAndNothingIsDeadLettered() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            // A table the transaction writes goes missing (SQLSTATE 42P01): not the events' fault.
            try await harness.withDatabase { try await $0.query("ALTER TABLE usage_daily RENAME TO usage_daily_away") }
            try await harness.publish((0..<5).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) })
            // Well past the three attempts after which the worker used to dead-letter.
            try await Task.sleep(for: .seconds(3))
            #expect(try await harness.ledger(tenant).rows == 0)
            try await harness.withDatabase { try await $0.query("ALTER TABLE usage_daily_away RENAME TO usage_daily") }
            try await harness.awaitLedger(tenant, rows: 5)

            // Only a sentinel is in the DLQ.
            let sentinel = BillingHarness.usage(tenant: tenant, kind: .UNRECOGNIZED(77))
            try await harness.publish([sentinel])
            let reasons = try await Self.dlqReasons(harness, count: 1)
            #expect(reasons.count == 1 && reasons[0].contains("usage kind 77"), "\(reasons)")
        }
    }

    @Test func thresholdAndQuotaArithmeticCannotOverflow() {
        #expect(UsageLedger.reached(80, used: .max, limit: .max))
        #expect(!UsageLedger.reached(100, used: .max - 1, limit: .max))
        #expect(UsageLedger.reached(80, used: 80, limit: 100) && !UsageLedger.reached(80, used: 79, limit: 100))
        #expect(!QuotaService.fits(.max, used: 1, limit: .max))
        #expect(QuotaService.fits(1, used: .max - 1, limit: .max))
    }
}
