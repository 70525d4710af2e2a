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

    /// The token of an `Authorization: Bearer <token>` header value.
    public static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
