import ArgumentParser
import Kustomize
import ModelRegistry
import Output
import YAML

/// `mrgen options`: the catalog, with each option's rules.
struct OptionsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "options",
    abstract: "List the options of the Model Registry tree, with their rules."
  )

  @Option(
    help: ArgumentHelp("A directory in the tree (default: the current directory).", valueName: "dir"),
    completion: .directory)
  var tree: String = "."

  @Flag(help: "Print only the option names, one per line.")
  var names = false

  @Option(
    help: ArgumentHelp(
      "Print these options (comma-separated) with every option they require, in build order.", valueName: "options"))
  var resolve: String?

  func run() throws {
    do throws(Diagnostic) {
      guard let root = Catalog.findRoot(from: tree) else {
        throw Diagnostic(
          Mark(file: tree), "no Model Registry tree (a directory with options/ and overlays/) at or above '\(tree)'")
      }
      let catalog = try Catalog.load(root: root)
      let text: String
      if let resolve {
        text =
          Rules(catalog: catalog).withRequirements(resolve.split(separator: ",").map(String.init)).joined(
            separator: ",") + "\n"
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
      if !option.requires.isEmpty {
        lines.append(indent + "requires: " + option.requires.map(\.value).joined(separator: ", "))
      }
      if !option.requiresAny.isEmpty {
        lines.append(indent + "requires one of: " + option.requiresAny.map(\.value).joined(separator: ", "))
      }
      let conflicts = conflicts(of: option)
      if !conflicts.isEmpty { lines.append(indent + "conflicts with: " + conflicts.joined(separator: ", ")) }
      if let databases = option.databases {
        let variants = option.variants.map { "\($0.database): \(Path.relative($0.directory, from: catalog.root))" }
        if Set(databases) != Set(catalog.databases) {
          lines.append(indent + "databases: " + databases.joined(separator: ", "))
        }
        lines.append(indent + "variants: " + variants.joined(separator: ", "))
      }
      if !option.companions.isEmpty {
        lines.append(indent + "companions with: " + option.companions.map(\.option.value).joined(separator: ", "))
      }
    }
    lines.append("")
    lines.append("Compose: mrgen build overlays/<database> --with <option>,<option> [--namespace <name>]")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Conflicts hold both ways, whichever side declares them.
  func conflicts(of option: CatalogOption) -> [String] {
    var names = option.conflicts.map(\.option.value)
    for other in catalog.options
    where other.conflicts.contains(where: { $0.option.value == option.name }) && !names.contains(other.name) {
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
