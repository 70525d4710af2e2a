import ArgumentParser
import Foundation

struct Collections: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, create and delete collections.",
        discussion: """
            Examples:
              cairn collections list
              cairn collections create Handbook --description "HR policies"
              cairn collections delete Handbook
            """,
        subcommands: [List.self, Create.self, Delete.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The tenant's collections.",
            discussion: "Example:\n  cairn collections list --json"
        )
        @OptionGroup var global: GlobalOptions
        @Flag(help: "One JSON object per collection on stdout.") var json = false

        func run() async throws {
            let collections = try await CollectionResolver.all(try global.client())
            if json {
                for collection in collections { try Terminal.json(collection) }
                return
            }
            Terminal.table(["ID", "NAME", "CHUNK", "CREATED"], collections.map {
                [$0.id, $0.name, "\($0.chunkSize)/\($0.chunkOverlap)", $0.createdAt]
            })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a collection.",
            discussion: "Example:\n  cairn collections create Handbook --description \"HR policies\" --chunk-size 256"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's name (unique in the tenant).") var name: String
        @Option(help: "What it holds.") var description: String?
        @Option(help: "Most tokens per chunk (16-256, default 256).") var chunkSize: Int?
        @Option(help: "Tokens each chunk repeats from the previous one (default 32).") var chunkOverlap: Int?
        @Flag(help: "Print the collection as JSON on stdout.") var json = false

        func run() async throws {
            let collection = try await CollectionResolver.create(name, description: description, chunkSize: chunkSize,
                                                                 chunkOverlap: chunkOverlap, try global.client())
            if json { try Terminal.json(collection) } else { Terminal.out(collection.id) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a collection and every document in it.",
            discussion: "Example:\n  cairn collections delete Handbook"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The collection's id or name.") var collection: String

        func run() async throws {
            let client = try global.client()
            let found = try await CollectionResolver.find(collection, client)
            _ = try await client.send(.DELETE, "/v1/collections/\(found.id)")
            Terminal.err("Deleted collection \(found.name) (\(found.id)).")
        }
    }
}
