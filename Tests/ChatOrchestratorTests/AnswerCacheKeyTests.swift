@testable import ChatOrchestratorApp
import Foundation
import Testing

/// The answer cache's key: what must split it and what must not.
@Suite struct AnswerCacheKeyTests {
    static let tenant = UUID()

    static func turn(question: String = "What is the refund window?", temperature: Double? = nil, updatedAt: Date = Date(timeIntervalSince1970: 1_000),
                     tenant: UUID = tenant) -> ChatTurn {
        let assistant = Assistant(
            id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, tenantID: tenant, name: "A", instructions: "", model: "default",
            temperature: temperature, maxTokens: nil, collectionIDs: ["handbook"], strategy: .lexical, topK: 8, filters: SearchFilters(),
            isDefault: false, createdAt: updatedAt, updatedAt: updatedAt
        )
        let conversation = Conversation(id: UUID(), tenantID: tenant, userID: "u", assistantID: assistant.id, title: "t", archived: false,
                                        createdAt: updatedAt, updatedAt: updatedAt)
        return ChatTurn(conversation: conversation, assistant: assistant, question: question, filters: nil, history: [],
                        credentials: CallerCredentials(authorization: "Bearer x", tenant: tenant, requestID: "r"))
    }

    static func query(_ text: String = "What is the refund window?", category: String? = nil) -> SearchQuery {
        SearchQuery(query: text, topK: 8, strategy: "lexical", filters: .init(collectionIDs: ["handbook"], base: SearchFilters(category: category)))
    }

    static func key(_ turn: ChatTurn = turn(), _ query: SearchQuery = query(), versions: [String: Int64] = ["handbook": 3]) throws -> String {
        AnswerCache.key(try #require(AnswerCache.question(turn, query: query)), versions: versions)
    }

    @Test func caseAndSpacingDoNotSplitTheKey() throws {
        #expect(try Self.key() == Self.key(Self.turn(), Self.query("  what IS the refund\twindow? ")))
        #expect(try Self.key().hasPrefix("cairn:chat:answer:v1:"))
    }

    @Test func versionsTenantAssistantEditsFiltersAndWordsSplitTheKey() throws {
        let base = try Self.key()
        #expect(try Self.key(versions: ["handbook": 4]) != base)
        #expect(try Self.key(versions: ["handbook": 3, "policies": 1]) != base)
        #expect(try Self.key(Self.turn(tenant: UUID())) != base)
        #expect(try Self.key(Self.turn(updatedAt: Date(timeIntervalSince1970: 2_000))) != base)
        #expect(try Self.key(Self.turn(), Self.query(category: "security")) != base)
        #expect(try Self.key(Self.turn(), Self.query("What is the refund window for monthly plans?")) != base)
    }

    @Test func aSamplingAssistantIsNotCached() {
        #expect(AnswerCache.question(Self.turn(temperature: 0.7), query: Self.query()) == nil)
        #expect(AnswerCache.question(Self.turn(temperature: 0), query: Self.query()) != nil)
    }
}
