import CairnAuthKit
import Foundation
import Hummingbird
import JWTKit

/// The JWKS, signing-key rotation (system admins) and client-credentials tokens for services.
extension AuthAPI {
    struct ServiceTokenRequest: Decodable {
        var clientID: String
        var clientSecret: String

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
        }
    }

    struct ServiceToken: ResponseEncodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token"
            case tokenType = "token_type"
            case expiresIn = "expires_in"
        }
    }

    struct Rotated: ResponseEncodable {
        var kid: String
    }

    func addKeyRoutes(to router: Router<AuthRequestContext>, authenticated: RouterGroup<AuthRequestContext>) {
        router.get("/.well-known/jwks.json") { _, _ in
            let jwks = try await keys.publicKeys()
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=60"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(jwks))))
        }
        router.post("/v1/auth/service-token") { request, context in
            let body = try await request.decode(as: ServiceTokenRequest.self, context: context)
            let expected = config.serviceClients[body.clientID] ?? ""
            let matches = APIKeyStore.constantTimeEqual(OpaqueToken.hash(body.clientSecret), OpaqueToken.hash(expected))
            guard matches, !expected.isEmpty else {
                context.logger.warning("service token refused", metadata: ["client_id": "\(body.clientID.prefix(64))"])
                throw AuthError.invalidCredentials
            }
            let identity = Identity(kind: .service, subject: body.clientID, tenantID: nil, role: .service, scopes: Role.service.permissions)
            let token = try await issuer.accessToken(for: identity, lifetime: config.serviceTokenLifetime)
            return ServiceToken(accessToken: token.token, expiresIn: token.expiresIn)
        }
        authenticated.post("/v1/admin/signing-keys/rotate") { request, context in
            let identity = try context.requireIdentity()
            try authorizePlatform(identity, "admin:keys")
            let key = try await keys.rotate()
            let actor = Self.actor(identity)
            try await audit.record(
                AuditEntry(tenantID: identity.tenantID ?? platformTenantID, actorType: actor.type, actorID: actor.id,
                           action: "signing_key.rotate", targetType: "signing_key", targetID: key.kid),
                origin: request.origin(context: context)
            )
            return Rotated(kid: key.kid)
        }
    }
}
