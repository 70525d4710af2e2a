import AsyncHTTPClient
import Foundation
import NIOCore

/// Who a downstream call is made for: the caller's own bearer token (so vector-search and
/// generation authorise and meter the caller, not the orchestrator), the tenant acted on, and
/// the request id to correlate logs.
struct CallerCredentials: Sendable {
    var authorization: String
    var tenant: UUID
    var requestID: String

    /// A JSON `POST` to `url` (with `?tenant_id=` added) carrying the caller's credentials.
    func request(_ url: String, json body: some Encodable) throws -> HTTPClientRequest {
        var request = get(url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        return request
    }

    /// A `GET` of `url` (with `tenant_id` added to its query) carrying the caller's credentials.
    func get(_ url: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url + (url.contains("?") ? "&" : "?") + "tenant_id=" + tenant.uuidString.lowercased())
        request.headers.add(name: "Authorization", value: authorization)
        request.headers.add(name: "X-Request-ID", value: requestID)
        return request
    }
}
