import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls another Cairn service with this service's own token (client credentials): JSON in,
/// status and body out. A 401 renews the token once and retries, so a rotated signing key or an
/// expired token costs one extra round trip, not a failure.
public struct ServiceCaller: Sendable {
    public struct Reply: Sendable {
        public var status: UInt
        public var body: ByteBuffer

        public func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: body)
        }
    }

    /// Larger answers are refused (internal answers are small JSON documents).
    public static let maximumReplyBytes = 1 << 20

    public let tokens: ServiceTokenProvider
    public let http: HTTPClient

    public init(tokens: ServiceTokenProvider, http: HTTPClient = .shared) {
        self.tokens = tokens
        self.http = http
    }

    public func call(_ method: HTTPMethod, _ url: String, json body: (any Encodable & Sendable)? = nil, timeout: Duration) async throws -> Reply {
        var reply = try await attempt(method, url, body: body, timeout: timeout)
        if reply.status == 401 {
            await tokens.invalidate()
            reply = try await attempt(method, url, body: body, timeout: timeout)
        }
        return reply
    }

    private func attempt(_ method: HTTPMethod, _ url: String, body: (any Encodable & Sendable)?, timeout: Duration) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(try await tokens.token())")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        }
        let response = try await http.execute(request, timeout: TimeAmount(timeout))
        return Reply(status: response.status.code, body: try await response.body.collect(upTo: Self.maximumReplyBytes))
    }
}
