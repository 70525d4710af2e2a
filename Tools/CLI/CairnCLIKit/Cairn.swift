import ArgumentParser
import Foundation

/// The `cairn` command: every subcommand, and the one place errors become exit codes.
public struct Cairn: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cairn",
        abstract: "The Cairn command-line tool: documents, questions, usage and keys from a terminal or a script.",
        discussion: """
            Log in once (credentials are kept per profile in ~/.config/cairn/config.json, or \
            $CAIRN_CONFIG_DIR), then work with the gateway:

              cairn login --server http://127.0.0.1:8080 --tenant acme --email ada@acme.example
              cairn ingest ./handbook --collection Handbook --create
              cairn ask "How many days of leave do I get?"

            Exit codes: 0 ok, 1 error, 2 usage error, 3 authentication failed (401/403), \
            4 not found, 5 quota exceeded or rate limited (429), 6 server unreachable, \
            7 server error (5xx).
            """,
        subcommands: [Login.self, Logout.self, Collections.self, Ingest.self, Ask.self, Chat.self, Usage.self, Keys.self, Admin.self]
    )

    public init() {}

    /// Parses the arguments, runs the command and exits with the documented status.
    public static func runAndExit() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            terminate(ExitStatus.ok.rawValue)
        } catch let error as CLIError {
            Terminal.err("cairn: error: \(error)")
            terminate(error.status.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.out(message) }
                terminate(ExitStatus.ok.rawValue)
            }
            if !message.isEmpty { Terminal.err(message) }
            // ArgumentParser's validation failures (EX_USAGE) are our documented 2.
            terminate(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}

/// The C library's `exit` (inside a command, `exit` names ArgumentParser's static method).
private func terminate(_ status: Int32) -> Never {
    exit(status)
}
