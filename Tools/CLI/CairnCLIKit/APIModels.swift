import Foundation

// The gateway's answers the CLI reads (openapi.yaml); only the fields it uses.
// Decoded with `.convertFromSnakeCase`.

struct TokenPair: Decodable, Sendable {
    var accessToken: String
    var refreshToken: String
}

/// `POST /v1/auth/login`: a session, or an MFA challenge.
struct LoginAnswer: Decodable, Sendable {
    var tokens: TokenPair?
    var mfaRequired: Bool?
    var mfaToken: String?
}

struct Collection: Codable, Sendable {
    var id: String
    var name: String
    var description: String
    var chunkSize: Int
    var chunkOverlap: Int
    var createdAt: String
}

struct CollectionPage: Decodable, Sendable {
    var collections: [Collection]
    var nextCursor: String?
}

struct AcceptedDocument: Decodable, Sendable {
    var documentId: String
}

struct DocumentState: Decodable, Sendable {
    var id: String
    var title: String
    var status: String
    var error: String?
    var chunkCount: Int
}

struct DocumentPage: Decodable, Sendable {
    var documents: [DocumentState]
    var nextCursor: String?
}

struct UsageLine: Decodable, Sendable {
    var resource: String
    var used: Int64
    var limit: Int64?
    var periodEnd: String?
}

struct UsageReport: Decodable, Sendable {
    var plan: String
    var usage: [UsageLine]
}

struct APIKeyInfo: Decodable, Sendable {
    var id: String
    var name: String
    var prefix: String
    var role: String
    var scopes: [String]
    var createdAt: String
    var expiresAt: String?
    var lastUsedAt: String?
}

struct APIKeyList: Decodable, Sendable {
    var apiKeys: [APIKeyInfo]
}

struct CreatedAPIKey: Decodable, Sendable {
    var key: String
    var apiKey: APIKeyInfo
}

struct UserInfo: Decodable, Sendable {
    var id: String
    var email: String
    var displayName: String
    var role: String
    var status: String
    var mfaEnabled: Bool
}

struct UserList: Decodable, Sendable {
    var users: [UserInfo]
}

struct Invitation: Decodable, Sendable {
    var id: String
    var email: String
    var role: String
    var invitationToken: String
    var expiresAt: String
}

struct Me: Decodable, Sendable {
    struct Tenant: Decodable, Sendable { var slug: String }
    struct User: Decodable, Sendable { var email: String }
    var permissions: [String]
    var user: User?
    var tenant: Tenant?
}

struct MessageSource: Codable, Sendable {
    var index: Int
    var documentId: String
    var title: String
    var text: String
    var score: Double
    var cited: Bool
}

struct SourcesEvent: Decodable, Sendable {
    var sources: [MessageSource]
}

struct DeltaEvent: Decodable, Sendable {
    var text: String
}

struct DoneEvent: Decodable, Sendable {
    var conversationId: String
    var messageId: String
}

struct StreamErrorEvent: Decodable, Sendable {
    struct Body: Decodable, Sendable {
        var code: String
        var message: String
        var requestId: String?
    }
    var error: Body
}
