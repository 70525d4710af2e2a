import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// Security headers on every answer, and CORS for the configured origins only.
///
/// CORS: a request whose `Origin` is on the allow-list gets it echoed and may read the
/// rate-limit and request-id headers; a preflight from such an origin answers 204 at once; a
/// preflight from any other origin answers 403 (built here: this middleware sits outside the
/// error middleware). No credentials (nothing uses cookies). With an allow-list every answer
/// says `Vary: Origin`, so shared caches keep the variants apart. No allow-list: no CORS at all.
struct EdgeHeadersMiddleware<Context: CairnRequestContext>: RouterMiddleware {
    let corsOrigins: Set<String>
    let hsts: Bool

    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin].flatMap { corsOrigins.contains($0) ? $0 : nil }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil, origin == nil {
            response = APIError(.forbidden, code: "FORBIDDEN", message: "this origin may not call the API from a browser")
                .response(requestID: context.requestID)
        } else if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-API-Key, X-Request-ID, Last-Event-ID"
            response.headers[.accessControlMaxAge] = "600"
        } else {
            response = try await next(request, context)
        }
        // An upstream never speaks for the gateway's CORS policy.
        for name in [HTTPField.Name.accessControlAllowOrigin, .accessControlAllowCredentials, .accessControlExposeHeaders] {
            response.headers[name] = nil
        }
        if let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After, X-Request-ID"
        }
        if !corsOrigins.isEmpty { response.headers.append(HTTPField(name: .vary, value: "Origin")) }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        if hsts { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        return response
    }
}
