import ArgumentParser
import Foundation

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tenant administration (needs a tenant admin's login).",
        discussion: """
            Examples:
              cairn admin users list
              cairn admin users invite grace@acme.example --role member
            """,
        subcommands: [Users.self]
    )

    struct Users: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The tenant's users and invitations.",
            discussion: "Example:\n  cairn admin users list --json",
            subcommands: [List.self, Invite.self]
        )

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every user of the tenant, oldest first.",
                                                            discussion: "Example:\n  cairn admin users list")
            @OptionGroup var global: GlobalOptions
            @Flag(help: "The list as JSON on stdout.") var json = false

            func run() async throws {
                let answer = try await global.client().send(.GET, "/v1/users")
                if json {
                    Terminal.out(String(decoding: answer.body, as: UTF8.self))
                    return
                }
                Terminal.table(["ID", "EMAIL", "NAME", "ROLE", "STATUS", "MFA"], try answer.decode(UserList.self).users.map {
                    [$0.id, $0.email, $0.displayName, $0.role, $0.status, $0.mfaEnabled ? "on" : "off"]
                })
            }
        }

        struct Invite: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Invite someone; prints the invitation token once (Cairn sends no email).",
                discussion: "Example:\n  cairn admin users invite grace@acme.example --role tenant_admin"
            )
            @OptionGroup var global: GlobalOptions
            @Argument(help: "Their email address.") var email: String
            @Option(help: "Their role (default member).") var role: String?

            func run() async throws {
                struct Request: Encodable, Sendable { var email: String; var role: String? }
                let invitation = try await global.client().send(.POST, "/v1/users/invitations", json: Request(email: email, role: role))
                    .decode(Invitation.self)
                Terminal.err("Invited \(invitation.email) as \(invitation.role) until \(invitation.expiresAt); the token is shown only this once:")
                Terminal.out(invitation.invitationToken)
            }
        }
    }
}
