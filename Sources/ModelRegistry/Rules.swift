import Kustomize
import YAML

/// The catalog's rules: which options exist, which need or exclude others,
/// and which databases each serves.
public struct Rules: Sendable {
  public var catalog: Catalog

  public init(catalog: Catalog) {
    self.catalog = catalog
  }

  /// The selected options in order, or the first broken rule with its reason.
  /// - Parameter included: options the build directory already includes, with the file that includes each.
  public func check(_ selection: [String], database: String, included: [String: String] = [:]) throws(Diagnostic)
    -> [CatalogOption]
  {
    let withMark = Mark(file: "--with")
    var selected: [CatalogOption] = []
    for name in selection {
      guard let option = catalog.option(named: name) else {
        throw Diagnostic(
          withMark, "unknown option '\(name)'",
          notes: [Diagnostic.Note(nil, "available options: \(catalog.options.map(\.name).joined(separator: ", "))")])
      }
      if selected.contains(where: { $0.name == name }) {
        throw Diagnostic(withMark, "option '\(name)' is given twice")
      }
      if let file = included[name] {
        throw Diagnostic(
          withMark, "option '\(name)' is already included", notes: [Diagnostic.Note(Mark(file: file), "included here")])
      }
      guard option.component(for: database) != nil else {
        throw Diagnostic(
          Mark(file: option.file),
          "option '\(name)' has no variant for the database '\(database)'",
          notes: [
            Diagnostic.Note(nil, "'\(name)' is available for: \((option.databases ?? []).joined(separator: ", "))")
          ])
      }
      selected.append(option)
    }
    let names = Set(selected.map(\.name)).union(included.keys)
    for option in selected + included.keys.sorted().compactMap({ catalog.option(named: $0) }) {
      for required in option.requires where !names.contains(required.value) {
        throw Diagnostic(
          required.mark, "option '\(option.name)' requires '\(required.value)', which is not selected",
          notes: [Diagnostic.Note(nil, "add it: --with \(required.value),\(option.name)")])
      }
      if let first = option.requiresAny.first, !option.requiresAny.contains(where: { names.contains($0.value) }) {
        let choices = option.requiresAny.map { "'\($0.value)'" }.joined(separator: " or ")
        let none = option.requiresAny.count == 2 ? "neither" : "none"
        throw Diagnostic(
          first.mark, "option '\(option.name)' requires \(choices), and \(none) is selected",
          notes: [Diagnostic.Note(nil, "add one: --with \(option.requiresAny[0].value),\(option.name)")])
      }
      for conflict in option.conflicts where names.contains(conflict.option.value) {
        throw Diagnostic(conflict.option.mark, conflict.message(for: option.name))
      }
    }
    // Conflicts hold both ways, even where only one side declares them.
    for option in selected {
      for other in catalog.options where names.contains(other.name) && other.name != option.name {
        if let conflict = other.conflicts.first(where: { $0.option.value == option.name }) {
          throw Diagnostic(conflict.option.mark, conflict.message(for: other.name))
        }
      }
    }
    return selected
  }

  /// Every selection (in catalog order) that the rules allow for `database`,
  /// and every one they reject with its reason: all subsets of the options.
  public func enumerate(for database: String) -> (legal: [[String]], illegal: [(selection: [String], reason: String)]) {
    let names = catalog.options.map(\.name)
    var legal: [[String]] = []
    var illegal: [(selection: [String], reason: String)] = []
    for bits in 0..<(1 << names.count) {
      let selection = names.indices.filter { bits & (1 << $0) != 0 }.map { names[$0] }
      do {
        _ = try check(selection, database: database)
        legal.append(selection)
      } catch {
        illegal.append((selection, error.message))
      }
    }
    return (legal, illegal)
  }

  /// `selection` with every option it requires, transitively, placed before
  /// the options that need them; where an option needs one of several and
  /// the selection has none, the first.
  public func withRequirements(_ selection: [String]) -> [String] {
    var result: [String] = []
    func add(_ name: String) {
      guard !result.contains(name) else { return }
      let option = catalog.option(named: name)
      for required in option?.requires ?? [] { add(required.value) }
      if let choices = option?.requiresAny, let first = choices.first,
        !choices.contains(where: { selection.contains($0.value) || result.contains($0.value) })
      {
        add(first.value)
      }
      result.append(name)
    }
    selection.forEach(add)
    return result
  }
}
