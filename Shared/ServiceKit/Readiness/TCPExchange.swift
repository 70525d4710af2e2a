import NIOCore
import NIOPosix

/// One request/response exchange over a fresh TCP connection: connect, write `request`, read
/// until `isComplete` says the reply is whole, close. Enough for protocol-level health probes
/// (Redis `PING`, Kafka `ApiVersions`) without a full client.
enum TCPExchange {
    struct ConnectionClosed: Error, CustomStringConvertible {
        var description: String { "connection closed before a complete reply" }
    }

    static func exchange(
        with endpoint: Endpoint, request: [UInt8], maxReplyBytes: Int = 1 << 20,
        isComplete: @escaping @Sendable (ByteBuffer) -> Bool
    ) async throws -> ByteBuffer {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(1))
            .connect(host: endpoint.host, port: endpoint.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(bytes: request))
            var reply = ByteBuffer()
            for try await chunk in inbound {
                var chunk = chunk
                reply.writeBuffer(&chunk)
                if isComplete(reply) { return reply }
                if reply.readableBytes > maxReplyBytes { break }
            }
            throw ConnectionClosed()
        }
    }
}
