import CairnAuthKit
import Foundation
import HTTPTypes
import ServiceKit

/// What a WebSocket upgrade offers in `Sec-WebSocket-Protocol`. Browsers cannot set headers on
/// a WebSocket, so they send their token as a subprotocol, `cairn.bearer.<token>` (an access
/// token or an API key), beside `cairn.v1`. The gateway selects `cairn.v1`, never the bearer
/// entry: a browser requires one of its offers back, and the token must not come back in a
/// response header. Offering anything without `cairn.v1` is a 400.
struct SocketSubprotocols: Sendable {
    static let header = HTTPField.Name("Sec-WebSocket-Protocol")!
    static let version = "cairn.v1"
    static let bearerPrefix = "cairn.bearer."

    /// The protocol the answer selects; nil when the client offered none.
    var selected: String?
    /// The token of the `cairn.bearer.` entry.
    var token: String?

    init(_ headers: HTTPFields) throws {
        let offered = headers[values: Self.header].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !offered.isEmpty else { return }
        let bearers = offered.filter { $0.hasPrefix(Self.bearerPrefix) }
        guard bearers.count <= 1 else { throw APIError.badRequest("offer at most one cairn.bearer.<token> subprotocol") }
        guard offered.contains(Self.version) else { throw APIError.badRequest("offer the \(Self.version) subprotocol (with cairn.bearer.<token> if the token goes there)") }
        selected = Self.version
        if let bearer = bearers.first {
            let token = String(bearer.dropFirst(Self.bearerPrefix.count))
            guard !token.isEmpty else { throw AuthenticationError("empty cairn.bearer token") }
            self.token = token
        }
    }

    /// The headers to identify the caller by: the request's, with the subprotocol's token as
    /// `Authorization: Bearer` when there is one. A token in two places is a 400, like
    /// `Authorization` beside `X-API-Key`.
    func authenticationHeaders(_ headers: HTTPFields) throws -> HTTPFields {
        guard let token else { return headers }
        guard headers[.authorization] == nil, headers[EdgeAuthenticator.apiKeyHeader] == nil else {
            throw APIError.badRequest("send the credential once: Authorization, X-API-Key or the cairn.bearer subprotocol")
        }
        var fields = headers
        fields[.authorization] = "Bearer \(token)"
        return fields
    }
}
