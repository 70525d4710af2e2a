import CairnEvents
import CairnKafka
import CairnPostgres
import CairnProtos
import Logging
import Metrics
import PostgresNIO

/// The `cairn.usage.v1` consumer's handler: decode and check each event (one that can never
/// be applied is a poison message: the worker sends it to the DLQ with the reason), apply the
/// batch to the ledger in one transaction, then copy the committed counters to Redis. The
/// offsets are stored only after the handler returns, so a crash before the commit
/// redelivers the batch and the ledger's key absorbs it; a crash after the commit but before
/// the Redis write is healed by the redelivery too (its counters are written again).
///
/// Only the event's own fault is poison: an undecodable or invalid event, or values Postgres
/// refuses (SQLSTATE class 22/23; the worker retries a refused batch message by message, so
/// only the bad one is dead-lettered). Any other failure (Postgres down, a deadlock) is
/// transient: the worker retries it until it succeeds (``RetryPolicy/untilSuccess(initialBackoff:maxBackoff:)``).
enum UsageConsumer {
    static func handler(ledger: UsageLedger, cache: QuotaCache, logger: Logger) -> KafkaConsumerWorker.BatchHandler {
        let applied = Counter(label: "billing_usage_events_total", dimensions: [("outcome", "applied")])
        let duplicates = Counter(label: "billing_usage_events_total", dimensions: [("outcome", "duplicate")])
        return { messages in
            var records: [UsageRecord] = []
            records.reserveCapacity(messages.count)
            for message in messages {
                do {
                    records.append(try UsageRecord(EventCodec.decode(Cairn_V1_UsageRecorded.self, from: message.value)))
                } catch {
                    throw PoisonMessage("\(error)")
                }
            }
            let outcome: UsageLedger.Outcome
            do {
                outcome = try await ledger.apply(records)
            } catch let error as PSQLError where error.rejectsData {
                throw PoisonMessage("Postgres refused the event: \(error.serverSummary)")
            }
            applied.increment(by: outcome.applied)
            duplicates.increment(by: outcome.duplicates)
            await cache.mirror(outcome.counters)
        }
    }
}
