import ArgumentParser
import Foundation
import Kustomize
import ModelRegistry
import Output
import YAML

/// `mrgen build DIR [-o PATH]`
struct BuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build",
    abstract: "Build a kustomization directory and print the resources.",
    discussion: """
      The output is the same, byte for byte, as `kustomize build DIR` (Kustomize \(VersionCommand.kustomizeVersion)).
      With --with or --namespace, DIR is composed with options of the Model Registry tree:
      the build is that of a kustomization listing DIR as a resource and each option's
      variant for DIR's database as a component (see `mrgen compose`).
      On an error nothing is printed to stdout and no file is written; the error names
      the file, line and column it comes from, and the exit status is 1.
      """
  )

  @Argument(
    help:
      "A directory holding kustomization.yaml, kustomization.yml or Kustomization (default: the current one, as in kustomize).",
    completion: .directory)
  var directory: String = "."

  @Option(
    name: [.short, .long],
    help: ArgumentHelp(
      "Write to this file instead of stdout; to a directory (an existing one, or a path ending in '/'), one file per resource, named as kustomize names them.",
      valueName: "path"),
    completion: .file())
  var output: String?

  @Flag(
    help:
      "With -o DIR: remove the .yaml and .yml files in DIR that this render did not write (what an earlier render wrote for resources that are gone); without it nothing else in DIR is touched."
  )
  var prune = false

  @OptionGroup var composition: CompositionOptions

  func run() throws {
    do {
      let resources = try composition.build(directory)
      try OutputWriter(destination: output, prune: prune).write(resources)
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
    // The process is done: exiting here spares freeing every node of the tree,
    // which costs about a sixth of a large build.
    Foundation.exit(0)
  }
}
