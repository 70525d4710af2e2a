import CRdKafka
import Dispatch
import Logging
import Metrics
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

/// A consumer-group member that hands messages to an async handler with at-least-once delivery.
///
/// - A message's offset is stored only after its handler returned (or after it went to the
///   DLQ); librdkafka commits stored offsets every second, on rebalance and on close. A crash
///   therefore redelivers what was not yet committed, never skips it: handlers must be idempotent.
/// - A failing handler is retried per ``RetryPolicy``; then the message goes to `<topic>.dlq`
///   with headers naming the error, original topic, partition and offset, and the worker moves on.
///   ``NonRetryableError``s skip the retries. With ``RetryPolicy/untilSuccess(initialBackoff:maxBackoff:)``
///   other errors are retried until they stop or the worker does (the offset then stays
///   unstored): only ``NonRetryableError``s are dead-lettered.
/// - An attempt that outlives ``Configuration/attemptTimeout`` (when set) is abandoned and
///   retried, so a handler hung on the database cannot stop its partition.
/// - Graceful shutdown finishes the message in hand, commits, and leaves the group.
///
/// Blocking librdkafka calls run on a private serial queue, never on Swift's cooperative pool.
public final class KafkaConsumerWorker: Service, Sendable {
    public typealias Handler = @Sendable (KafkaMessage) async throws -> Void
    public typealias BatchHandler = @Sendable ([KafkaMessage]) async throws -> Void

    public struct Configuration: Sendable {
        public var groupID: String
        public var topics: [String]
        public var retry: RetryPolicy
        /// Largest batch given to a batch handler.
        public var maxBatchSize: Int
        /// Longest one handler attempt may take (nil: no limit). A late attempt is abandoned
        /// (cancelled, and not waited for) and counts as a retryable failure: for handlers that
        /// wait on Postgres, where a query the server never answers must not stop the partition
        /// for good. Set it well above the slowest legitimate attempt: an abandoned attempt that
        /// was merely slow goes on beside its retry (harmless to idempotent handlers, but work
        /// done twice), so CPU-bound handlers (the embedding worker) have none.
        public var attemptTimeout: Duration?
        /// The attempt deadline of handlers that wait on Postgres: far above a healthy
        /// transaction, below librdkafka's `max.poll.interval.ms` (300 s).
        public static let databaseAttemptTimeout: Duration = .seconds(120)

        public init(
            groupID: String, topics: [String], retry: RetryPolicy = RetryPolicy(), maxBatchSize: Int = 100,
            attemptTimeout: Duration? = nil
        ) {
            self.groupID = groupID
            self.topics = topics
            self.retry = retry
            self.maxBatchSize = max(1, maxBatchSize)
            self.attemptTimeout = attemptTimeout
        }
    }

    private let handle: KafkaHandle
    /// The consumer's own queue, read in batches (one lock round per batch, not per message).
    private let consumerQueue: KafkaHandle
    private let queue: DispatchQueue
    private let configuration: Configuration
    private let handler: BatchHandler
    private let batched: Bool
    private let dlq: KafkaProducer
    private let logger: Logger
    private let stopRequested = NIOLockedValueBox(false)

    /// One message at a time.
    public convenience init(
        settings: KafkaSettings, configuration: Configuration, dlq: KafkaProducer, logger: Logger, handler: @escaping Handler
    ) throws(KafkaError) {
        try self.init(settings: settings, configuration: configuration, dlq: dlq, logger: logger, batched: false) { batch in
            for message in batch { try await handler(message) }
        }
    }

    /// Batches of up to `maxBatchSize` for throughput. A batch that keeps failing is handled
    /// again message by message, so only the bad messages reach the DLQ.
    public convenience init(
        settings: KafkaSettings, configuration: Configuration, dlq: KafkaProducer, logger: Logger,
        batchHandler: @escaping BatchHandler
    ) throws(KafkaError) {
        try self.init(settings: settings, configuration: configuration, dlq: dlq, logger: logger, batched: true, handler: batchHandler)
    }

    private init(
        settings: KafkaSettings, configuration: Configuration, dlq: KafkaProducer, logger: Logger, batched: Bool,
        handler: @escaping BatchHandler
    ) throws(KafkaError) {
        let conf = try KafkaConfiguration.make(settings: settings, defaults: [
            "group.id": configuration.groupID,
            "client.id": "cairn-\(configuration.groupID)",
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": "1000",
            "enable.auto.offset.store": "false",
            "auto.offset.reset": "earliest",
            "enable.partition.eof": "false",
            "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "1000",
            "socket.connection.setup.timeout.ms": "5000",
        ])
        handle = KafkaHandle(pointer: try KafkaConfiguration.client(type: RD_KAFKA_CONSUMER, conf: conf))
        rd_kafka_poll_set_consumer(handle.pointer)
        consumerQueue = KafkaHandle(pointer: rd_kafka_queue_get_consumer(handle.pointer))
        queue = DispatchQueue(label: "cairn.kafka.consumer.\(configuration.groupID)")
        self.configuration = configuration
        self.handler = handler
        self.batched = batched
        self.dlq = dlq
        var logger = logger
        logger[metadataKey: "consumer_group"] = "\(configuration.groupID)"
        self.logger = logger
    }

    /// Stops after the message in hand, as graceful shutdown does (for use outside a ServiceGroup).
    public func stop() {
        stopRequested.withLockedValue { $0 = true }
    }

    private var shouldStop: Bool {
        Task.isShuttingDownGracefully || Task.isCancelled || stopRequested.withLockedValue { $0 }
    }

    public func run() async throws {
        try subscribe()
        logger.info("consumer started", metadata: ["topics": "\(configuration.topics.joined(separator: ","))"])
        while !shouldStop {
            let batch = await poll(max: batched ? configuration.maxBatchSize : 1)
            guard !batch.isEmpty else { continue }
            await process(batch)
        }
        await blocking { [handle, consumerQueue] in
            rd_kafka_queue_destroy(consumerQueue.pointer)
            _ = rd_kafka_commit(handle.pointer, nil, 0)
            rd_kafka_consumer_close(handle.pointer)
            rd_kafka_destroy(handle.pointer)
        }
        logger.info("consumer stopped")
    }

    private func subscribe() throws(KafkaError) {
        let list = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let code = rd_kafka_subscribe(handle.pointer, list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code) }
    }

    /// Up to `max` messages: what is already queued, or else the first to arrive within 100 ms
    /// plus whatever queued meanwhile. Never waits to fill a batch.
    private func poll(max: Int) async -> [KafkaMessage] {
        await blocking { [handle, consumerQueue, logger] in
            var batch: [KafkaMessage] = []
            batch.reserveCapacity(max)
            var lastTopic: (handle: OpaquePointer?, name: String?) = (nil, nil)
            func take(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
                defer { rd_kafka_message_destroy(message) }
                guard message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    logger.warning("kafka consumer error", metadata: ["error": "\(KafkaError(message.pointee.err))"])
                    return
                }
                let copied = KafkaMessage(copying: message, topic: lastTopic.handle == message.pointee.rkt ? lastTopic.name : nil)
                lastTopic = (message.pointee.rkt, copied.topic)
                batch.append(copied)
            }
            func drain() {
                withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<rd_kafka_message_t>?.self, capacity: max - batch.count) { buffer in
                    let count = rd_kafka_consume_batch_queue(consumerQueue.pointer, 0, buffer.baseAddress, buffer.count)
                    for index in 0..<Swift.max(0, count) { if let message = buffer[index] { take(message) } }
                }
            }
            drain()
            if batch.isEmpty, let first = rd_kafka_consumer_poll(handle.pointer, 100) {
                take(first)
                if batch.count < max { drain() }
            }
            return batch
        }
    }

    /// Handles a batch; false when the worker is stopping with part of it neither handled nor
    /// dead-lettered (nothing after that may be stored, or the unhandled message would be skipped).
    @discardableResult
    private func process(_ batch: [KafkaMessage]) async -> Bool {
        let error: any Error
        switch await attempt(batch) {
        case .succeeded:
            record(batch, outcome: "processed")
            storeOffsets(batch)
            return true
        case .interrupted:
            logger.warning("stopping while a handler still fails; its messages stay unstored and are redelivered", metadata: ["size": "\(batch.count)"])
            return false
        case .failed(let failure):
            error = failure
        }
        guard batch.count > 1 else {
            guard await deadLetter(batch[0], error: error) else { return false }
            storeOffsets(batch)
            return true
        }
        logger.warning("batch failed; handling its messages one by one", metadata: ["error": "\(error)", "size": "\(batch.count)"])
        for message in batch {
            guard await process([message]) else { return false }
        }
        return true
    }

    private enum Attempt {
        case succeeded
        /// Every attempt allowed failed (or the error is not retryable): dead-letter or split.
        case failed(any Error)
        /// The worker is stopping while a retryable error persists: store nothing.
        case interrupted
    }

    /// Runs the handler with retries per ``RetryPolicy``.
    private func attempt(_ batch: [KafkaMessage]) async -> Attempt {
        var attempt = 1
        while true {
            do {
                if let limit = configuration.attemptTimeout {
                    try await withHardTimeout(limit) { [handler] in try await handler(batch) }
                } else {
                    try await handler(batch)
                }
                return .succeeded
            } catch {
                if error is any NonRetryableError { return .failed(error) }
                if configuration.retry.retriesUntilSuccess {
                    // Stopping (gracefully, or cancelled outright): never spin on a failing handler.
                    if shouldStop || Task.isCancelled { return .interrupted }
                } else if attempt >= configuration.retry.maxAttempts || shouldStop && attempt > 1 {
                    return .failed(error)
                }
                record(batch, outcome: "retried")
                logger.log(level: attempt < 3 ? .info : .warning, "handler failed; retrying", metadata: [
                    "error": "\(String(reflecting: error))", "attempt": "\(attempt)",
                ])
                // A graceful shutdown cuts the wait short.
                let backoff = configuration.retry.backoff(afterAttempt: attempt)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: backoff) }
                attempt += 1
            }
        }
    }

    /// Sends `message` to `<topic>.dlq` and says whether it got there. If sending fails the
    /// worker keeps trying (losing the message would be worse than stalling) until the producer
    /// is closed; then the offset stays unstored and the message is redelivered later.
    private func deadLetter(_ message: KafkaMessage, error: any Error) async -> Bool {
        record([message], outcome: "failed")
        let headers = message.headers + [
            KafkaHeader(name: "cairn-dlq-error", string: String(describing: error)),
            KafkaHeader(name: "cairn-dlq-error-type", string: String(reflecting: type(of: error))),
            KafkaHeader(name: "cairn-dlq-topic", string: message.topic),
            KafkaHeader(name: "cairn-dlq-partition", string: "\(message.partition)"),
            KafkaHeader(name: "cairn-dlq-offset", string: "\(message.offset)"),
            KafkaHeader(name: "cairn-dlq-group", string: configuration.groupID),
        ]
        let record = KafkaRecord(topic: Self.dlqTopic(for: message.topic), keyBytes: message.key, value: message.value, headers: headers)
        var backoff = Duration.milliseconds(200)
        while true {
            do {
                try await dlq.send(record)
                self.record([message], outcome: "dead_lettered")
                logger.error("message sent to DLQ", metadata: [
                    "topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)",
                    "error": "\(error)",
                ])
                return true
            } catch {
                logger.error("DLQ send failed; retrying", metadata: ["error": "\(error)"])
                if case .closed = error { return false }
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(10))
            }
        }
    }

    /// The dead-letter topic of `topic`.
    public static func dlqTopic(for topic: String) -> String { "\(topic).dlq" }

    /// Marks the batch's messages done: the next offset of each partition, committed later.
    private func storeOffsets(_ batch: [KafkaMessage]) {
        var next: [String: [Int32: Int64]] = [:]
        for message in batch { next[message.topic, default: [:]][message.partition] = message.offset + 1 }
        let list = rd_kafka_topic_partition_list_new(Int32(batch.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for (topic, partitions) in next {
            for (partition, offset) in partitions {
                rd_kafka_topic_partition_list_add(list, topic, partition)?.pointee.offset = offset
                updateLag(topic: topic, partition: partition, next: offset)
            }
        }
        let code = rd_kafka_offsets_store(handle.pointer, list)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            // Typically the partition was revoked meanwhile: its new owner redelivers.
            logger.warning("could not store offsets", metadata: ["error": "\(KafkaError(code))"])
        }
    }

    private func updateLag(topic: String, partition: Int32, next: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        if rd_kafka_get_watermark_offsets(handle.pointer, topic, partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 {
            Gauge(label: "kafka_consumer_lag", dimensions: [("topic", topic), ("partition", "\(partition)")]).record(max(0, high - next))
        }
    }

    /// One counter update per topic per batch: a registry lookup per message would cost more
    /// than the handling of small messages.
    private func record(_ batch: [KafkaMessage], outcome: String) {
        var counts: [String: Int] = [:]
        for message in batch { counts[message.topic, default: 0] += 1 }
        for (topic, count) in counts {
            Counter(label: "kafka_consumer_messages_total", dimensions: [("topic", topic), ("outcome", outcome)]).increment(by: count)
        }
    }

    private func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
