import Foundation
import Kustomize
import YAML

/// The annotation keys through which the tree's kustomizations describe
/// themselves; the catalog is this data, not code.
public enum CatalogKey {
  /// On an overlay: the database it deploys (`mysql`, `postgres`, ...).
  public static let database = "mrgen.dev/database"
  /// On an option (and an overlay): one line for `mrgen options`.
  public static let description = "mrgen.dev/description"
  /// Options that must be selected too, comma-separated.
  public static let requires = "mrgen.dev/requires"
  /// Options of which at least one must be selected too, comma-separated.
  public static let requiresAny = "mrgen.dev/requires-any"
  /// Options that cannot be selected together with this one: comma-separated
  /// names, or one per line as `name: reason`, the reason ending the message.
  public static let conflicts = "mrgen.dev/conflicts"
  /// `last` for an option that changes what every other option adds, so that
  /// a composition applies it after them.
  public static let position = "mrgen.dev/position"
  /// `database=directory` pairs, comma-separated: the component to use per
  /// database, relative to the option's directory (`.` for the option itself).
  /// Without it, the option's own directory serves every database.
  public static let variants = "mrgen.dev/variants"
  /// `option=directory` pairs, comma-separated: a component that a
  /// composition adds when that other option is selected too (what the two
  /// need of each other, such as a certificate for this option's Service from
  /// the cert-manager option). The directory is looked up in the variant's
  /// directory for the database first, then in the option's; a database whose
  /// variant has none and whose option has none gets no companion. Companions
  /// are composed after every option, so both options' resources are there.
  public static let companions = "mrgen.dev/with"
}

/// One option: a Component under `options/` that declares a description.
public struct CatalogOption: Sendable {
  public var name: String
  /// The option's own component directory, as the build spells paths.
  public var directory: String
  public var description: String
  public var requires: [Located<String>]
  public var requiresAny: [Located<String>]
  public var conflicts: [Conflict]
  /// Applied after every other option of a composition.
  public var comesLast: Bool
  /// Database → component directory; empty when one directory serves all.
  public var variants: [(database: String, directory: String)]
  /// Other option → component directory (as written, relative) to compose when both are selected.
  public var companions: [(option: Located<String>, directory: String)]
  /// Where the option's rules are written, for error messages.
  public var file: String

  /// The component to compose for `database`, or nil when the option has no variant for it.
  public func component(for database: String) -> String? {
    if variants.isEmpty { return directory }
    return variants.first { $0.database == database }?.directory
  }

  /// The companion to compose for `database` when `other` is selected too:
  /// the variant's own, else the option's, else none.
  public func companion(with other: String, for database: String) -> String? {
    guard let companion = companions.first(where: { $0.option.value == other }),
      let variant = component(for: database)
    else { return nil }
    for base in [variant, directory] {
      let path = Path.join(base, companion.directory)
      if DiskFileSystem().kind(of: path) == .directory { return path }
    }
    return nil
  }

  /// Every directory that is this option, for recognising it where a tree already includes it.
  public var directories: [String] {
    [directory] + variants.map(\.directory)
  }

  /// The databases the option works with; nil means all of them.
  public var databases: [String]? {
    variants.isEmpty ? nil : variants.map(\.database)
  }
}

/// An option that cannot be selected with another, and why.
public struct Conflict: Sendable {
  /// The other option's name, marked where the rule is written.
  public var option: Located<String>
  public var reason: String?

  /// The message for a selection that holds both `name` and the other option.
  func message(for name: String) -> String {
    "options '\(name)' and '\(option.value)' cannot be used together" + (reason.map { ": " + $0 } ?? "")
  }
}

/// One database overlay under `overlays/`.
public struct Overlay: Sendable {
  public var database: String
  public var directory: String
  public var description: String
}

extension Located<String> {
  /// Splits a comma-separated annotation into its trimmed, non-empty items, each marked where the list is.
  func commaSeparated() -> [Located<String>] {
    value.split(separator: ",").compactMap { item in
      let trimmed = item.trimmingCharacters(in: .whitespaces)
      return trimmed.isEmpty ? nil : Located(trimmed, mark: mark)
    }
  }

  /// Reads a conflicts annotation: one `name` or `name: reason` per line, or
  /// comma-separated names on one line.
  func conflicts() -> [Conflict] {
    let items = value.contains("\n") ? value.split(separator: "\n").map(String.init) : commaSeparated().map(\.value)
    return items.compactMap { item in
      let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
      guard let name = parts.first, !name.isEmpty else { return nil }
      return Conflict(option: Located(name, mark: mark), reason: parts.count > 1 && !parts[1].isEmpty ? parts[1] : nil)
    }
  }
}
