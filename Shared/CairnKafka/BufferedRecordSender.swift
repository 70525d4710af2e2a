import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Sends records in the background so a request does not wait for the broker's
/// acknowledgement: records queue here and are sent every `interval`; a failed send is kept
/// and tried again; graceful shutdown sends what is left. A crash loses at most the last
/// `interval` of records: for metering that the caller accepts as best-effort-but-retried
/// (API usage), not for anything a consumer offset depends on. Run it as a `Service` after the
/// producer in the group (so it stops first).
public final class BufferedRecordSender: Service, Sendable {
    private let producer: KafkaProducer
    private let logger: Logger
    private let interval: Duration
    private let capacity: Int
    private let pending = Mutex<[KafkaRecord]>([])
    private let dropped: Counter

    /// `name` labels the dropped-records counter (`kafka_buffered_records_dropped_total{sender}`).
    public init(producer: KafkaProducer, name: String, logger: Logger, interval: Duration = .milliseconds(100), capacity: Int = 100_000) {
        self.producer = producer
        self.logger = logger
        self.interval = interval
        self.capacity = capacity
        self.dropped = Counter(label: "kafka_buffered_records_dropped_total", dimensions: [("sender", name)])
    }

    /// Queues `records`; beyond the capacity (a long broker outage) the oldest are dropped and counted.
    public func enqueue(_ records: [KafkaRecord]) {
        let overflow = pending.withLock { pending in
            pending.append(contentsOf: records)
            let overflow = max(0, pending.count - capacity)
            pending.removeFirst(overflow)
            return overflow
        }
        if overflow > 0 {
            dropped.increment(by: overflow)
            logger.error("records dropped: the broker has been unreachable too long", metadata: ["dropped": "\(overflow)"])
        }
    }

    /// Records waiting to be sent.
    public var backlog: Int { pending.withLock { $0.count } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            await flush()
        }
        await flush()
        let left = backlog
        if left > 0 { logger.error("records unsent at shutdown", metadata: ["records": "\(left)"]) }
    }

    private func flush() async {
        let batch = pending.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
        guard !batch.isEmpty else { return }
        let results: [Result<DeliveryReport, KafkaError>]
        do {
            results = try await producer.send(batch)
        } catch {
            results = batch.map { _ in .failure(error) }
        }
        let failed = zip(batch, results).compactMap { record, result in
            if case .failure = result { record } else { nil }
        }
        guard !failed.isEmpty else { return }
        logger.warning("records not acknowledged; retrying", metadata: ["records": "\(failed.count)"])
        pending.withLock { $0.insert(contentsOf: failed, at: 0) }
    }
}
