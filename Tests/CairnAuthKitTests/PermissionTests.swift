import CairnAuthKit
import Foundation
import Testing

@Suite struct PermissionTests {
    @Test(arguments: ["documents:read", "api_keys:manage", "admin:*", "*:read", "*:*", "v2:read_1"])
    func validPermissionsParse(_ text: String) throws {
        let permission = try #require(Permission(text))
        #expect(permission.description == text)
    }

    @Test(arguments: [
        "", ":", "documents", "documents:", ":read", "documents:read:extra", "Documents:read", "documents:Read",
        "docu ments:read", "documents:read ", "documents-x:read", "doc*:read", "documents:**", "é:read",
        String(repeating: "a", count: 41) + ":read",
    ])
    func invalidPermissionsDoNotParse(_ text: String) {
        #expect(Permission(text) == nil)
    }

    @Test func partsUpToFortyCharactersParse() {
        #expect(Permission(String(repeating: "a", count: 40) + ":read") != nil)
    }

    @Test func impliesMatchesExactlyOrByWildcard() {
        let read: Permission = "documents:read"
        #expect(read.implies("documents:read"))
        #expect(!read.implies("documents:write"))
        #expect(!read.implies("chat:read"))
        #expect(("documents:*" as Permission).implies("documents:delete"))
        #expect(!("documents:*" as Permission).implies("chat:read"))
        #expect(("*:read" as Permission).implies("billing:read"))
        #expect(!("*:read" as Permission).implies("billing:manage"))
        #expect(("*:*" as Permission).implies("admin:rotate_keys"))
    }

    /// A wildcard is only a wildcard when granted: a concrete grant does not satisfy a
    /// requirement for "any action".
    @Test func aConcreteGrantDoesNotImplyAWildcardRequirement() {
        #expect(!("admin:rotate_keys" as Permission).implies("admin:*"))
        #expect(("admin:*" as Permission).implies("admin:*"))
    }

    @Test func scopeStringRoundTrips() throws {
        let scopes: Set<Permission> = ["documents:read", "chat:create", "admin:*"]
        #expect(scopes.scopeString == "admin:* chat:create documents:read")
        #expect(Set<Permission>(scope: scopes.scopeString) == scopes)
        #expect(Set<Permission>(scope: "") == [])
        #expect(Set<Permission>(scope: "documents:read  chat:read") == ["documents:read", "chat:read"])
    }

    @Test func aScopeWithOneBadEntryIsRejectedWhole() {
        #expect(Set<Permission>(scope: "documents:read DROP:TABLE") == nil)
        #expect(Set<Permission>(scope: "documents:read,chat:read") == nil)
    }

    @Test func permissionsCodeAsTheirStringAndRejectInvalidOnes() throws {
        let data = try JSONEncoder().encode(["documents:read" as Permission])
        #expect(String(decoding: data, as: UTF8.self) == #"["documents:read"]"#)
        #expect(try JSONDecoder().decode([Permission].self, from: data) == ["documents:read"])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Permission].self, from: Data(#"["documents"]"#.utf8)) }
    }
}

@Suite struct RoleTests {
    @Test func tenantAdminHasEveryMemberPermission() {
        #expect(Role.member.permissions.isSubset(of: Role.tenantAdmin.permissions))
        #expect(Role.tenantAdmin.permissions.contains("users:manage"))
        #expect(!Role.member.permissions.grants("users:manage"))
    }

    @Test func systemAdminHasAdminWildcardAndEverythingATenantAdminHas() {
        #expect(Role.systemAdmin.permissions.contains("admin:*"))
        #expect(Role.systemAdmin.permissions.grants("admin:rotate_keys"))
        #expect(Role.tenantAdmin.permissions.isSubset(of: Role.systemAdmin.permissions))
        #expect(!Role.tenantAdmin.permissions.grants("admin:rotate_keys"))
    }

    @Test func serviceInheritsNothingAndCannotManageUsers() {
        #expect(Role.service.inherits == nil)
        #expect(!Role.service.permissions.grants("users:manage"))
        #expect(!Role.service.permissions.grants("admin:rotate_keys"))
        #expect(Role.service.permissions.grants("documents:delete"))
    }

    @Test func onlySystemAdminsAndServicesSpanTenants() {
        #expect(Role.allCases.filter(\.spansTenants) == [.systemAdmin, .service])
    }

    @Test func rolesRoundTripTheirWireNames() {
        for role in Role.allCases { #expect(Role(rawValue: role.rawValue) == role) }
        #expect(Role(rawValue: "tenant_admin") == .tenantAdmin)
        #expect(Role(rawValue: "tenantAdmin") == nil)
    }
}
