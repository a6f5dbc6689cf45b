import ArgumentParser
import Output
import YAML

/// `mrgen compose DIR --with ...`: prints the kustomization that a composed build builds.
struct ComposeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compose",
    abstract: "Print the kustomization that `mrgen build DIR --with ...` builds.",
    discussion: """
      Save it as kustomization.yaml in the directory given by --in (default: the current
      directory), and `kubectl kustomize` or `kustomize build` renders the same bytes.
      """
  )

  @Argument(
    help: "The directory to compose: a database overlay, or a kustomization that includes one.", completion: .directory)
  var directory: String

  @OptionGroup var composition: CompositionOptions

  @Option(
    name: .customLong("in"),
    help: ArgumentHelp(
      "The directory the kustomization will be saved in; paths are written relative to it.", valueName: "dir"),
    completion: .directory)
  var destination: String = "."

  func run() throws {
    do throws(Diagnostic) {
      let text = try composition.composition(for: directory).composition.kustomizationText(in: destination)
      try OutputWriter.writeStandardOutput(Array(text.utf8))
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
  }
}
