import YAML

/// Typed reads of kustomization values, each failing with the value's file and line.
///
/// kustomize reads its own files with a YAML 1.1 reader, unlike resources: in
/// a kustomization `on`, `yes` and `y` are booleans, so `namespace: on` is an
/// error there. Plain scalars are resolved that way here.
enum NodeDecoding {
  /// A scalar's kind as a kustomization file reads it.
  static func kind(_ scalar: Scalar) -> ScalarKind {
    guard scalar.style == .plain, scalar.kind != .string || ScalarResolver.needsQuoting(scalar.value) else {
      return scalar.kind
    }
    return ScalarResolver.resolveYAML11(scalar.value)
  }

  static func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar):
      switch kind(scalar) {
      case .string, .timestamp: "a string"
      case .int, .float: "a number"
      case .bool: "a boolean"
      case .null: "null"
      }
    case .sequence: "a list"
    case .mapping: "a map"
    }
  }

  static func mismatch(_ field: String, _ node: Node, expected: String) -> Diagnostic {
    Diagnostic(node.mark, "'\(field)' must be \(expected), not \(describe(node))")
  }

  /// A string; timestamps written without quotes read as their text.
  static func string(_ node: Node, field: String) throws(Diagnostic) -> String {
    guard case .scalar(let scalar) = node, kind(scalar) == .string || kind(scalar) == .timestamp else {
      throw mismatch(field, node, expected: "a string")
    }
    return scalar.value
  }

  static func optionalString(_ node: Node, field: String) throws(Diagnostic) -> String? {
    node.isNull ? nil : try string(node, field: field)
  }

  static func bool(_ node: Node, field: String) throws(Diagnostic) -> Bool {
    if node.isNull { return false }
    guard case .scalar(let scalar) = node, kind(scalar) == .bool else {
      throw mismatch(field, node, expected: "true or false")
    }
    return ScalarResolver.yaml11BoolValue(scalar.value)
  }

  static func int(_ node: Node, field: String) throws(Diagnostic) -> Int {
    guard case .scalar(let scalar) = node, kind(scalar) == .int,
      let text = ScalarResolver.canonicalText(scalar), let value = Int(text)
    else {
      throw mismatch(field, node, expected: "an integer")
    }
    return value
  }

  static func list(_ node: Node, field: String) throws(Diagnostic) -> [Node] {
    if node.isNull { return [] }
    guard case .sequence(let sequence) = node else { throw mismatch(field, node, expected: "a list") }
    return sequence.items
  }

  static func mapping(_ node: Node, field: String) throws(Diagnostic) -> Mapping? {
    if node.isNull { return nil }
    guard case .mapping(let mapping) = node else { throw mismatch(field, node, expected: "a map") }
    return mapping
  }

  static func stringList(_ node: Node, field: String) throws(Diagnostic) -> [Located<String>] {
    var result: [Located<String>] = []
    for item in try list(node, field: field) {
      result.append(Located(try string(item, field: field), mark: item.mark))
    }
    return result
  }

  static func stringPairs(_ node: Node, field: String) throws(Diagnostic) -> StringPairs {
    guard let mapping = try mapping(node, field: field) else { return [] }
    var pairs: StringPairs = []
    for entry in mapping.entries {
      let value = entry.value.isNull ? "" : try string(entry.value, field: "\(field).\(entry.key.value)")
      pairs.append((entry.key.value, value))
    }
    return pairs
  }

  /// A string with where it was written; null reads as absent.
  static func locatedString(_ node: Node, field: String) throws(Diagnostic) -> Located<String>? {
    try optionalString(node, field: field).map { Located($0, mark: node.mark) }
  }

  /// A list of maps, each decoded by `table` into a value `make` starts at the item's mark.
  static func items<Value>(_ node: Node, field: String, table: FieldTable<Value>, make: (Mark) -> Value)
    throws(Diagnostic) -> [Value]
  {
    var result: [Value] = []
    for item in try list(node, field: field) {
      guard let value = try table.decode(item, field: field, into: make(item.mark)) else {
        throw mismatch(field, item, expected: "a map")
      }
      result.append(value)
    }
    return result
  }

  /// Checks a map's keys against the fields a kustomize type accepts.
  static func checkKeys(_ mapping: Mapping, allowed: Set<String>, in context: String) throws(Diagnostic) {
    for entry in mapping.entries where !allowed.contains(fieldName(entry.key.value, among: allowed)) {
      throw Diagnostic(entry.key.mark, "unknown field '\(entry.key.value)' in \(context)")
    }
  }

  /// A field of a decoded map, its key matched as kustomize's JSON decoding matches it (ignoring case).
  static func field(_ map: Mapping, _ name: String) -> Node? {
    if let exact = map[name] { return exact }
    let folded = name.lowercased()
    return map.entries.first { $0.key.value.lowercased() == folded }?.value
  }

  /// The field a key names. kustomize decodes kustomizations as JSON, whose
  /// field matching ignores case (`nameprefix` sets `namePrefix`), so this does too.
  static func fieldName<Names: Swift.Sequence<String>>(_ key: String, among names: Names) -> String {
    var folded: String?
    for name in names {
      if name == key { return name }
    }
    for name in names {
      if folded == nil { folded = key.lowercased() }
      if name.lowercased() == folded { return name }
    }
    return key
  }
}
