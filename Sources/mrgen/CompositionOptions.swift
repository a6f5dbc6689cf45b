import ArgumentParser
import Foundation
import Kustomize
import ModelRegistry
import Output
import YAML

/// `--with` and `--namespace`, shared by `build`, `check` and `compose`.
struct CompositionOptions: ParsableArguments {
  @Option(
    name: .customLong("with"),
    help: ArgumentHelp(
      "Options of the Model Registry tree to compose with DIR, comma-separated (see `mrgen options`).",
      valueName: "options"),
    completion: CompositionOptions.optionNames)
  var options: [String] = []

  @Option(
    help: ArgumentHelp(
      "The namespace of everything built; defaults to DIR's own when options are given.", valueName: "name"))
  var namespace: String?

  @Option(
    name: .customLong("limit"),
    help: ArgumentHelp(
      "Raise or lower one of the build's bounds, as NAME=VALUE (sizes may end in Ki, Mi or Gi); repeatable. Names: \(Limits.names.joined(separator: ", ")).",
      valueName: "name=value"))
  var limitAssignments: [String] = []

  @Option(
    name: .customLong("load-restrictor"),
    help: ArgumentHelp(
      "Where the files a kustomization names may lie: LoadRestrictionsRootOnly (in or below its directory, the default) or LoadRestrictionsNone (anywhere), as kubectl kustomize takes it.",
      valueName: "restriction"))
  var loadRestriction: LoadRestriction = .rootOnly

  @OptionGroup(title: "Flags of kubectl kustomize") var kustomize: KustomizeFlags

  /// The build's bounds, the defaults changed by `--limit`.
  var limits: Limits {
    get throws(Diagnostic) {
      var limits = Limits()
      for assignment in limitAssignments {
        do throws(LimitError) {
          try limits.set(assignment)
        } catch {
          throw Diagnostic(Mark(file: "--limit"), error.message)
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
  func composition(for directory: String) throws(Diagnostic) -> (composition: Composition, root: String) {
    try LoadedKustomization.refuseRemote(directory)
    guard let root = Catalog.findRoot(from: directory) else {
      if let namespace, selection.isEmpty {
        // Outside the tree, --namespace alone wraps DIR in a kustomization beside it.
        return (try Composition(target: directory, namespace: namespace), Composition.folder(holding: directory))
      }
      throw Diagnostic(
        Mark(file: directory),
        "no Model Registry tree (a directory with options/ and overlays/) at or above '\(directory)'")
    }
    let catalog = try Catalog.load(root: root)
    return (try Composition(target: directory, selection: selection, namespace: namespace, catalog: catalog), root)
  }

  /// Builds `directory`, composed when options or a namespace are given; warnings go to stderr.
  func build(_ directory: String) throws(Diagnostic) -> ResourceMap {
    var builder = Builder(
      limits: try limits, restriction: loadRestriction, helm: kustomize.helm,
      managedByLabel: kustomize.enableManagedbyLabel)
    let resources: ResourceMap
    if composes {
      let (composition, root) = try composition(for: directory)
      resources = try builder.build(composition.kustomization(in: root))
    } else {
      resources = try builder.build(directory)
    }
    for warning in builder.warnings { Diagnostics.report(warning) }
    return resources
  }
}

extension LoadRestriction: ExpressibleByArgument {}

extension CompositionOptions {
  /// Completes `--with`: the catalog's option names, after any already typed
  /// and a comma. The catalog is that of the first word after the subcommand
  /// that lies in a Model Registry tree (DIR; a flag's value such as a
  /// namespace lies in none), or of the tree above the current folder.
  static let optionNames = CompletionKind.custom { words, _, prefix in
    let arguments = words.dropFirst(2).filter { !$0.isEmpty && !$0.hasPrefix("-") }
    guard let root = arguments.lazy.compactMap({ Catalog.findRoot(from: $0) }).first ?? Catalog.findRoot(from: "."),
      let catalog = try? Catalog.load(root: root)
    else { return [] }
    let typed = prefix.lastIndex(of: ",").map { String(prefix[...$0]) } ?? ""
    let chosen = Set(typed.split(separator: ",").map(String.init))
    return catalog.options.map(\.name).filter { !chosen.contains($0) }.map { typed + $0 }.filter {
      $0.hasPrefix(prefix)
    }
  }
}
