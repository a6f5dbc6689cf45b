import ArgumentParser
import Foundation
import Kustomize
import ModelRegistry
import YAML

/// `--with` and `--namespace`, shared by `build`, `check` and `compose`.
struct CompositionOptions: ParsableArguments {
  @Option(
    name: .customLong("with"),
    help: ArgumentHelp("Options of the Model Registry tree to compose with DIR, comma-separated (see `mrgen options`).", valueName: "options"))
  var options: [String] = []

  @Option(help: ArgumentHelp("The namespace of everything built; defaults to DIR's own when options are given.", valueName: "name"))
  var namespace: String?

  @Option(
    name: .customLong("limit"),
    help: ArgumentHelp(
      "Raise or lower one of the build's bounds, as NAME=VALUE (sizes may end in Ki, Mi or Gi); repeatable. Names: \(Limits.names.joined(separator: ", ")).",
      valueName: "name=value"))
  var limitAssignments: [String] = []

  /// The build's bounds, the defaults changed by `--limit`.
  var limits: Limits {
    get throws(Diagnostic) {
      var limits = Limits()
      for assignment in limitAssignments {
        do throws(LimitError) {
          try limits.set(assignment)
        } catch {
          throw Diagnostic(Mark(file: "--limit", line: 0, column: 0), error.message)
        }
      }
      return limits
    }
  }

  var selection: [String] {
    options.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  var composes: Bool { !selection.isEmpty || namespace != nil }

  /// The composition for `directory`, checked against the catalog of the tree above it.
  func composition(for directory: String) throws(Diagnostic) -> Composition {
    guard let root = Catalog.findRoot(from: directory) else {
      throw Diagnostic(Mark(file: directory, line: 0, column: 0), "no Model Registry tree (a directory with options/ and overlays/) at or above '\(directory)'")
    }
    let catalog = try Catalog.load(root: root)
    return try Composition(target: directory, selection: selection, namespace: namespace, catalog: catalog)
  }

  /// Builds `directory`, composed when options or a namespace are given; warnings go to stderr.
  func build(_ directory: String) throws(Diagnostic) -> ResourceMap {
    var builder = Builder(limits: try limits)
    let resources: ResourceMap
    if composes {
      let composition = try composition(for: directory)
      resources = try builder.build(composition.kustomization(in: Catalog.findRoot(from: directory)!))
    } else {
      resources = try builder.build(directory)
    }
    for warning in builder.warnings { Diagnostics.report(warning) }
    return resources
  }
}

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

  @Argument(help: "The directory to compose: a database overlay, or a kustomization that includes one.")
  var directory: String

  @OptionGroup var composition: CompositionOptions

  @Option(name: .customLong("in"), help: ArgumentHelp("The directory the kustomization will be saved in; paths are written relative to it.", valueName: "dir"))
  var destination: String = "."

  func run() throws {
    do throws(Diagnostic) {
      let text = try composition.composition(for: directory).kustomizationText(in: destination)
      try OutputWriter.writeStandardOutput(Array(text.utf8))
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
  }
}

/// `mrgen options`: the catalog, with each option's rules.
struct OptionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "options",
    abstract: "List the options of the Model Registry tree, with their rules."
  )

  @Option(help: ArgumentHelp("A directory in the tree (default: the current directory).", valueName: "dir"))
  var tree: String = "."

  @Flag(help: "Print only the option names, one per line.")
  var names = false

  @Option(help: ArgumentHelp("Print these options (comma-separated) with every option they require, in build order.", valueName: "options"))
  var resolve: String?

  func run() throws {
    do throws(Diagnostic) {
      guard let root = Catalog.findRoot(from: tree) else {
        throw Diagnostic(Mark(file: tree, line: 0, column: 0), "no Model Registry tree (a directory with options/ and overlays/) at or above '\(tree)'")
      }
      let catalog = try Catalog.load(root: root)
      let text: String
      if let resolve {
        text = Rules(catalog: catalog).withRequirements(resolve.split(separator: ",").map(String.init)).joined(separator: ",") + "\n"
      } else if names {
        text = catalog.options.map { $0.name + "\n" }.joined()
      } else {
        text = OptionsListing(catalog: catalog).text
      }
      try OutputWriter.writeStandardOutput(Array(text.utf8))
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
  }
}

/// The text `mrgen options` prints.
struct OptionsListing {
  var catalog: Catalog

  var text: String {
    var lines = ["Databases (overlays/):"]
    let databaseWidth = catalog.databases.map(\.count).max() ?? 0
    for overlay in catalog.overlays {
      lines.append("  \(overlay.database.padding(databaseWidth))  \(overlay.description)")
    }
    lines.append("")
    lines.append("Options (--with):")
    let width = catalog.options.map(\.name.count).max() ?? 0
    for option in catalog.options {
      lines.append("  \(option.name.padding(width))  \(option.description)")
      let indent = String(repeating: " ", count: width + 4)
      if !option.requires.isEmpty { lines.append(indent + "requires: " + option.requires.map(\.value).joined(separator: ", ")) }
      if !option.requiresAny.isEmpty { lines.append(indent + "requires one of: " + option.requiresAny.map(\.value).joined(separator: ", ")) }
      let conflicts = conflicts(of: option)
      if !conflicts.isEmpty { lines.append(indent + "conflicts with: " + conflicts.joined(separator: ", ")) }
      if let databases = option.databases {
        let variants = option.variants.map { "\($0.database): \(Path.relative($0.directory, from: catalog.root))" }
        if Set(databases) != Set(catalog.databases) {
          lines.append(indent + "databases: " + databases.joined(separator: ", "))
        }
        lines.append(indent + "variants: " + variants.joined(separator: ", "))
      }
    }
    lines.append("")
    lines.append("Compose: mrgen build overlays/<database> --with <option>,<option> [--namespace <name>]")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Conflicts hold both ways, whichever side declares them.
  func conflicts(of option: CatalogOption) -> [String] {
    var names = option.conflicts.map(\.option.value)
    for other in catalog.options where other.conflicts.contains(where: { $0.option.value == option.name }) && !names.contains(other.name) {
      names.append(other.name)
    }
    return names
  }
}

extension String {
  func padding(_ width: Int) -> String {
    self + String(repeating: " ", count: max(0, width - count))
  }
}
