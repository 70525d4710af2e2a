import Hummingbird

/// What the kit's middleware needs from a request context. Services that carry more per-request
/// state (an authenticated identity, say) define their own context conforming to this.
public protocol CairnRequestContext: RequestContext {
    /// The request id: the caller's `X-Request-ID` when valid, otherwise a fresh one.
    var requestID: String { get set }
    /// Largest body this request may have; set from configuration by ``BodyLimitMiddleware``.
    var bodyLimit: Int { get set }
}

/// The request context of a service that needs nothing beyond the kit's own state.
public struct ServiceRequestContext: CairnRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var bodyLimit: Int = 1 << 20

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// Hummingbird enforces this when it decodes or collects a body.
    public var maxUploadSize: Int { bodyLimit }
}
