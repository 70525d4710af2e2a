import AsyncHTTPClient
import Foundation
import NIOCore

/// A service token from auth's client-credentials exchange (`POST /v1/auth/service-token`),
/// fetched when first needed and again shortly before it expires. Concurrent callers share one
/// fetch.
public actor ServiceTokenProvider {
    public struct ExchangeFailed: Error, CustomStringConvertible {
        public var status: UInt
        public var description: String { "service-token exchange answered HTTP \(status)" }
    }

    private struct Answer: Decodable {
        var accessToken: String
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case expiresIn = "expires_in"
        }
    }

    /// A token is replaced this long before it expires.
    static let renewalMargin: Duration = .seconds(30)

    private let settings: AuthClientSettings
    private let client: HTTPClient
    private var current: (token: String, renewAt: ContinuousClock.Instant)?
    private var inFlight: Task<String, any Error>?

    public init(settings: AuthClientSettings, client: HTTPClient = .shared) {
        self.settings = settings
        self.client = client
    }

    /// A valid token; throws when auth refuses the credentials or cannot be reached.
    public func token() async throws -> String {
        if let current, ContinuousClock.now < current.renewAt { return current.token }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        return try await task.value
    }

    /// Forgets the token (after a 401 from the service it was sent to).
    public func invalidate() {
        current = nil
    }

    private func fetch() async throws -> String {
        var request = HTTPClientRequest(url: settings.baseURL + "/v1/auth/service-token")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONSerialization.data(withJSONObject: ["client_id": settings.clientID, "client_secret": settings.clientSecret])
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(5))
        guard response.status == .ok else { throw ExchangeFailed(status: response.status.code) }
        let answer = try JSONDecoder().decode(Answer.self, from: try await response.body.collect(upTo: 64 * 1024))
        let lifetime = max(Duration.seconds(answer.expiresIn) - Self.renewalMargin, .seconds(1))
        current = (answer.accessToken, ContinuousClock.now + lifetime)
        return answer.accessToken
    }
}
