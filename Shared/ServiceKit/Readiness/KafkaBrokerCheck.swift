import NIOCore

/// Readiness of Kafka: some bootstrap broker answers a Kafka `ApiVersions` (v0) request with
/// error code 0. A TCP connect alone would accept a broker that is up but not serving.
public struct KafkaBrokerCheck: ReadinessCheck {
    public let name = "kafka"
    public let settings: KafkaSettings

    public init(settings: KafkaSettings) {
        self.settings = settings
    }

    struct BrokerError: Error, CustomStringConvertible {
        var description: String
    }

    public func check() async throws {
        var lastError: any Error = BrokerError(description: "no brokers configured")
        for broker in settings.brokers {
            do {
                try await Self.apiVersions(broker)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    static let correlationID: Int32 = 0x0CA1_2000

    static func apiVersions(_ broker: Endpoint) async throws {
        // Request header v1: api_key=18 (ApiVersions), api_version=0, correlation_id, client_id.
        var body = ByteBuffer()
        body.writeInteger(Int16(18))
        body.writeInteger(Int16(0))
        body.writeInteger(correlationID)
        let clientID = "cairn-ready"
        body.writeInteger(Int16(clientID.utf8.count))
        body.writeString(clientID)
        var request = ByteBuffer()
        request.writeInteger(Int32(body.readableBytes))
        request.writeBuffer(&body)

        var reply = try await TCPExchange.exchange(
            with: broker, request: Array(request.readableBytesView),
            isComplete: { buffer in
                guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return false }
                return buffer.readableBytes >= 4 + Int(size)
            }
        )
        guard let _ = reply.readInteger(as: Int32.self), let correlation = reply.readInteger(as: Int32.self),
              let errorCode = reply.readInteger(as: Int16.self)
        else { throw BrokerError(description: "short ApiVersions reply") }
        guard correlation == correlationID else { throw BrokerError(description: "mismatched correlation id") }
        guard errorCode == 0 else { throw BrokerError(description: "ApiVersions error code \(errorCode)") }
    }
}
