/// The public API, by owning service. Each service's routes join this table (and
/// `openapi.yaml`) when the service is built; until then its paths answer 404 at the edge.
extension PublicRoute {
    static let all: [PublicRoute] = auth + billing

    /// auth: sessions, users, API keys, MFA, audit, keys. Its internal operations
    /// (`/v1/auth/service-token`, `/v1/api-keys/introspect`) are deliberately absent.
    static let auth: [PublicRoute] = [
        .init(method: .get, path: "/.well-known/jwks.json", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/register", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/login", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/login/mfa", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/refresh", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/logout", upstream: .auth, access: .anonymous),
        .init(method: .post, path: "/v1/auth/logout-all", upstream: .auth),
        .init(method: .get, path: "/v1/auth/me", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/enroll", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/confirm", upstream: .auth),
        .init(method: .post, path: "/v1/auth/mfa/disable", upstream: .auth),
        .init(method: .get, path: "/v1/users", upstream: .auth),
        .init(method: .post, path: "/v1/users/invitations", upstream: .auth),
        .init(method: .patch, path: "/v1/users/{id}", upstream: .auth),
        .init(method: .post, path: "/v1/users/{id}/unlock", upstream: .auth),
        .init(method: .get, path: "/v1/api-keys", upstream: .auth),
        .init(method: .post, path: "/v1/api-keys", upstream: .auth),
        .init(method: .delete, path: "/v1/api-keys/{id}", upstream: .auth),
        .init(method: .get, path: "/v1/audit", upstream: .auth),
        .init(method: .post, path: "/v1/admin/signing-keys/rotate", upstream: .auth),
    ]

    /// billing: plans, subscriptions, usage reports. Quota checks (`/v1/quota/check`) are for
    /// services only and stay internal.
    static let billing: [PublicRoute] = [
        .init(method: .get, path: "/v1/plans", upstream: .billing),
        .init(method: .post, path: "/v1/plans", upstream: .billing),
        .init(method: .get, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .put, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .delete, path: "/v1/plans/{name}", upstream: .billing),
        .init(method: .get, path: "/v1/tenants/{tenant_id}/plan", upstream: .billing),
        .init(method: .get, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .post, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .patch, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .delete, path: "/v1/tenants/{tenant_id}/subscription", upstream: .billing),
        .init(method: .get, path: "/v1/usage", upstream: .billing),
        .init(method: .get, path: "/v1/usage/history", upstream: .billing),
        .init(method: .get, path: "/v1/invoices/preview", upstream: .billing),
    ]
}
