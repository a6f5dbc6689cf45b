import YAML

/// An RFC 6902 JSON patch: add, remove, replace, move, copy and test
/// operations at RFC 6901 pointers (`~0` for `~`, `~1` for `/`, `-` for the
/// end of a list, negative indices counting from the end as kustomize allows).
public struct JSONPatch: Sendable {
  public enum Operation: String, Sendable {
    case add, remove, replace, move, copy, test
  }

  public struct Step: Sendable {
    public var operation: Operation
    public var path: [String]
    public var from: [String]
    public var value: Node?
    public var mark: Mark
  }

  public var steps: [Step]

  /// Reads operations from a list of maps (the YAML or JSON form of a patch).
  /// Scalars read as kustomize reads them, through YAML 1.1 (`yes` is true).
  public init(_ node: Node) throws(Diagnostic) {
    guard case .sequence(let list) = node else {
      throw Diagnostic(node.mark, "a JSON patch must be a list of operations")
    }
    steps = []
    for item in list.items {
      guard case .mapping(let operation) = item else {
        throw Diagnostic(item.mark, "a JSON patch operation must be a map with 'op' and 'path'")
      }
      guard let opText = operation.string("op") else {
        throw Diagnostic(item.mark, "a JSON patch operation needs an 'op'")
      }
      guard let op = Operation(rawValue: opText) else {
        throw Diagnostic(operation["op"]?.mark ?? item.mark, "unknown JSON patch operation '\(opText)'")
      }
      guard let pathText = operation["path"]?.scalar?.value else {
        throw Diagnostic(item.mark, "the '\(opText)' operation needs a 'path'")
      }
      let path = try JSONPatch.pointer(pathText, at: operation["path"]?.mark ?? item.mark)
      var from: [String] = []
      if op == .move || op == .copy {
        guard let fromText = operation["from"]?.scalar?.value else {
          throw Diagnostic(item.mark, "the '\(opText)' operation needs a 'from'")
        }
        from = try JSONPatch.pointer(fromText, at: operation["from"]?.mark ?? item.mark)
      }
      var value: Node?
      if op == .add || op == .replace || op == .test {
        guard let given = operation["value"] else {
          throw Diagnostic(item.mark, "the '\(opText)' operation needs a 'value'")
        }
        value = JSONPatch.yaml11(given)
      }
      steps.append(Step(operation: op, path: path, from: from, value: value, mark: item.mark))
    }
  }

  /// Splits an RFC 6901 pointer into its unescaped tokens.
  static func pointer(_ text: String, at mark: Mark) throws(Diagnostic) -> [String] {
    if text.isEmpty { return [] }
    guard text.hasPrefix("/") else {
      throw Diagnostic(mark, "JSON pointer '\(text)' must start with '/'")
    }
    return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(unescape)
  }

  /// `~1` is `/` and `~0` is `~`, read left to right.
  static func unescape(_ token: Substring) -> String {
    var result = ""
    var escaped = false
    for character in token {
      if escaped {
        result.append(character == "1" ? "/" : character == "0" ? "~" : character)
        escaped = false
      } else if character == "~" {
        escaped = true
      } else {
        result.append(character)
      }
    }
    if escaped { result.append("~") }
    return result
  }

  /// Patch values are read as YAML 1.1, like the rest of kustomize's own inputs.
  static func yaml11(_ node: Node) -> Node {
    switch node {
    case .scalar(var scalar):
      if scalar.style == .plain {
        let kind = ScalarResolver.resolveYAML11(scalar.value)
        if kind == .bool {
          scalar = Scalar(
            ScalarResolver.yaml11BoolValue(scalar.value) ? "true" : "false", kind: .bool, mark: scalar.mark)
        } else {
          scalar.kind = kind == .timestamp ? .string : kind
        }
      }
      return .scalar(scalar)
    case .sequence(let sequence):
      return .sequence(SequenceNode(sequence.items.map(yaml11), mark: sequence.mark))
    case .mapping(let mapping):
      return .mapping(
        Mapping(mapping.entries.map { Mapping.Entry(key: $0.key, value: yaml11($0.value)) }, mark: mapping.mark))
    }
  }

  /// Applies every step to a document, in order.
  public func apply(to document: inout Node) throws(Diagnostic) {
    for step in steps { try apply(step, to: &document) }
  }

  private func apply(_ step: Step, to document: inout Node) throws(Diagnostic) {
    // Decoding made sure that add, replace and test carry a value.
    let value = step.value ?? .scalar(Scalar("", kind: .null))
    switch step.operation {
    case .add:
      try add(value.deepCopy(), at: step.path, in: &document, step: step)
    case .remove:
      _ = try remove(at: step.path, in: &document, step: step)
    case .replace:
      guard !step.path.isEmpty else {
        document = value.deepCopy()
        return
      }
      let (parent, token) = try parentAndToken(step.path, in: document, step: step)
      switch parent {
      case .mapping(let mapping):
        // kustomize's JSON patch library lets `replace` set a key that is missing, when its map exists.
        mapping[token] = value.deepCopy()
      case .sequence(let sequence):
        let index = try self.index(token, count: sequence.items.count, allowEnd: false, step: step)
        sequence.items[index] = value.deepCopy()
      case .scalar:
        throw failure(step, "replace: the parent is not a map or a list")
      }
    case .move:
      let value = try remove(at: step.from, in: &document, step: step)
      try add(value, at: step.path, in: &document, step: step)
    case .copy:
      let value = try get(step.from, in: document, step: step)
      try add(value.deepCopy(), at: step.path, in: &document, step: step)
    case .test:
      let found = try get(step.path, in: document, step: step)
      guard JSONPatch.equal(found, value) else {
        throw failure(step, "test failed: the value at '\(JSONPatch.text(step.path))' differs")
      }
    }
  }

  private func failure(_ step: Step, _ message: String) -> Diagnostic {
    Diagnostic(step.mark, "JSON patch \(step.operation.rawValue) at '\(JSONPatch.text(step.path))': \(message)")
  }

  static func text(_ path: [String]) -> String {
    path.map { token in
      "/" + token.map { $0 == "~" ? "~0" : $0 == "/" ? "~1" : String($0) }.joined()
    }.joined()
  }

  private func index(_ token: String, count: Int, allowEnd: Bool, step: Step) throws(Diagnostic) -> Int {
    if allowEnd && token == "-" { return count }
    guard let value = Int(token), token == "0" || !(token.hasPrefix("0") || token.hasPrefix("-0")) else {
      throw failure(step, "'\(token)' is not a list index")
    }
    let index = value < 0 ? count + value : value
    guard index >= 0, index < count || (allowEnd && index == count) else {
      throw failure(step, "index \(token) is out of range for a list of \(count)")
    }
    return index
  }

  private func get(_ path: [String], in document: Node, step: Step) throws(Diagnostic) -> Node {
    var node = document
    for token in path {
      switch node {
      case .mapping(let mapping):
        guard let next = mapping[token] else { throw failure(step, "there is no '\(token)'") }
        node = next
      case .sequence(let sequence):
        node = sequence.items[try index(token, count: sequence.items.count, allowEnd: false, step: step)]
      case .scalar:
        throw failure(step, "'\(token)' is below a scalar")
      }
    }
    return node
  }

  private func parentAndToken(_ path: [String], in document: Node, step: Step) throws(Diagnostic) -> (Node, String) {
    (try get(Array(path.dropLast()), in: document, step: step), path.last ?? "")
  }

  private func add(_ value: Node, at path: [String], in document: inout Node, step: Step) throws(Diagnostic) {
    guard !path.isEmpty else {
      document = value
      return
    }
    let (parent, token) = try parentAndToken(path, in: document, step: step)
    switch parent {
    case .mapping(let mapping):
      mapping[token] = value
    case .sequence(let sequence):
      sequence.items.insert(value, at: try index(token, count: sequence.items.count, allowEnd: true, step: step))
    case .scalar:
      throw failure(step, "the parent of '\(token)' is not a map or a list")
    }
  }

  private func remove(at path: [String], in document: inout Node, step: Step) throws(Diagnostic) -> Node {
    guard !path.isEmpty else { throw failure(step, "cannot remove the whole document") }
    let (parent, token) = try parentAndToken(path, in: document, step: step)
    switch parent {
    case .mapping(let mapping):
      guard let index = mapping.index(of: token) else { throw failure(step, "there is no '\(token)' to remove") }
      return mapping.entries.remove(at: index).value
    case .sequence(let sequence):
      return sequence.items.remove(at: try index(token, count: sequence.items.count, allowEnd: false, step: step))
    case .scalar:
      throw failure(step, "the parent of '\(token)' is not a map or a list")
    }
  }

  /// JSON equality: same type and value, maps regardless of key order.
  static func equal(_ a: Node, _ b: Node) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)):
      let numbers: Set<ScalarKind> = [.int, .float]
      if numbers.contains(x.kind) && numbers.contains(y.kind) {
        return Double(ScalarResolver.canonicalText(x) ?? "") == Double(ScalarResolver.canonicalText(y) ?? "")
      }
      let xKind: ScalarKind = x.kind == .timestamp ? .string : x.kind
      let yKind: ScalarKind = y.kind == .timestamp ? .string : y.kind
      guard xKind == yKind else { return false }
      return (ScalarResolver.canonicalText(x) ?? x.value) == (ScalarResolver.canonicalText(y) ?? y.value)
    case (.sequence(let x), .sequence(let y)):
      return x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) }
    case (.mapping(let x), .mapping(let y)):
      guard x.entries.count == y.entries.count else { return false }
      return x.entries.allSatisfy { entry in y[entry.key.value].map { equal(entry.value, $0) } ?? false }
    default:
      return false
    }
  }
}
