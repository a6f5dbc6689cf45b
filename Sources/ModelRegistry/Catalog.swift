import Foundation
import Kustomize
import YAML

/// The tree's options and database overlays, read from the annotations of
/// their kustomization files.
public struct Catalog: Sendable {
  /// The tree's root: the directory holding `overlays/` and `options/`.
  public var root: String
  /// Sorted by name.
  public var options: [CatalogOption]
  /// Sorted by database name.
  public var overlays: [Overlay]

  public func option(named name: String) -> CatalogOption? {
    options.first { $0.name == name }
  }

  public var databases: [String] { overlays.map(\.database) }

  /// The tree root at or above `directory`: the first directory that holds both `options/` and `overlays/`.
  public static func findRoot(from directory: String) -> String? {
    var current = Path.normalize(absolute(directory))
    while true {
      if isDirectory(Path.join(current, "options")) && isDirectory(Path.join(current, "overlays")) {
        // Relative paths stay relative, so messages name files as the user would.
        if directory.hasPrefix("/") { return current }
        return Path.relative(current, from: Path.normalize(FileManager.default.currentDirectoryPath))
      }
      if current == "/" { return nil }
      current = Path.normalize(current + "/..")
    }
  }

  /// Reads every option (a kustomization under `options/`, one or two levels
  /// down, with a description) and every overlay (a kustomization directly
  /// under `overlays/` that names its database).
  public static func load(root: String, loader: Loader = Loader()) throws(Diagnostic) -> Catalog {
    var options: [CatalogOption] = []
    for directory in subdirectories(of: Path.join(root, "options"), depth: 2) {
      guard let kustomization = try kustomization(in: directory, loader: loader),
        let description = kustomization.annotation(CatalogKey.description)
      else { continue }
      options.append(try option(from: kustomization, directory: directory, description: description.value))
    }
    var overlays: [Overlay] = []
    for directory in subdirectories(of: Path.join(root, "overlays"), depth: 1) {
      guard let kustomization = try kustomization(in: directory, loader: loader),
        let database = kustomization.annotation(CatalogKey.database)
      else { continue }
      let description = kustomization.annotation(CatalogKey.description)?.value ?? ""
      overlays.append(Overlay(database: database.value, directory: directory, description: description))
    }
    var seen: [String: CatalogOption] = [:]
    for option in options {
      if let first = seen[option.name] {
        throw Diagnostic(
          Mark(file: option.file), "option '\(option.name)' is declared twice",
          notes: [Diagnostic.Note(Mark(file: first.file), "first declared here")])
      }
      seen[option.name] = option
    }
    for option in options {
      for companion in option.companions where seen[companion.option.value] == nil {
        throw Diagnostic(
          companion.option.mark,
          "option '\(option.name)' has a companion for an unknown option '\(companion.option.value)'")
      }
    }
    return Catalog(
      root: root,
      options: options.sorted { $0.name < $1.name },
      overlays: overlays.sorted { $0.database < $1.database })
  }

  static func option(from kustomization: Kustomization, directory: String, description: String) throws(Diagnostic)
    -> CatalogOption
  {
    let fallbackName = Path.relative(directory, from: Path.join(directory, "..")).replacingOccurrences(
      of: "/", with: "-")
    var variants: [(database: String, directory: String)] = []
    for item in try pairs(kustomization, CatalogKey.variants, of: "database") {
      let variant = Path.join(directory, item.directory)
      guard isDirectory(variant) else {
        throw Diagnostic(item.key.mark, "directory '\(item.directory)' for database '\(item.key.value)' does not exist")
      }
      variants.append((item.key.value, variant))
    }
    let companions = try pairs(kustomization, CatalogKey.companions, of: "option")
    for companion in companions {
      let bases = [directory] + variants.map(\.directory)
      guard bases.contains(where: { isDirectory(Path.join($0, companion.directory)) }) else {
        throw Diagnostic(
          companion.key.mark,
          "directory '\(companion.directory)' for option '\(companion.key.value)' is in neither the option's directory nor a variant's"
        )
      }
    }
    return CatalogOption(
      name: kustomization.name ?? fallbackName,
      directory: directory,
      description: description,
      requires: kustomization.annotation(CatalogKey.requires)?.commaSeparated() ?? [],
      requiresAny: kustomization.annotation(CatalogKey.requiresAny)?.commaSeparated() ?? [],
      conflicts: kustomization.annotation(CatalogKey.conflicts)?.conflicts() ?? [],
      comesLast: try position(of: kustomization),
      variants: variants,
      companions: companions.map { (option: $0.key, directory: $0.directory) },
      file: kustomization.file)
  }

  /// Reads an annotation of `key=directory` pairs (variants by database,
  /// companions by option), the directories as written.
  static func pairs(_ kustomization: Kustomization, _ annotation: String, of what: String)
    throws(Diagnostic) -> [(key: Located<String>, directory: String)]
  {
    var result: [(key: Located<String>, directory: String)] = []
    for item in kustomization.annotation(annotation)?.commaSeparated() ?? [] {
      let parts = item.value.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
        throw Diagnostic(item.mark, "\(annotation) entry '\(item.value)' is not \(what)=directory")
      }
      result.append((Located(parts[0], mark: item.mark), parts[1]))
    }
    return result
  }

  static func position(of kustomization: Kustomization) throws(Diagnostic) -> Bool {
    guard let position = kustomization.annotation(CatalogKey.position) else { return false }
    guard position.value == "last" else {
      throw Diagnostic(position.mark, "\(CatalogKey.position) is '\(position.value)'; the only position is 'last'")
    }
    return true
  }

  static func kustomization(in directory: String, loader: Loader) throws(Diagnostic) -> Kustomization? {
    let hasFile = Loader.kustomizationFileNames.contains {
      loader.fileSystem.kind(of: Path.join(directory, $0)) == .file
    }
    guard hasFile else { return nil }
    return try loader.loadKustomization(in: directory, requestedAt: nil).0
  }

  /// Subdirectories down to `depth` levels, sorted, so the catalog does not depend on directory order.
  static func subdirectories(of directory: String, depth: Int) -> [String] {
    guard depth > 0, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
    var result: [String] = []
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = Path.join(directory, name)
      guard isDirectory(path) else { continue }
      result.append(path)
      result += subdirectories(of: path, depth: depth - 1)
    }
    return result
  }

  static func isDirectory(_ path: String) -> Bool {
    DiskFileSystem().kind(of: path) == .directory
  }

  static func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
  }
}
