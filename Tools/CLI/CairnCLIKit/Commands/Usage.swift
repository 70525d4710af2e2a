import ArgumentParser
import Foundation

struct Usage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the plan and its quotas as used so far.",
        discussion: """
            Tenant admins see the tenant's totals, everyone else their own use. A limit of -1 \
            (shown as "unlimited") has no cap.

            Examples:
              cairn usage
              cairn usage --json
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "The usage report as JSON on stdout.")
    var json = false

    func run() async throws {
        let answer = try await global.client().send(.GET, "/v1/usage")
        if json {
            Terminal.out(String(decoding: answer.body, as: UTF8.self))
            return
        }
        let report = try answer.decode(UsageReport.self)
        Terminal.out("Plan: \(report.plan)")
        Terminal.table(["RESOURCE", "USED", "LIMIT", "RESETS"], report.usage.map { line in
            let limit = line.limit.map { $0 < 0 ? "unlimited" : "\($0)" } ?? "-"
            return [line.resource, "\(line.used)", limit, line.periodEnd ?? "never"]
        })
    }
}
