import ArgumentParser
import Foundation

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, create and revoke the tenant's API keys.",
        discussion: """
            A new key is printed once, on stdout, and never again; keep it somewhere safe.

            Examples:
              cairn keys list
              cairn keys create "nightly import" --scope documents:read --scope documents:write --expires-in-days 90
              cairn keys revoke 5b0f0d8e-...
            """,
        subcommands: [List.self, Create.self, Revoke.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The live API keys (never the keys themselves).",
                                                        discussion: "Example:\n  cairn keys list --json")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "The list as JSON on stdout.") var json = false

        func run() async throws {
            let answer = try await global.client().send(.GET, "/v1/api-keys")
            if json {
                Terminal.out(String(decoding: answer.body, as: UTF8.self))
                return
            }
            Terminal.table(["ID", "NAME", "PREFIX", "SCOPES", "EXPIRES", "LAST USED"], try answer.decode(APIKeyList.self).apiKeys.map {
                [$0.id, $0.name, $0.prefix, $0.scopes.joined(separator: ","), $0.expiresAt ?? "never", $0.lastUsedAt ?? "never"]
            })
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print it once.",
            discussion: "Example:\n  cairn keys create ci --scope documents:write --expires-in-days 30 > ci-key.txt"
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A name for the key.") var name: String
        @Option(name: .customLong("scope"), help: "A permission the key may use (repeatable; default a member's).") var scopes: [String] = []
        @Option(help: "Days until the key expires (default never).") var expiresInDays: Int?

        func run() async throws {
            struct Request: Encodable, Sendable {
                var name: String
                var scopes: [String]?
                var expiresInDays: Int?
            }
            let created = try await global.client().send(.POST, "/v1/api-keys",
                                                         json: Request(name: name, scopes: scopes.isEmpty ? nil : scopes, expiresInDays: expiresInDays))
                .decode(CreatedAPIKey.self)
            Terminal.err("Created API key \(created.apiKey.name) (\(created.apiKey.id)); it is shown only this once:")
            Terminal.out(created.key)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key (by its id).",
                                                        discussion: "Example:\n  cairn keys revoke 5b0f0d8e-1c2d-4e3f-8a9b-0c1d2e3f4a5b")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's id (from `cairn keys list`).") var id: String

        func run() async throws {
            _ = try await global.client().send(.DELETE, "/v1/api-keys/\(id)")
            Terminal.err("Revoked API key \(id).")
        }
    }
}
