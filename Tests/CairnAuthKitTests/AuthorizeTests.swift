import CairnAuthKit
import Foundation
import ServiceKit
import Testing

@Suite struct AuthorizeTests {
    let tenant = Fixture.tenant
    let other = Fixture.otherTenant

    @Test func aMemberActsOnItsOwnTenant() throws {
        #expect(try authorize(Fixture.member(), "documents:read", resourceTenant: tenant) == tenant)
        // Creating something: no resource yet, the member's own tenant is used.
        #expect(try authorize(Fixture.member(), "documents:write", resourceTenant: nil) == tenant)
    }

    @Test func anotherTenantsObjectIsNotFound() {
        #expect(throws: AuthorizationError.notFound) { try authorize(Fixture.member(), "documents:read", resourceTenant: other) }
        #expect(throws: AuthorizationError.notFound) {
            try authorize(Fixture.identity(.tenantAdmin), "users:manage", resourceTenant: other)
        }
    }

    @Test func aMissingPermissionIsForbidden() {
        #expect(throws: AuthorizationError.forbidden("users:manage")) {
            try authorize(Fixture.member(), "users:manage", resourceTenant: tenant)
        }
    }

    /// The permission check comes first: a member probing another tenant for something it may
    /// not do anyway learns nothing about that tenant either.
    @Test func aMissingPermissionOnAnotherTenantIsForbiddenNotNotFound() {
        #expect(throws: AuthorizationError.forbidden("users:manage")) {
            try authorize(Fixture.member(), "users:manage", resourceTenant: other)
        }
    }

    @Test func aSystemAdminMustNameTheTenant() throws {
        let admin = Fixture.identity(.systemAdmin)
        #expect(throws: AuthorizationError.tenantRequired) { try authorize(admin, "documents:read", resourceTenant: nil) }
        #expect(try authorize(admin, "documents:read", resourceTenant: other) == other)
    }

    @Test func aServiceMustNameTheTenant() throws {
        let service = Fixture.identity(.service, tenant: nil)
        #expect(throws: AuthorizationError.tenantRequired) { try authorize(service, "usage:write", resourceTenant: nil) }
        #expect(try authorize(service, "usage:write", resourceTenant: other) == other)
        #expect(throws: AuthorizationError.forbidden("users:manage")) { try authorize(service, "users:manage", resourceTenant: other) }
    }

    @Test func aScopeNarrowerThanTheRoleRestricts() throws {
        let readOnly = Fixture.member(scopes: ["documents:read"])
        #expect(try authorize(readOnly, "documents:read", resourceTenant: tenant) == tenant)
        #expect(throws: AuthorizationError.forbidden("documents:write")) {
            try authorize(readOnly, "documents:write", resourceTenant: tenant)
        }
    }

    @Test func aScopeWiderThanTheRoleGivesNothingExtra() {
        let greedy = Fixture.member(scopes: ["*:*"])
        #expect(throws: AuthorizationError.forbidden("users:manage")) { try authorize(greedy, "users:manage", resourceTenant: tenant) }
        #expect(throws: AuthorizationError.forbidden("admin:rotate_keys")) { try authorizePlatform(greedy, "admin:rotate_keys") }
    }

    /// A member token without a tenant should never be issued; if one is, it reaches nothing.
    @Test func aTenantBoundRoleWithoutATenantIsForbidden() {
        #expect(throws: AuthorizationError.forbidden("documents:read")) {
            try authorize(Fixture.member(tenant: nil), "documents:read", resourceTenant: nil)
        }
    }

    @Test func platformActionsNeedATenantSpanningRoleWithThePermission() throws {
        try authorizePlatform(Fixture.identity(.systemAdmin), "admin:rotate_keys")
        // A tenant admin whose scope claims admin:* still lacks it by role.
        #expect(throws: AuthorizationError.forbidden("admin:rotate_keys")) {
            try authorizePlatform(Fixture.identity(.tenantAdmin, scopes: ["admin:*"]), "admin:rotate_keys")
        }
        // A service spans tenants but was not granted admin.
        #expect(throws: AuthorizationError.forbidden("admin:rotate_keys")) {
            try authorizePlatform(Fixture.identity(.service, tenant: nil), "admin:rotate_keys")
        }
        // A system admin whose credential was scoped down loses it.
        #expect(throws: AuthorizationError.forbidden("admin:rotate_keys")) {
            try authorizePlatform(Fixture.identity(.systemAdmin, scopes: ["documents:read"]), "admin:rotate_keys")
        }
    }

    @Test func errorsMapToTheirClientStatuses() {
        let forbidden = AuthorizationError.forbidden("users:manage").apiError
        #expect(forbidden.status == .forbidden)
        #expect(forbidden.code == "FORBIDDEN")
        #expect(forbidden.details["permission"] == "users:manage")
        #expect(AuthorizationError.notFound.apiError == .notFound())
        #expect(AuthorizationError.tenantRequired.apiError.status == .badRequest)
        #expect(AuthorizationError.tenantRequired.apiError.code == "INVALID_REQUEST")
        // Through the one mapping the error middleware uses, too.
        #expect(APIError.from(AuthorizationError.notFound).status == .notFound)
    }
}
