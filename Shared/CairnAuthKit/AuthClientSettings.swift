import Foundation
import Logging
import ServiceKit

/// How a service other than auth reaches auth: where it is, what tokens it accepts, and the
/// client credentials it exchanges for service tokens. Read from the shared keys
/// `CAIRN_AUTH_URL`, `CAIRN_AUTH_ISSUER`, `CAIRN_AUTH_AUDIENCE`, `CAIRN_SERVICE_CLIENT_ID`,
/// `CAIRN_SERVICE_CLIENT_SECRET` (README "Configuration").
public struct AuthClientSettings: Sendable {
    /// Base URL of the auth service, without a trailing slash.
    public var baseURL: String
    public var verification: TokenVerificationSettings
    /// The name auth knows this service by, and its secret (never logged). Empty secret: the
    /// service cannot call others with a service token.
    public var clientID: String
    public var clientSecret: String

    public init(baseURL: String, verification: TokenVerificationSettings = .init(), clientID: String, clientSecret: String) {
        self.baseURL = baseURL
        self.verification = verification
        self.clientID = clientID
        self.clientSecret = clientSecret
    }

    /// Reads the keys; `requireSecret` reports a missing client secret as a problem.
    public init(reader: inout ConfigReader, serviceName: String, requireSecret: Bool) {
        let url = reader.baseURL("CAIRN_AUTH_URL", default: "http://127.0.0.1:8081")
        let verification = TokenVerificationSettings(
            issuer: reader.string("CAIRN_AUTH_ISSUER", default: "cairn-auth"),
            audience: reader.string("CAIRN_AUTH_AUDIENCE", default: "cairn")
        )
        let secret = reader.optionalString("CAIRN_SERVICE_CLIENT_SECRET") ?? ""
        if requireSecret, secret.count < 16 {
            reader.report("CAIRN_SERVICE_CLIENT_SECRET", "required: the secret auth lists for this service (at least 16 characters)")
        }
        self.init(
            baseURL: url, verification: verification,
            clientID: reader.string("CAIRN_SERVICE_CLIENT_ID", default: serviceName), clientSecret: secret
        )
    }

    public var jwksURL: String { baseURL + "/.well-known/jwks.json" }

    /// The verifier every service uses: auth's JWKS over HTTP, cached.
    public func makeVerifier(logger: Logger) -> TokenVerifier {
        TokenVerifier(keys: PublicKeyCache(source: HTTPPublicKeySource(url: jwksURL), logger: logger), settings: verification)
    }
}
