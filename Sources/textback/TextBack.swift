// The `textback` command: argument parsing and the composition root. Everything else is library code.

import ArgumentParser

@main
struct TextBack: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textback",
        abstract: "Missed-call follow-up engine: the right text at the right time, inside the law.",
        subcommands: [Serve.self, Worker.self, Reload.self, Migrate.self, Lint.self, Phone.self, SMS.self, Classify.self, Import.self, Report.self, Simulate.self])
}
