import CairnTesting
import Foundation
import Hummingbird
import Testing

/// What tenant admins do: audit any user's conversations, page through feedback and reports,
/// and manage assistants (the default one stays).
@Suite struct AdminTests {
    @Test func adminsAuditEveryUsersConversationsMembersAndOtherTenantsCannot() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let alice = "alice-\(TestInfra.uniqueSuffix())"
            let aliceToken = try await harness.member(alice)
            let bobToken = try await harness.member()
            var aliceConversations: [String] = []
            for question in ["What is the refund window?", "How are keys rotated?"] {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": question], token: aliceToken)
                #expect(reply.status == .ok, "\(reply.text)")
                aliceConversations.append(try #require(reply.string("conversation_id")))
            }
            let bob = try await harness.call(.post, "/v1/chat", json: ["message": "Where are the travel rules?"], token: bobToken)
            let bobConversation = try #require(bob.string("conversation_id"))
            let archived = try await harness.call(.patch, "/v1/conversations/\(aliceConversations[0])", json: ["archived": true], token: aliceToken)
            #expect(archived.status == .ok)

            let admin = try await harness.admin()
            let all = try await harness.call(.get, "/v1/admin/conversations", token: admin)
            #expect(all.status == .ok, "\(all.text)")
            #expect((all["conversations"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                    == [bobConversation, aliceConversations[1], aliceConversations[0]])
            let byAlice = try await harness.call(.get, "/v1/admin/conversations?user_id=\(alice)&limit=1", token: admin)
            let firstPage = try #require(byAlice["conversations"] as? [[String: Any]])
            #expect(firstPage.map { $0["id"] as? String } == [aliceConversations[1]])
            #expect(firstPage.first?["user_id"] as? String == alice)
            let cursor = try #require(byAlice.string("next_cursor"))
            let secondPage = try await harness.call(.get, "/v1/admin/conversations?user_id=\(alice)&limit=1&cursor=\(cursor)", token: admin)
            #expect((secondPage["conversations"] as? [[String: Any]])?.map { $0["id"] as? String } == [aliceConversations[0]])
            #expect(secondPage["next_cursor"] is NSNull)
            let active = try await harness.call(.get, "/v1/admin/conversations?user_id=\(alice)&archived=false", token: admin)
            #expect((active["conversations"] as? [[String: Any]])?.map { $0["id"] as? String } == [aliceConversations[1]])
            #expect(try await harness.call(.get, "/v1/admin/conversations?archived=maybe", token: admin).status == .badRequest)

            let messages = try await harness.call(.get, "/v1/admin/conversations/\(aliceConversations[0])/messages", token: admin)
            #expect(messages.status == .ok, "\(messages.text)")
            let stored = try #require(messages["messages"] as? [[String: Any]])
            #expect(stored.map { $0["role"] as? String } == ["user", "assistant"])
            #expect(stored.first?["content"] as? String == "What is the refund window?")
            let paged = try await harness.call(.get, "/v1/admin/conversations/\(aliceConversations[0])/messages?limit=1", token: admin)
            #expect((paged["messages"] as? [Any])?.count == 1 && paged.string("next_cursor") != nil)

            // Members, even the conversation's own user, are refused; another tenant's admin finds nothing.
            for token in [aliceToken, bobToken] {
                #expect(try await harness.call(.get, "/v1/admin/conversations", token: token).status == .forbidden)
                #expect(try await harness.call(.get, "/v1/admin/conversations/\(aliceConversations[0])/messages", token: token).status == .forbidden)
            }
            let foreign = try await harness.admin(tenant: UUID())
            let foreignList = try await harness.call(.get, "/v1/admin/conversations?user_id=\(alice)", token: foreign)
            #expect(foreignList.status == .ok && (foreignList["conversations"] as? [Any])?.isEmpty == true)
            #expect(try await harness.call(.get, "/v1/admin/conversations/\(aliceConversations[0])/messages", token: foreign).status == .notFound)
            #expect(try await harness.call(.get, "/v1/admin/conversations/not-an-id/messages", token: admin).status == .notFound)
        }
    }

    @Test func feedbackAndReportListsArePaged() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let token = try await harness.member()
            var messages: [String] = []
            for index in 0..<3 {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": "Question number \(index)?"], token: token)
                messages.append(try #require(reply.string("message_id")))
            }
            for (index, message) in messages.enumerated() {
                #expect(try await harness.call(.post, "/v1/messages/\(message)/feedback", json: ["rating": index + 1], token: token).status == .created)
                #expect(try await harness.call(.post, "/v1/messages/\(message)/reports", json: ["offending_text": "text \(index)"], token: token).status == .created)
            }
            let admin = try await harness.admin()
            for (kind, field, newestFirst) in [("rating", "rating", [3, 2, 1] as [Any]), ("report", "offending_text", ["text 2", "text 1", "text 0"])] {
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let path = "/v1/feedback?kind=\(kind)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await harness.call(.get, path, token: admin)
                    #expect(page.status == .ok, "\(page.text)")
                    seen += (page["feedback"] as? [[String: Any]] ?? []).map { "\($0[field] ?? "")" }
                    cursor = page.string("next_cursor")
                    pages += 1
                } while cursor != nil && pages < 5
                #expect(pages == 2)
                #expect(seen == newestFirst.map { "\($0)" }, "\(kind): \(seen)")
            }
            #expect(try await harness.call(.get, "/v1/feedback?cursor=bogus", token: admin).status == .badRequest)
        }
    }

    @Test func theDefaultAssistantCannotBeDeleted() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let admin = try await harness.admin()
            let list = try await harness.call(.get, "/v1/assistants", token: admin)
            let defaultID = try #require((list["assistants"] as? [[String: Any]])?.first { $0["is_default"] as? Bool == true }?["id"] as? String)
            let refused = try await harness.call(.delete, "/v1/assistants/\(defaultID)", token: admin)
            #expect(refused.status == .conflict, "\(refused.text)")
            #expect(refused.string("error", "code") == "CONFLICT")
            #expect(try await harness.call(.get, "/v1/assistants/\(defaultID)", token: admin).status == .ok)
            let other = try #require(try await harness.call(.post, "/v1/assistants", json: ["name": "Spare"], token: admin).string("id"))
            #expect(try await harness.call(.delete, "/v1/assistants/\(other)", token: admin).status == .noContent)
        }
    }

    /// Postgres text cannot hold NUL: an assistant with one anywhere is a 400, never a 500
    /// (schemathesis found the PATCH with a NUL in `collection_ids`).
    @Test func aNulCharacterInAnAssistantIsRefused() async throws {
        try await ChatHarness.run(orchestrator: ["CAIRN_VECTOR_SEARCH_URL": "http://127.0.0.1:9"]) { harness in
            let admin = try await harness.admin()
            let id = try #require(try await harness.call(.post, "/v1/assistants", json: ["name": "Plain"], token: admin).string("id"))
            for body: [String: Any] in [["collection_ids": ["a\u{0}b"]], ["name": "x\u{0}"], ["instructions": "\u{0}"],
                                        ["filters": ["tags_any": ["t\u{0}"]]]] {
                let patched = try await harness.call(.patch, "/v1/assistants/\(id)", json: body, token: admin)
                #expect(patched.status == .badRequest, "\(body): \(patched.text)")
                let created = try await harness.call(.post, "/v1/assistants", json: body.merging(["name": "N\u{0}"]) { first, _ in first }, token: admin)
                #expect(created.status == .badRequest, "\(body): \(created.text)")
            }
        }
    }
}
