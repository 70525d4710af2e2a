import CairnAuthKit
import Foundation
import Hummingbird

/// An organisation: every user, key and audit line belongs to exactly one.
struct Tenant: Codable, Sendable, Equatable {
    var id: UUID
    var name: String
    var slug: String
    var status: String
    var plan: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, slug, status, plan
        case createdAt = "created_at"
    }
}

enum UserStatus: String, Codable, Sendable {
    case active, disabled, locked
}

/// A person's account in one tenant (the same email in two tenants is two accounts).
struct User: Sendable {
    var id: UUID
    var tenantID: UUID
    var email: String
    var displayName: String
    var passwordHash: String
    var role: Role
    var status: UserStatus
    var lockedUntil: Date?
    var mfaSecret: Data?
    var mfaEnabled: Bool
    var createdAt: Date

    var identity: Identity {
        Identity(kind: .user, subject: id.uuidString.lowercased(), tenantID: tenantID, role: role, scopes: role.permissions)
    }

    /// Whether the account is locked at `now` (an expired lock no longer counts).
    func isLocked(at now: Date) -> Bool {
        status == .locked && (lockedUntil.map { $0 > now } ?? true)
    }
}

/// What the API shows of a user: never the hash or the MFA secret.
struct UserView: Codable, Sendable {
    var id: UUID
    var tenantID: UUID
    var email: String
    var displayName: String
    var role: Role
    var status: UserStatus
    var lockedUntil: Date?
    var mfaEnabled: Bool
    var createdAt: Date

    init(_ user: User) {
        id = user.id
        tenantID = user.tenantID
        email = user.email
        displayName = user.displayName
        role = user.role
        status = user.status
        lockedUntil = user.lockedUntil
        mfaEnabled = user.mfaEnabled
        createdAt = user.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, role, status
        case tenantID = "tenant_id"
        case displayName = "display_name"
        case lockedUntil = "locked_until"
        case mfaEnabled = "mfa_enabled"
        case createdAt = "created_at"
    }
}

/// Input rules shared by registration, invitations and login.
enum AccountInput {
    static let maximumNameLength = 100

    /// Trimmed and lower-cased; nil unless it looks like `local@domain.tld` within 254 bytes.
    static func email(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard email.utf8.count <= 254, !email.contains(where: \.isWhitespace) else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return nil }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else { return nil }
        return email
    }

    /// A display or organisation name: trimmed, 1...100 characters, no control characters.
    static func name(_ raw: String, field: String, required: Bool = true) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty, !required { return "" }
        guard !name.isEmpty, name.count <= maximumNameLength, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw AuthError.invalid("\(field) must be 1 to \(maximumNameLength) characters without control characters") }
        return name
    }

    /// A URL-safe slug from an organisation name: `Acme Corp.` → `acme-corp`.
    static func slug(from name: String) -> String {
        var slug = ""
        for character in name.lowercased() {
            if character.isASCII, character.isLetter || character.isNumber {
                slug.append(character)
            } else if !slug.isEmpty, slug.last != "-" {
                slug.append("-")
            }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(40))
        return slug.isEmpty ? "org" : slug
    }
}

extension UserView: ResponseEncodable {}
