import CRdKafka
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

/// A record to produce.
public struct KafkaRecord: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]

    public init(topic: String, keyBytes key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(topic: String, key: String?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.init(topic: topic, keyBytes: key.map { Array($0.utf8) }, value: value, headers: headers)
    }
}

/// Where the broker stored a record.
public struct DeliveryReport: Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
}

/// An idempotent producer (`acks=all`, `enable.idempotence=true`, lz4 compression).
///
/// ``send(_:)`` returns once the broker has acknowledged the record, or throws ``KafkaError``:
/// the delivery report from librdkafka's callback resumes the caller's continuation.
/// A dedicated thread serves those callbacks. Run it as a `Service` (or call ``close()``):
/// on shutdown it flushes for up to `flushTimeout`, then fails what is still in flight, so a
/// shutdown never hangs on a broker that is away. In a `ServiceGroup`, list it before the
/// services that send through it: the group stops services in reverse order.
///
/// When librdkafka declares the client fatally failed (an idempotent producer whose producer
/// id or sequence the broker no longer knows, e.g. after a broker lost its state), the next
/// send replaces it with a fresh client: senders see the failure once, then sending works again.
public final class KafkaProducer: Service, Sendable {
    private let makeClient: @Sendable () throws(KafkaError) -> ProducerClient
    private let logger: Logger
    private let state: NIOLockedValueBox<State>

    private enum State {
        case open(ProducerClient)
        case closed
    }

    /// How long ``close()`` waits for in-flight records before failing them.
    public let flushTimeout: Duration

    public init(settings: KafkaSettings, clientID: String, logger: Logger, flushTimeout: Duration = .seconds(10)) throws(KafkaError) {
        let defaults = [
            "client.id": clientID,
            "acks": "all",
            "enable.idempotence": "true",
            "compression.codec": "lz4",
            "linger.ms": "5",
            "message.timeout.ms": "30000",
            "socket.connection.setup.timeout.ms": "5000",
        ]
        makeClient = { () throws(KafkaError) in
            try ProducerClient(conf: try KafkaConfiguration.make(settings: settings, defaults: defaults))
        }
        state = NIOLockedValueBox(.open(try makeClient()))
        self.logger = logger
        self.flushTimeout = flushTimeout
    }

    /// Produces `record` and waits for the broker's acknowledgement.
    @discardableResult
    public func send(_ record: KafkaRecord) async throws(KafkaError) -> DeliveryReport {
        try await send([record])[0].get()
    }

    /// Produces `records` and waits until the broker acknowledged (or failed) each of them:
    /// one result per record, in order. Cheaper per record than one `send` each, since a
    /// whole batch shares one continuation.
    public func send(_ records: [KafkaRecord]) async throws(KafkaError) -> [Result<DeliveryReport, KafkaError>] {
        guard case .open(let client) = state.withLockedValue({ $0 }) else { throw .closed }
        guard !records.isEmpty else { return [] }
        let results = await client.send(records)
        if results.contains(where: { (try? $0.get()) == nil }), let fatal = client.fatalError {
            replace(client, after: fatal)
        }
        return results
    }

    /// Swaps in a new client for `failed` (once, however many senders saw the failure) and
    /// closes `failed` in the background.
    private func replace(_ failed: ProducerClient, after fatal: KafkaError) {
        let replaced: Bool = state.withLockedValue { state in
            guard case .open(let current) = state, current === failed else { return false }
            do {
                state = .open(try makeClient())
                return true
            } catch {
                logger.error("kafka producer could not be recreated", metadata: ["error": "\(error)"])
                return false
            }
        }
        guard replaced else { return }
        logger.warning("kafka producer failed fatally; replaced with a new one", metadata: ["error": "\(fatal)"])
        Thread.detachNewThread { failed.close(flushTimeout: .zero) }
    }

    /// Puts the current client in librdkafka's fatal state, as a broker that forgot this
    /// producer's id would. For tests of the recovery; never called by a service.
    public func triggerFatalErrorForTesting() {
        guard case .open(let client) = state.withLockedValue({ $0 }) else { return }
        client.triggerFatalError()
    }

    /// Waits until every queued record is acknowledged (or failed), up to `timeout`.
    public func flush(timeout: Duration = .seconds(30)) throws(KafkaError) {
        guard case .open(let client) = state.withLockedValue({ $0 }) else { return }
        try client.flush(timeout: timeout)
    }

    /// Runs until graceful shutdown, then flushes and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }

    /// Flushes what is in flight (failing what is left after `flushTimeout`), stops the callback
    /// thread and frees the client. Idempotent.
    public func close() {
        let client: ProducerClient? = state.withLockedValue { state in
            defer { state = .closed }
            guard case .open(let client) = state else { return nil }
            return client
        }
        guard let client else { return }
        let stuck = client.close(flushTimeout: flushTimeout)
        if stuck > 0 {
            logger.error("kafka producer closed with undelivered records; their senders were told", metadata: ["records": "\(stuck)"])
        }
    }

    deinit { close() }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
