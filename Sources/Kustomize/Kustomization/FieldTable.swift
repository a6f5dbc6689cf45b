import YAML

/// The fields of one kustomize type, one row per key: its name and how its
/// value decodes into `Value`. Adding a field is adding a row; the same table
/// refuses unknown keys and matches keys as kustomize's JSON decoding does
/// (exactly, then ignoring case: `nameprefix` sets `namePrefix`).
struct FieldTable<Value>: Sendable {
  typealias Decode = @Sendable (inout Value, Node, Scalar) throws(Diagnostic) -> Void

  struct Row: Sendable {
    let name: String
    let decode: Decode
  }

  /// How the type is named in messages: "unknown field 'x' in <context>".
  let context: String
  let rows: [Row]
  private let exact: [String: Int]
  private let folded: [String: Int]

  init(_ context: String, _ rows: [Row]) {
    self.context = context
    self.rows = rows
    var exact: [String: Int] = [:]
    var folded: [String: Int] = [:]
    for (index, row) in rows.enumerated() {
      precondition(exact[row.name] == nil, "field '\(row.name)' of \(context) has two rows")
      exact[row.name] = index
      folded[row.name.lowercased()] = folded[row.name.lowercased()] ?? index
    }
    self.exact = exact
    self.folded = folded
  }

  var names: [String] { rows.map(\.name) }

  /// The row a key selects, if any.
  func row(for key: String) -> Row? {
    guard let index = exact[key] ?? folded[key.lowercased()] else { return nil }
    return rows[index]
  }

  /// Decodes every entry of `mapping` into `value`, in file order; a key no row
  /// names is refused, or skipped when `ignoringUnknown` (as kustomize reads a
  /// builtin plugin's configuration, with Go's lenient JSON decoding).
  func decode(_ mapping: Mapping, into value: inout Value, ignoringUnknown: Bool = false) throws(Diagnostic) {
    for entry in mapping.entries {
      guard let row = row(for: entry.key.value) else {
        if ignoringUnknown { continue }
        throw Diagnostic(entry.key.mark, "unknown field '\(entry.key.value)' in \(context)")
      }
      try row.decode(&value, entry.value, entry.key)
    }
  }

  /// Decodes a map value (null reads as absent) into a fresh `Value`.
  func decode(_ node: Node, field: String, into value: Value) throws(Diagnostic) -> Value? {
    guard let mapping = try NodeDecoding.mapping(node, field: field) else { return nil }
    var value = value
    try decode(mapping, into: &value)
    return value
  }
}

extension FieldTable {
  /// The rows `group`, `version` and `kind` of a type that names a resource type (null reads as empty).
  static func typeRows(_ gvk: WritableKeyPath<Value, GVK> & Sendable) -> [Row] {
    let parts: [(String, WritableKeyPath<GVK, String> & Sendable)] = [
      ("group", \.group), ("version", \.version), ("kind", \.kind),
    ]
    return parts.map { name, part in
      Row(name) { value, node, _ throws(Diagnostic) in
        value[keyPath: gvk][keyPath: part] = try NodeDecoding.optionalString(node, field: name) ?? ""
      }
    }
  }
}

extension FieldTable.Row {
  init(_ name: String, _ decode: @escaping FieldTable.Decode) {
    self.init(name: name, decode: decode)
  }
}
