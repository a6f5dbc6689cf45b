import ArgumentParser
import Foundation
import Kustomize
import Output
import YAML

/// The `mrgen` command: turns flags into a build, runs the engine, prints diagnostics.
@main
struct MRGen: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "mrgen",
    abstract: "Render Kubernetes manifests from kustomization trees, byte-identical to `kustomize build`.",
    discussion: """
      Examples:
        mrgen build overlays/postgres | kubectl apply -f -
        mrgen build overlays/mysql --with oauth,secure-db
        mrgen options
        mrgen build overlays/postgres -o rendered.yaml
        mrgen build overlays/postgres -o rendered/      (one file per resource)
      """,
    version: "mrgen \(version) (kustomize \(VersionCommand.kustomizeVersion) compatible)",
    subcommands: [BuildCommand.self, ComposeCommand.self, OptionsCommand.self, CheckCommand.self, VersionCommand.self]
  )

  /// Usage errors exit with 2, build errors with 1, as the README promises.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let failure as BuildFailure {
      Foundation.exit(failure.status)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      if let exitCode = error as? ExitCode { Foundation.exit(exitCode.rawValue) }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}

/// A failure already reported on stderr; only the exit status is left to give.
struct BuildFailure: Error {
  var status: Int32 = 1
}

/// Writes diagnostics to stderr, errors and warnings alike, each as
/// `path:line:column: error|warning: message` followed by its notes.
/// A full stderr loses the message; a closed one ends mrgen by SIGPIPE, as it ends other tools.
enum Diagnostics {
  static func report(_ diagnostic: Diagnostic) {
    write("\(diagnostic)\n")
  }

  /// Any other text for stderr, such as check's summary.
  static func write(_ text: String) {
    guard !text.isEmpty else { return }
    try? OutputWriter.writeAll(STDERR_FILENO, Array(text.utf8))
  }
}
