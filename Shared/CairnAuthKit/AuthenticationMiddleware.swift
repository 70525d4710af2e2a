import Hummingbird
import ServiceKit

/// A request context that carries the caller's identity once authenticated.
public protocol AuthenticatedRequestContext: CairnRequestContext {
    var identity: Identity? { get set }
}

extension AuthenticatedRequestContext {
    /// The caller's identity; 401 if the route was reached without one.
    public func requireIdentity() throws(AuthenticationError) -> Identity {
        guard let identity else { throw AuthenticationError("no credentials") }
        return identity
    }
}

/// Requires `Authorization: Bearer <access token>` on every request through it and puts the
/// verified identity into the context. Fails closed: no token, a bad token or a key that cannot
/// be fetched all answer 401.
public struct AuthenticationMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    private let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.headers[.authorization].flatMap(Self.bearerToken) else {
            throw AuthenticationError("no bearer token")
        }
        var context = context
        do {
            context.identity = try await verifier.verify(token)
        } catch {
            context.logger.info("token rejected", metadata: ["reason": "\(error.reason)"])
            throw error
        }
        context.logger[metadataKey: "identity"] = "\(context.identity!.kind.rawValue):\(context.identity!.subject)"
        return try await next(request, context)
    }

    /// The token of an `Authorization: Bearer <token>` header value. (On the hot path of every
    /// request: plain UTF-8 work, no Foundation string bridging.)
    public static func bearerToken(_ header: String) -> String? {
        let bytes = header.utf8
        guard bytes.count > 7, let space = bytes.firstIndex(of: UInt8(ascii: " ")),
              bytes.distance(from: bytes.startIndex, to: space) == 6,
              header.utf8.prefix(6).elementsEqual("bearer".utf8, by: { $0 | 0x20 == $1 }) else { return nil }
        let rest = bytes[bytes.index(after: space)...]
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = rest.firstIndex(where: { !isBlank($0) }), let last = rest.lastIndex(where: { !isBlank($0) }) else { return nil }
        return String(Substring(rest[first...last]))
    }
}
