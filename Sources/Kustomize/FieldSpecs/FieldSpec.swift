import YAML

/// A field that a transformer reads or writes, in resources of a given type.
///
/// The path is kustomize's: segments separated by `/` (a `\/` stays inside a
/// segment, for annotation keys), a `[]` suffix marking a list; lists met on
/// the way are walked element by element whether marked or not.
public struct FieldSpec: Sendable {
  public var gvk: GVK
  public var path: [String]
  /// Per segment: whether the path marks it as a list (`containers[]`), which forbids creating it.
  public var listSegments: [Bool]
  public var create: Bool

  public init(_ path: String, group: String = "", version: String = "", kind: String = "", create: Bool = false) {
    self.gvk = GVK(group: group, version: version, kind: kind)
    self.create = create
    var segments: [String] = []
    var lists: [Bool] = []
    for segment in FieldSpec.split(path) {
      if segment.hasSuffix("[]") {
        segments.append(String(segment.dropLast(2)))
        lists.append(true)
      } else {
        segments.append(segment)
        lists.append(false)
      }
    }
    self.path = segments
    self.listSegments = lists
  }

  /// The path as written, for messages.
  public var pathText: String { path.joined(separator: "/") }

  static func split(_ path: String) -> [String] {
    var segments: [String] = []
    var current = ""
    var escaped = false
    for character in path {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "/" {
        segments.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    segments.append(current)
    return segments
  }

  public func applies(to gvk: GVK) -> Bool {
    gvk.isSelected(by: self.gvk)
  }

  /// What to create at the end of the path when the field is missing.
  public enum Creation {
    case scalar, mapping
  }

  /// Calls `body` with the map holding the last segment and that field's index,
  /// for every place the path reaches; creates missing fields on the way when
  /// the spec says `create` and `creating` says what the last one is.
  public func visit(
    _ object: Mapping, creating: Creation?, _ body: (Mapping, Int) throws(Diagnostic) -> Void
  ) throws(Diagnostic) {
    var trail: [PathStep] = []
    try visit(.mapping(object), depth: 0, creating: create ? creating : nil, trail: &trail) {
      (mapping, index, _) throws(Diagnostic) in try body(mapping, index)
    }
  }

  /// As `visit`, also giving the concrete path from the object to the map that holds the field.
  func visitWithPath(
    _ object: Mapping, creating: Creation?, _ body: (Mapping, Int, [PathStep]) throws(Diagnostic) -> Void
  ) throws(Diagnostic) {
    var trail: [PathStep] = []
    try visit(.mapping(object), depth: 0, creating: create ? creating : nil, trail: &trail, body)
  }

  private func visit(
    _ node: Node, depth: Int, creating: Creation?, trail: inout [PathStep],
    _ body: (Mapping, Int, [PathStep]) throws(Diagnostic) -> Void
  ) throws(Diagnostic) {
    switch node {
    case .sequence(let sequence):
      for (position, item) in sequence.items.enumerated() {
        trail.append(.index(position))
        defer { trail.removeLast() }
        try visit(item, depth: depth, creating: creating, trail: &trail, body)
      }
    case .mapping(let mapping):
      let name = path[depth]
      let isLast = depth == path.count - 1
      var index = mapping.index(of: name)
      let mayCreate = creating != nil && !listSegments[depth]
      if index == nil {
        guard mayCreate else { return }
        let created: Node =
          isLast && creating == .scalar
          ? .scalar(Scalar("", kind: .null, mark: mapping.mark)) : .mapping(Mapping(mark: mapping.mark))
        mapping.entries.append(Mapping.Entry(key: .string(name, mark: mapping.mark), value: created))
        index = mapping.entries.count - 1
      } else if let found = index, mapping.entries[found].value.isNull, mayCreate, !(isLast && creating == .scalar) {
        // kustomize turns a null it meets into the kind it would have created.
        mapping.entries[found].value = .mapping(Mapping(mark: mapping.entries[found].value.mark))
      }
      guard let found = index else { return }
      if isLast {
        try body(mapping, found, trail)
      } else {
        let value = mapping.entries[found].value
        if value.isNull { return }
        if case .scalar = value {
          throw Diagnostic(value.mark, "expected a map or a list at '\(name)' on the way to '\(pathText)'")
        }
        trail.append(.key(name))
        defer { trail.removeLast() }
        try visit(value, depth: depth + 1, creating: creating, trail: &trail, body)
      }
    case .scalar(let scalar):
      if scalar.kind == .null { return }
      throw Diagnostic(scalar.mark, "expected a map or a list on the way to '\(pathText)'")
    }
  }

  /// Reads a field spec written in a kustomization (`fields:` of `labels`).
  static func decode(_ node: Node) throws(Diagnostic) -> FieldSpec {
    guard case .mapping(let mapping) = node else {
      throw NodeDecoding.mismatch("fields", node, expected: "a map")
    }
    var written = Written()
    try Written.fields.decode(mapping, into: &written)
    return FieldSpec(
      written.path, group: written.gvk.group, version: written.gvk.version, kind: written.gvk.kind,
      create: written.create)
  }

  /// A field spec as written, before its path is split.
  private struct Written {
    var path = ""
    var gvk = GVK()
    var create = false

    static let fields = FieldTable<Written>(
      "a field spec",
      [
        .init("path") { spec, value, _ throws(Diagnostic) in
          spec.path = try NodeDecoding.optionalString(value, field: "path") ?? ""
        },
        .init("create") { spec, value, _ throws(Diagnostic) in
          spec.create = try NodeDecoding.bool(value, field: "create")
        },
      ] + FieldTable<Written>.typeRows(\.gvk))
  }
}
