import ArgumentParser
import Foundation

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask one question; the answer streams in, then its sources are listed.",
        discussion: """
            Starts a new conversation with the tenant's default assistant (or --assistant) and \
            prints the answer as it is generated, then the passages it was grounded on \
            (`[n]` as cited in the answer, `*` when cited). --collection limits the search to \
            one collection's documents. With --json, stdout gets one JSON object \
            {"answer", "conversation_id", "message_id", "sources": [...]} at the end.

            Examples:
              cairn ask "How many days of leave do I get?"
              cairn ask "What changed in 2026?" --collection Handbook --json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The question.")
    var question: String

    @Option(help: "Search only this collection (id or name).")
    var collection: String?

    @Option(help: "The assistant's id (default the tenant's default assistant).")
    var assistant: String?

    @Flag(help: "One JSON object on stdout instead of streamed text.")
    var json = false

    func validate() throws {
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("The question is empty.") }
    }

    func run() async throws {
        let client = try global.client()
        var request = QuestionRequest(content: question, assistantId: assistant)
        if let collection {
            request.filters = .init(documentIds: try await Self.documentIDs(of: collection, client))
        }
        let answer = try await AnswerStream.ask(request, path: "/v1/chat", client: client, quiet: json)
        if json {
            try Terminal.json(answer)
        } else {
            AnswerStream.printSources(answer.sources)
        }
    }

    /// The indexed documents of a collection, as a retrieval filter.
    static func documentIDs(of reference: String, _ client: APIClient) async throws -> [String] {
        let target = try await CollectionResolver.find(reference, client)
        var ids: [String] = []
        var cursor: String?
        repeat {
            var query = [("collection_id", target.id), ("status", "indexed"), ("limit", "200")]
            if let cursor { query.append(("cursor", cursor)) }
            let page = try await client.send(.GET, "/v1/documents", query: query).decode(DocumentPage.self)
            ids += page.documents.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        guard !ids.isEmpty else { throw CLIError(.notFound, "collection \(target.name) has no indexed documents") }
        return ids
    }
}

struct Chat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk with an assistant in one conversation, a question per line.",
        discussion: """
            Reads questions from standard input, one per line, and streams each answer; every \
            question after the first is asked in the same conversation, so it can refer to \
            earlier answers. /sources lists the last answer's sources; /exit (or end of input) \
            quits.

            Examples:
              cairn chat
              cairn chat --assistant 3f2c... --collection Handbook
              printf 'What is the leave policy?\\nAnd for part-timers?\\n' | cairn chat
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Search only this collection (id or name).")
    var collection: String?

    @Option(help: "The assistant's id (default the tenant's default assistant).")
    var assistant: String?

    @Option(help: "Continue this conversation (its id) instead of starting one.")
    var conversation: String?

    func run() async throws {
        let client = try global.client()
        var filters: QuestionRequest.Filters?
        if let collection { filters = .init(documentIds: try await Ask.documentIDs(of: collection, client)) }
        var conversationID = conversation
        var lastSources: [MessageSource] = []
        let interactive = Terminal.stdinIsTTY
        if interactive { Terminal.err("Ask a question (/sources, /exit).") }
        while true {
            if interactive { Terminal.err("> ", newline: false) }
            guard let line = readLine() else { break }
            let question = line.trimmingCharacters(in: .whitespaces)
            if question.isEmpty { continue }
            if question == "/exit" || question == "/quit" { break }
            if question == "/sources" {
                AnswerStream.printSources(lastSources)
                continue
            }
            var request = QuestionRequest(content: question, filters: filters)
            let path: String
            if let conversationID {
                path = "/v1/conversations/\(conversationID)/messages"
            } else {
                path = "/v1/chat"
                request.assistantId = assistant
            }
            do {
                let answer = try await AnswerStream.ask(request, path: path, client: client, quiet: false)
                conversationID = answer.conversationId ?? conversationID
                lastSources = answer.sources
            } catch let error as CLIError where error.status != .authentication && error.status != .unreachable {
                Terminal.err("cairn: error: \(error)")
            }
        }
        if let conversationID { Terminal.err("Conversation \(conversationID).") }
    }
}
