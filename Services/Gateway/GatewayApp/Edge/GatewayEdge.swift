import CairnAuthKit
import CairnBillingAPI
import Foundation
import Hummingbird
import Logging
import ServiceKit

/// What happens to every public request, in order: identify the caller (401 when a route
/// needs an identity and there is none), one rate-limit decision (429 `RATE_LIMITED`), the
/// quota check for work that consumes one (429 `QUOTA_EXCEEDED`), then the upstream. The
/// rate-limit headers go on every answer after the decision, errors included.
struct GatewayEdge: Sendable {
    let authenticator: EdgeAuthenticator
    let limiter: RateLimiter
    let plans: PlanDirectory
    let quotas: QuotaGate
    let proxy: UpstreamProxy
    let config: GatewayConfig

    func handle(_ request: Request, context: GatewayRequestContext, route: PublicRoute) async throws -> Response {
        var context = context
        let client = clientAddress(request, context: context)
        var credential: EdgeCredential?
        if route.access == .authenticated {
            do {
                guard let found = try await authenticator.authenticate(request.headers) else { throw AuthenticationError("no credentials") }
                credential = found
                context.logger[metadataKey: "identity"] = "\(found.principal)"
            } catch {
                // Failed attempts cost the client address like anonymous requests do, so guessing
                // keys or replaying bad tokens is throttled before it reaches auth or Redis.
                let decision = await addressDecision(client)
                var response = (decision.allowed ? APIError.from(error) : RateLimitHeaders.refusal(decision)).response(requestID: context.requestID)
                RateLimitHeaders.apply(decision, to: &response.headers)
                return response
            }
        }
        let decision = await rateDecision(route: route, credential: credential, client: client)
        var response: Response
        do {
            guard decision.allowed else { throw RateLimitHeaders.refusal(decision) }
            if let resource = route.quota, let tenant = credential?.identity.tenantID {
                try await quotas.check(tenant: tenant, resource: resource)
            }
            let forwarded = UpstreamProxy.Forwarded(
                authorization: credential?.forwardAuthorization,
                clientAddress: client, requestID: context.requestID,
                bodyLimit: route.body == .upload ? config.uploadMaxBytes : config.service.http.maxBodyBytes
            )
            response = try await proxy.forward(request, route: route, forwarded: forwarded, logger: context.logger)
        } catch {
            let apiError = APIError.from(error)
            context.logger.info("request refused at the edge", metadata: ["code": "\(apiError.code)", "status": "\(apiError.status.code)"])
            response = apiError.response(requestID: context.requestID)
        }
        RateLimitHeaders.apply(decision, to: &response.headers)
        return response
    }

    private func rateDecision(route: PublicRoute, credential: EdgeCredential?, client: String) async -> RateDecision {
        guard let credential, let tenant = credential.identity.tenantID?.uuidString.lowercased() else { return await addressDecision(client) }
        let limit = await plans.limits(for: credential.identity.tenantID!)[route.routeClass]
        let prefix = "cairn:rl:{\(tenant)}:\(route.routeClass.rawValue)"
        return await limiter.decide(
            keys: ["\(prefix):\(credential.principal)", "\(prefix):tenant"],
            buckets: [GCRABucket(perMinute: limit.perMinute, capacity: limit.burst),
                      GCRABucket(perMinute: limit.tenantPerMinute, capacity: limit.tenantPerMinute)]
        )
    }

    /// The per-address bucket (anonymous routes, failed authentication). IPv6 clients are
    /// keyed by their /64, which one host usually has whole.
    private func addressDecision(_ client: String) async -> RateDecision {
        let bucket = GCRABucket(perMinute: config.anonymousPerMinute, capacity: config.anonymousPerMinute)
        return await limiter.decide(keys: ["cairn:rl:{ip:\(ClientAddress.bucketKey(client))}"], buckets: [bucket])
    }

    /// The peer, or with `trustedProxyHops` proxies in front, the address the outermost
    /// trusted proxy saw (counted from the right of `X-Forwarded-For`, which clients can forge
    /// on the left).
    func clientAddress(_ request: Request, context: GatewayRequestContext) -> String {
        let peer = context.peer ?? "unknown"
        guard config.trustedProxyHops > 0 else { return peer }
        let hops = request.headers[values: .init("X-Forwarded-For")!].flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let index = hops.count - config.trustedProxyHops
        return index >= 0 && index < hops.count ? String(hops[index].prefix(64)) : peer
    }
}
