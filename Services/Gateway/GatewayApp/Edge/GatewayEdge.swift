import CairnAuthKit
import CairnBillingAPI
import Foundation
import Hummingbird
import Logging
import ServiceKit

/// What happens to every public request, in order: identify the caller (401 when a route
/// needs an identity and there is none), one rate-limit decision (429 `RATE_LIMITED`), the
/// quota check for work that consumes one (429 `QUOTA_EXCEEDED`), a place among the tenant's
/// requests in flight (429 `CONCURRENCY_LIMITED`), then the upstream. The
/// rate-limit headers go on every answer after the decision, errors included.
struct GatewayEdge: Sendable {
    let authenticator: EdgeAuthenticator
    let limiter: RateLimiter
    let plans: PlanDirectory
    let quotas: QuotaGate
    let proxy: UpstreamProxy
    let inFlight: TenantInFlight
    let config: GatewayConfig

    func handle(_ request: Request, context: GatewayRequestContext, route: PublicRoute) async throws -> Response {
        var context = context
        let admission: EdgeAdmission
        switch await admit(request, headers: request.headers, context: &context, route: route) {
        case .refused(let refusal): return refusal.response(requestID: context.requestID)
        case .admitted(let admitted): admission = admitted
        }
        var response: Response
        do {
            let forwarded = UpstreamProxy.Forwarded(
                authorization: admission.credential?.forwardAuthorization,
                clientAddress: admission.client, requestID: context.requestID,
                bodyLimit: route.body == .upload ? config.uploadMaxBytes : config.service.http.maxBodyBytes, slot: admission.slot,
                clientChannel: context.channel
            )
            response = try await proxy.forward(request, route: route, forwarded: forwarded, logger: context.logger)
        } catch {
            return refusal(error, decision: admission.decision, context: context).response(requestID: context.requestID)
        }
        RateLimitHeaders.apply(admission.decision, to: &response.headers)
        return response
    }

    /// The edge's checks before anything is forwarded: identity (from `headers`: the request's,
    /// or with a WebSocket's subprotocol token added), the rate decision, the quota, a place
    /// among the tenant's requests in flight (held by the admission: a socket holds it for its life).
    func admit(_ request: Request, headers: HTTPFields, context: inout GatewayRequestContext, route: PublicRoute) async -> EdgeVerdict {
        let client = clientAddress(request, context: context)
        var credential: EdgeCredential?
        if route.access == .authenticated {
            do {
                guard let found = try await authenticator.authenticate(headers) else { throw AuthenticationError("no credentials") }
                credential = found
                context.logger[metadataKey: "identity"] = "\(found.principal)"
            } catch {
                return .refused(await authenticationRefusal(error, client: client))
            }
        }
        let decision = await rateDecision(route: route, credential: credential, client: client)
        do {
            guard decision.allowed else { throw RateLimitHeaders.refusal(decision) }
            try await checkQuota(route: route, credential: credential)
        } catch {
            return .refused(refusal(error, decision: decision, context: context))
        }
        guard let tenant = credential?.identity.tenantID else {
            return .admitted(EdgeAdmission(credential: credential, decision: decision, client: client, slot: nil))
        }
        guard let slot = inFlight.enter(tenant) else {
            // The rate bucket allowed this one; the refusal still says when to come back.
            var wait = decision
            wait.allowed = false
            wait.retryAfterMicros = 1_000_000
            return .refused(refusal(inFlight.refusal(), decision: wait, context: context))
        }
        return .admitted(EdgeAdmission(credential: credential, decision: decision, client: client, slot: slot))
    }

    /// 429 `QUOTA_EXCEEDED` when the route consumes a quota the caller's tenant has used up.
    func checkQuota(route: PublicRoute, credential: EdgeCredential?) async throws {
        if let resource = route.quota, let tenant = credential?.identity.tenantID {
            try await quotas.check(tenant: tenant, resource: resource)
        }
    }

    /// Why a failed identification is refused. Failed attempts cost the client address like anonymous
    /// requests do, so guessing keys or replaying bad tokens is throttled before it reaches auth or Redis.
    func authenticationRefusal(_ error: any Error, client: String) async -> EdgeRefusal {
        let decision = await addressDecision(client)
        return EdgeRefusal(error: decision.allowed ? APIError.from(error) : RateLimitHeaders.refusal(decision), decision: decision)
    }

    /// An error at the edge as a refusal, with the rate decision made.
    func refusal(_ error: any Error, decision: RateDecision, context: GatewayRequestContext) -> EdgeRefusal {
        let apiError = APIError.from(error)
        context.logger.info("request refused at the edge", metadata: ["code": "\(apiError.code)", "status": "\(apiError.status.code)"])
        return EdgeRefusal(error: apiError, decision: decision)
    }

    /// One rate-limit token of the route's class for the caller (and their tenant), or of the
    /// client address when there is no caller.
    func rateDecision(route: PublicRoute, credential: EdgeCredential?, client: String) async -> RateDecision {
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

/// What the edge let through: who (nil on anonymous routes), the rate decision whose headers
/// the answer carries, the client address, and the tenant's in-flight place (nil on anonymous
/// routes), given back when the last copy of the admission goes.
struct EdgeAdmission: Sendable {
    var credential: EdgeCredential?
    var decision: RateDecision
    var client: String
    var slot: InFlightSlot?
}

/// The edge's verdict on a request: go ahead, or why not.
enum EdgeVerdict: Sendable {
    case admitted(EdgeAdmission)
    case refused(EdgeRefusal)
}

/// A refusal at the edge: the error, and the rate decision whose headers go with it.
struct EdgeRefusal: Sendable {
    var error: APIError
    var decision: RateDecision

    func response(requestID: String) -> Response {
        var response = error.response(requestID: requestID)
        RateLimitHeaders.apply(decision, to: &response.headers)
        return response
    }
}
