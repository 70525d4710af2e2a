import CairnEvents
import CairnKafka
import CairnProtos
import Logging
import Metrics

/// The `cairn.usage.v1` consumer's handler: decode and check each event (one that can never
/// be applied is a poison message: the worker sends it to the DLQ with the reason), apply the
/// batch to the ledger in one transaction, then copy the committed counters to Redis. The
/// offsets are stored only after the handler returns, so a crash before the commit
/// redelivers the batch and the ledger's key absorbs it; a crash after the commit but before
/// the Redis write is healed by the redelivery too (its counters are written again).
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
            let outcome = try await ledger.apply(records)
            applied.increment(by: outcome.applied)
            duplicates.increment(by: outcome.duplicates)
            await cache.mirror(outcome.counters)
        }
    }
}
