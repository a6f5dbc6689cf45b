/// A YAML node: a scalar, a sequence or a mapping, with the place it was read from.
///
/// Sequences and mappings are reference types so that transformers can edit a
/// resource in place, deep inside its tree, without copying the spine; use
/// `deepCopy()` where a value must be duplicated.
public enum Node: Sendable {
  case scalar(Scalar)
  case sequence(SequenceNode)
  case mapping(Mapping)

  public var mark: Mark {
    switch self {
    case .scalar(let scalar): scalar.mark
    case .sequence(let sequence): sequence.mark
    case .mapping(let mapping): mapping.mark
    }
  }

  public var scalar: Scalar? {
    if case .scalar(let scalar) = self { return scalar }
    return nil
  }

  public var sequence: SequenceNode? {
    if case .sequence(let sequence) = self { return sequence }
    return nil
  }

  public var mapping: Mapping? {
    if case .mapping(let mapping) = self { return mapping }
    return nil
  }

  /// The string value of a scalar that reads as a string, else nil.
  public var string: String? {
    if case .scalar(let scalar) = self, scalar.kind == .string { return scalar.value }
    return nil
  }

  public var isNull: Bool {
    if case .scalar(let scalar) = self { return scalar.kind == .null }
    return false
  }

  /// Whether two trees are the same down to every scalar's text, kind, style
  /// and the place it was read from: a value a transformer wrote again (with
  /// no source place) differs from the one it replaced, even if equal.
  public func isIdentical(to other: Node) -> Bool {
    switch (self, other) {
    case (.scalar(let a), .scalar(let b)):
      return a.value == b.value && a.kind == b.kind && a.style == b.style && a.mark == b.mark
    case (.sequence(let a), .sequence(let b)):
      return a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { $0.isIdentical(to: $1) }
    case (.mapping(let a), .mapping(let b)):
      return a.entries.count == b.entries.count
        && zip(a.entries, b.entries).allSatisfy {
          $0.key.value == $1.key.value && $0.key.mark == $1.key.mark && $0.value.isIdentical(to: $1.value)
        }
    default:
      return false
    }
  }

  /// An independent copy: editing it leaves the original untouched.
  public func deepCopy() -> Node {
    switch self {
    case .scalar: self
    case .sequence(let sequence): .sequence(sequence.deepCopy())
    case .mapping(let mapping): .mapping(mapping.deepCopy())
    }
  }

  /// The nodes under this one (itself included) and the bytes of their scalars
  /// (keys included); used to bound alias expansion.
  public var size: (nodes: Int, bytes: Int) {
    switch self {
    case .scalar(let scalar):
      return (1, scalar.value.utf8.count)
    case .sequence(let sequence):
      var total = (nodes: 1, bytes: 0)
      for item in sequence.items {
        let size = item.size
        total = (total.nodes + size.nodes, total.bytes + size.bytes)
      }
      return total
    case .mapping(let mapping):
      var total = (nodes: 1, bytes: 0)
      for entry in mapping.entries {
        let size = entry.value.size
        total = (total.nodes + 1 + size.nodes, total.bytes + entry.key.value.utf8.count + size.bytes)
      }
      return total
    }
  }
}

/// How a scalar was written in its source.
public enum ScalarStyle: UInt8, Sendable {
  case plain, singleQuoted, doubleQuoted, literal, folded
}

/// The type a scalar resolves to, as kustomize's YAML library reads it.
///
/// Quoted scalars and explicit `!!str` are strings; a plain scalar resolves by
/// its text (`YAML 1.2` booleans only: `yes` stays a string).
public enum ScalarKind: UInt8, Sendable {
  case string, null, bool, int, float, timestamp
}

/// A scalar value with its resolved kind and source mark.
public struct Scalar: Sendable {
  public var value: String
  public var kind: ScalarKind
  public var style: ScalarStyle
  public var mark: Mark

  public init(_ value: String, kind: ScalarKind = .string, style: ScalarStyle = .plain, mark: Mark = .generated) {
    self.value = value
    self.kind = kind
    self.style = style
    self.mark = mark
  }

  /// A string scalar, as a transformer writes one.
  public static func string(_ value: String, mark: Mark = .generated) -> Scalar {
    Scalar(value, kind: .string, mark: mark)
  }

  /// A scalar read from source text, its kind resolved from the text and style.
  public static func resolving(_ value: String, style: ScalarStyle, mark: Mark) -> Scalar {
    let kind: ScalarKind = style == .plain ? ScalarResolver.resolveCore(value) : .string
    return Scalar(value, kind: kind, style: style, mark: mark)
  }
}

/// A sequence of nodes.
public final class SequenceNode: @unchecked Sendable {
  public var items: [Node]
  public var mark: Mark

  public init(_ items: [Node] = [], mark: Mark = .generated) {
    self.items = items
    self.mark = mark
  }

  public func deepCopy() -> SequenceNode {
    SequenceNode(items.map { $0.deepCopy() }, mark: mark)
  }
}

/// A mapping from scalar keys to nodes, in source order.
///
/// Lookups scan the entries: Kubernetes objects hold few keys per map, and
/// scanning a handful of short keys beats hashing them.
public final class Mapping: @unchecked Sendable {
  public struct Entry: Sendable {
    public var key: Scalar
    public var value: Node

    public init(key: Scalar, value: Node) {
      self.key = key
      self.value = value
    }
  }

  public var entries: [Entry]
  public var mark: Mark

  public init(_ entries: [Entry] = [], mark: Mark = .generated) {
    self.entries = entries
    self.mark = mark
  }

  public func deepCopy() -> Mapping {
    Mapping(entries.map { Entry(key: $0.key, value: $0.value.deepCopy()) }, mark: mark)
  }

  public func index(of key: String) -> Int? {
    entries.firstIndex { $0.key.value == key }
  }

  public subscript(key: String) -> Node? {
    get {
      for entry in entries where entry.key.value == key { return entry.value }
      return nil
    }
    set {
      if let index = index(of: key) {
        if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
      } else if let newValue {
        entries.append(Entry(key: .string(key), value: newValue))
      }
    }
  }

  /// Sets many keys at once, each replacing the value of an existing entry or
  /// appended. Once the map is large the keys are found through an index, so
  /// the cost grows with the entries plus the pairs, never their product.
  public func set(_ pairs: some Sequence<(key: String, value: Node)>) {
    var index: [String: Int]? = nil
    for (key, value) in pairs {
      if index == nil, entries.count >= 16 {
        index = Dictionary(
          entries.enumerated().map { ($0.element.key.value, $0.offset) }, uniquingKeysWith: { first, _ in first })
      }
      let existing = index.map { $0[key] } ?? entries.firstIndex { $0.key.value == key }
      if let existing {
        entries[existing].value = value
      } else {
        index?[key] = entries.count
        entries.append(Entry(key: .string(key), value: value))
      }
    }
  }

  /// The mapping under `key`, created (or replacing a null) when missing.
  public func mapping(creating key: String) -> Mapping {
    if let existing = self[key]?.mapping { return existing }
    let created = Mapping(mark: mark)
    self[key] = .mapping(created)
    return created
  }

  /// The string under `key`, if it is a string.
  public func string(_ key: String) -> String? {
    self[key]?.string
  }

  public var keys: [String] { entries.map(\.key.value) }
}
