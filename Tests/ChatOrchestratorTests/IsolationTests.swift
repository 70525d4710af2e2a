import CairnTesting
import Foundation
import Hummingbird
import Testing

/// Another user's or another tenant's conversations, messages and assistants do not exist for
/// the caller: every probe is a 404.
@Suite struct IsolationTests {
    @Test func crossUserAndCrossTenantProbesAre404OnEveryResource() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let owner = try await harness.member()
            let chat = try await harness.call(.post, "/v1/chat", json: ["message": "What is the refund window?"], token: owner)
            #expect(chat.status == .ok, "\(chat.text)")
            let conversation = try #require(chat.string("conversation_id"))
            let message = try #require(chat.string("message_id"))
            let assistant = try #require(try await harness.call(.post, "/v1/assistants", json: ["name": "Private"], token: try await harness.admin()).string("id"))

            let otherTenant = UUID()
            let probes: [(String, String)] = [
                ("same tenant, other user", try await harness.member()),
                ("other tenant, member", try await harness.member(tenant: otherTenant)),
                ("other tenant, admin", try await harness.admin(tenant: otherTenant)),
            ]
            for (who, token) in probes {
                let requests: [(HTTPRequest.Method, String, [String: Any]?)] = [
                    (.get, "/v1/conversations/\(conversation)", nil),
                    (.patch, "/v1/conversations/\(conversation)", ["title": "mine now"]),
                    (.get, "/v1/conversations/\(conversation)/messages", nil),
                    (.get, "/v1/conversations/\(conversation)/export?format=markdown", nil),
                    (.post, "/v1/conversations/\(conversation)/messages", ["content": "hello?"]),
                    (.post, "/v1/messages/\(message)/feedback", ["thumbs": "down"]),
                    (.post, "/v1/messages/\(message)/reports", ["offending_text": "30 days"]),
                    (.delete, "/v1/conversations/\(conversation)", nil),
                ]
                for (method, path, body) in requests {
                    let reply = try await harness.call(method, path, json: body, token: token)
                    #expect(reply.status == .notFound, "\(who): \(method) \(path) answered \(reply.status)")
                }
                let list = try await harness.call(.get, "/v1/conversations", token: token)
                #expect((list["conversations"] as? [Any])?.isEmpty == true, "\(who) lists the owner's conversation")
            }
            // Assistants are the tenant's: another tenant's admin cannot see or change them.
            let foreignAdmin = try await harness.admin(tenant: otherTenant)
            for (method, path, body) in [(HTTPRequest.Method.get, "/v1/assistants/\(assistant)", nil as [String: Any]?),
                                         (.patch, "/v1/assistants/\(assistant)", ["name": "Hijacked"]), (.delete, "/v1/assistants/\(assistant)", nil)] {
                #expect(try await harness.call(method, path, json: body, token: foreignAdmin).status == .notFound)
            }
            // Naming the tenant does not help either.
            let named = try await harness.call(.get, "/v1/conversations/\(conversation)?tenant_id=\(harness.tenant.uuidString.lowercased())",
                                               token: try await harness.member(tenant: otherTenant))
            #expect(named.status == .notFound)
            // Nothing was changed: the owner still sees the conversation as it was.
            let still = try await harness.call(.get, "/v1/conversations/\(conversation)", token: owner)
            #expect(still.status == .ok && still.string("title") == "What is the refund window?")
        }
    }

    @Test func conversationsAreListedRenamedArchivedExportedAndReallyDeleted() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let token = try await harness.member()
            var ids: [String] = []
            for index in 0..<3 {
                let created = try await harness.call(.post, "/v1/conversations", json: ["title": "Conversation \(index)"], token: token)
                #expect(created.status == .created)
                ids.append(try #require(created.string("id")))
            }
            let first = try await harness.call(.get, "/v1/conversations?limit=2", token: token)
            #expect((first["conversations"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
            let cursor = try #require(first.string("next_cursor"))
            let second = try await harness.call(.get, "/v1/conversations?limit=2&cursor=\(cursor)", token: token)
            #expect((second["conversations"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]])
            #expect(second["next_cursor"] is NSNull)

            let renamed = try await harness.call(.patch, "/v1/conversations/\(ids[0])", json: ["title": "Refunds", "archived": true], token: token)
            #expect(renamed.string("title") == "Refunds" && renamed["archived"] as? Bool == true)
            let active = try await harness.call(.get, "/v1/conversations", token: token)
            #expect((active["conversations"] as? [Any])?.count == 2)
            let archived = try await harness.call(.get, "/v1/conversations?archived=true", token: token)
            #expect((archived["conversations"] as? [[String: Any]])?.first?["id"] as? String == ids[0])

            let answered = try await harness.call(.post, "/v1/conversations/\(ids[0])/messages", json: ["content": "What is the refund window?"], token: token)
            #expect(answered.status == .ok, "\(answered.text)")
            let message = try #require(answered.string("message_id"))
            #expect(try await harness.call(.post, "/v1/messages/\(message)/feedback", json: ["thumbs": "up", "rating": 5, "comment": "clear"],
                                           token: token).status == .created)
            #expect(try await harness.call(.post, "/v1/messages/\(message)/reports", json: ["offending_text": "refund"], token: token).status == .created)
            let ratings = try await harness.call(.get, "/v1/feedback?kind=rating", token: try await harness.admin())
            #expect((ratings["feedback"] as? [[String: Any]])?.first?["rating"] as? Int == 5)
            #expect(try await harness.call(.get, "/v1/feedback?kind=report", token: token).status == .forbidden)

            let markdown = try await harness.call(.get, "/v1/conversations/\(ids[0])/export?format=markdown", token: token)
            #expect(markdown.text.hasPrefix("# Refunds") && markdown.text.contains("## User"))
            let json = try await harness.call(.get, "/v1/conversations/\(ids[0])/export", token: token)
            #expect((json["messages"] as? [Any])?.count == 2)

            #expect(try await harness.call(.delete, "/v1/conversations/\(ids[0])", token: token).status == .noContent)
            #expect(try await harness.call(.get, "/v1/conversations/\(ids[0])/messages", token: token).status == .notFound)
            #expect(try await harness.storedRows(conversation: ids[0]) == 0)
        }
    }
}
