import AsyncHTTPClient
import Foundation
import JWTKit
import NIOCore

/// Auth's `/.well-known/jwks.json`, fetched over HTTP.
public struct HTTPPublicKeySource: PublicKeySource {
    /// A JWKS larger than this is refused (it holds a handful of 32-byte keys).
    static let maximumBytes = 64 * 1024

    public struct FetchFailed: Error, CustomStringConvertible {
        public var status: UInt
        public var description: String { "JWKS fetch answered HTTP \(status)" }
    }

    private let url: String
    private let client: HTTPClient
    private let timeout: Duration

    public init(url: String, client: HTTPClient = .shared, timeout: Duration = .seconds(5)) {
        self.url = url
        self.client = client
        self.timeout = timeout
    }

    public func publicKeys() async throws -> JWKS {
        // TimeAmount(_:) keeps the sub-second part; whole seconds alone made a timeout under a
        // second zero, so every fetch failed at once.
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: TimeAmount(timeout))
        guard response.status == .ok else { throw FetchFailed(status: response.status.code) }
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return try JSONDecoder().decode(JWKS.self, from: body)
    }
}
