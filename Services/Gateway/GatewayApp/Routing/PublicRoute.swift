import CairnBillingAPI
import Hummingbird

/// One public operation: what it is, where it goes, and the edge rules it runs under. The
/// table of them (``PublicRoute/all``) is the gateway's whole public API besides its own
/// operational routes, and `openapi.yaml` must list exactly these (a test checks both ways).
struct PublicRoute: Sendable {
    enum Access: Sendable {
        /// No identity needed; rate-limited per client address.
        case anonymous
        /// A verified identity needed; rate-limited per caller and tenant by the tenant's plan.
        case authenticated
    }

    enum Body: Sendable {
        /// Collected up to `CAIRN_MAX_BODY_BYTES` and sent on whole.
        case standard
        /// Streamed through, up to `CAIRN_GATEWAY_UPLOAD_MAX_BYTES`.
        case upload
    }

    var method: HTTPRequest.Method
    /// The OpenAPI path template (`/v1/users/{id}`).
    var path: String
    var upstream: Upstream
    var access: Access = .authenticated
    var routeClass: RouteClass = .general
    var quota: QuotaResource?
    var body: Body = .standard
    /// How long the upstream has to start answering (the head); a streamed body then flows
    /// as long as data keeps coming (the proxy client's read timeout).
    var timeout: Duration = .seconds(30)

    /// `POST /v1/auth/login`
    var operation: String { "\(method.rawValue) \(path)" }
}
