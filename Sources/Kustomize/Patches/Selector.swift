import Foundation
import YAML

/// A patch's target: group, version, kind, name and namespace as
/// anchored regular expressions, plus label and annotation selectors.
public struct Selector: Sendable {
  public var group: String = ""
  public var version: String = ""
  public var kind: String = ""
  public var name: String = ""
  public var namespace: String = ""
  public var labelSelector: String = ""
  public var annotationSelector: String = ""
  public var mark: Mark

  public init(mark: Mark) {
    self.mark = mark
  }

  /// The fields of a target, each a string (null reads as empty).
  static func fields(in field: String) -> FieldTable<Selector> {
    let rows: [(String, @Sendable (inout Selector, String) -> Void)] = [
      ("group", { $0.group = $1 }), ("version", { $0.version = $1 }), ("kind", { $0.kind = $1 }),
      ("name", { $0.name = $1 }),
      ("namespace", { $0.namespace = $1 }), ("labelSelector", { $0.labelSelector = $1 }),
      ("annotationSelector", { $0.annotationSelector = $1 }),
    ]
    return FieldTable(
      field,
      rows.map { name, set in
        .init(name) { selector, value, key throws(Diagnostic) in
          set(&selector, try NodeDecoding.optionalString(value, field: "\(field).\(key.value)") ?? "")
        }
      })
  }

  static func decode(_ node: Node, field: String) throws(Diagnostic) -> Selector {
    guard let selector = try fields(in: field).decode(node, field: field, into: Selector(mark: node.mark)) else {
      throw NodeDecoding.mismatch(field, node, expected: "a map")
    }
    return selector
  }

  /// The compiled form, built once per patch and run against every resource.
  func matcher() throws(Diagnostic) -> Matcher {
    try Matcher(self)
  }

  struct Matcher {
    let group, version, kind, name, namespace: Pattern?
    let labels: LabelSelector
    let annotations: LabelSelector

    init(_ selector: Selector) throws(Diagnostic) {
      func compile(_ text: String) throws(Diagnostic) -> Pattern? {
        guard !text.isEmpty else { return nil }
        guard let pattern = Pattern(text) else {
          throw Diagnostic(selector.mark, "'\(text)' is not a valid regular expression")
        }
        return pattern
      }
      group = try compile(selector.group)
      version = try compile(selector.version)
      kind = try compile(selector.kind)
      name = try compile(selector.name)
      namespace = try compile(selector.namespace)
      labels = try LabelSelector(selector.labelSelector, mark: selector.mark)
      annotations = try LabelSelector(selector.annotationSelector, mark: selector.mark)
    }

    /// The resources it selects, in build order; a plain name is looked up in the map's name index.
    func select(from resources: ResourceMap) -> [Resource] {
      let candidates = name?.exactText.map { resources.resources(named: $0) } ?? resources.resources
      return candidates.filter(matches)
    }

    /// kustomize matches names and namespaces against the original id or the
    /// current one, and the type against the current one.
    func matches(_ resource: Resource) -> Bool {
      let original = resource.originalID
      let current = resource.id
      if let namespace,
        !namespace.matches(original.effectiveNamespaceAsStored) && !namespace.matches(current.effectiveNamespace)
      {
        return false
      }
      if let name, !name.matches(original.name) && !name.matches(current.name) { return false }
      let gvk = resource.gvk
      if let group, !group.matches(gvk.group) { return false }
      if let version, !version.matches(gvk.version) { return false }
      if let kind, !kind.matches(gvk.kind) { return false }
      if !labels.isEmpty && !labels.matches(resource.metadata?["labels"]?.mapping) { return false }
      if !annotations.isEmpty && !annotations.matches(resource.metadata?["annotations"]?.mapping) { return false }
      return true
    }
  }
}

/// A Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated.
struct LabelSelector: Sendable {
  enum Requirement: Sendable {
    case equals(String, String)
    case notEquals(String, String)
    case isIn(String, Set<String>)
    case notIn(String, Set<String>)
    case exists(String)
    case doesNotExist(String)
  }

  var requirements: [Requirement] = []
  var isEmpty: Bool { requirements.isEmpty }

  init(_ text: String, mark: Mark) throws(Diagnostic) {
    guard !text.trimmed.isEmpty else { return }
    for part in text.split(outside: ("(", ")"), on: ",").map(\.trimmed) {
      guard !part.isEmpty else { throw Diagnostic(mark, "empty requirement in selector '\(text)'") }
      requirements.append(try LabelSelector.requirement(part, in: text, mark: mark))
    }
  }

  static func requirement(_ part: String, in text: String, mark: Mark) throws(Diagnostic) -> Requirement {
    if part.hasPrefix("!") { return .doesNotExist(String(part.dropFirst()).trimmed) }
    for (operatorText, isNotIn) in [(" notin ", true), (" in ", false)] {
      if let range = part.range(of: operatorText) {
        let key = String(part[..<range.lowerBound]).trimmed
        var values = String(part[range.upperBound...]).trimmed
        guard values.hasPrefix("("), values.hasSuffix(")") else {
          throw Diagnostic(mark, "selector '\(text)': values of '\(key)' must be in parentheses")
        }
        values = String(values.dropFirst().dropLast())
        let set = Set(values.split(separator: ",").map { String($0).trimmed })
        return isNotIn ? .notIn(key, set) : .isIn(key, set)
      }
    }
    if let range = part.range(of: "!=") {
      return .notEquals(String(part[..<range.lowerBound]).trimmed, String(part[range.upperBound...]).trimmed)
    }
    if let range = part.range(of: "==") ?? part.range(of: "=") {
      return .equals(String(part[..<range.lowerBound]).trimmed, String(part[range.upperBound...]).trimmed)
    }
    return .exists(part)
  }

  func matches(_ labels: Mapping?) -> Bool {
    func value(_ key: String) -> String? { labels?[key]?.scalar?.value }
    for requirement in requirements {
      switch requirement {
      case .equals(let key, let expected): if value(key) != expected { return false }
      case .notEquals(let key, let unwanted): if value(key) == unwanted { return false }
      case .isIn(let key, let values): guard let actual = value(key), values.contains(actual) else { return false }
      case .notIn(let key, let values): if let actual = value(key), values.contains(actual) { return false }
      case .exists(let key): if value(key) == nil { return false }
      case .doesNotExist(let key): if value(key) != nil { return false }
      }
    }
    return true
  }
}

extension String {
  /// Splits at `separator` wherever it is not inside the bracket pair.
  func split(outside brackets: (open: Character, close: Character), on separator: Character) -> [String] {
    var parts: [String] = []
    var current = ""
    var depth = 0
    for character in self {
      if character == brackets.open { depth += 1 }
      if character == brackets.close { depth -= 1 }
      if character == separator && depth == 0 {
        parts.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    parts.append(current)
    return parts
  }

  var trimmed: String {
    String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}
