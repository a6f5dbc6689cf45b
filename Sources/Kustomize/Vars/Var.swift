import YAML

/// A `vars:` entry (deprecated in kustomize, still common): a name for a field
/// of some resource, substituted for `$(NAME)` in the var-reference fields.
public struct Var: Sendable {
  public var name: String
  public var target: GVK
  public var objectName: String
  public var namespace: String
  public var fieldPath: String
  public var mark: Mark

  static func decode(_ node: Node) throws(Diagnostic) -> Var {
    guard case .mapping(let map) = node else { throw NodeDecoding.mismatch("vars", node, expected: "a map") }
    try NodeDecoding.checkKeys(map, allowed: ["name", "objref", "fieldref"], in: "a var")
    guard
      let name = try NodeDecoding.field(map, "name").flatMap({ (value) throws(Diagnostic) in
        try NodeDecoding.optionalString(value, field: "name")
      }),
      !name.isEmpty
    else {
      throw Diagnostic(node.mark, "a var needs a 'name'")
    }
    var variable = Var(
      name: name, target: GVK(), objectName: "", namespace: "", fieldPath: "metadata.name", mark: node.mark)
    if let objref = try NodeDecoding.field(map, "objref").flatMap({ (value) throws(Diagnostic) in
      try NodeDecoding.mapping(value, field: "objref")
    }) {
      try objectReference.decode(objref, into: &variable)
    }
    if let fieldref = try NodeDecoding.field(map, "fieldref").flatMap({ (value) throws(Diagnostic) in
      try NodeDecoding.mapping(value, field: "fieldref")
    }) {
      try NodeDecoding.checkKeys(fieldref, allowed: ["fieldPath"], in: "fieldref")
      if let path = try NodeDecoding.field(fieldref, "fieldPath").flatMap({ (value) throws(Diagnostic) in
        try NodeDecoding.optionalString(value, field: "fieldPath")
      }),
        !path.isEmpty
      {
        variable.fieldPath = path
      }
    }
    return variable
  }

  /// The fields of `objref:`, each a string (null reads as empty).
  static let objectReference: FieldTable<Var> = {
    let rows: [(String, @Sendable (inout Var, String) -> Void)] = [
      (
        "apiVersion",
        { variable, value in
          let split = GVK(apiVersion: value, kind: "")
          variable.target.group = split.group
          variable.target.version = split.version
        }
      ),
      ("group", { $0.target.group = $1 }), ("version", { $0.target.version = $1 }), ("kind", { $0.target.kind = $1 }),
      ("name", { $0.objectName = $1 }), ("namespace", { $0.namespace = $1 }),
    ]
    return FieldTable(
      "objref",
      rows.map { name, set in
        .init(name) { variable, value, key throws(Diagnostic) in
          set(&variable, try NodeDecoding.optionalString(value, field: "objref.\(key.value)") ?? "")
        }
      })
  }()

  /// Whether a resource id (current or earlier) is the one the var names.
  func selects(_ id: ResourceID) -> Bool {
    id.name == objectName && id.gvk.isSelected(by: target)
      && (namespace.isEmpty || ResourceID(gvk: id.gvk, name: "", namespace: namespace).isNamespaceEqual(id))
  }
}

/// Replaces `$(NAME)` in the var-reference fields with each var's value, once at the end of a build.
public struct VarTransformer: Transformer {
  public var vars: [Var]
  public var fieldSpecs: [FieldSpec]
  public var action: String { "substituting vars" }

  public init(vars: [Var], fieldSpecs: [FieldSpec]) {
    self.vars = vars
    self.fieldSpecs = fieldSpecs
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    guard !vars.isEmpty else { return }
    var values: [String: Scalar?] = [:]
    for variable in vars {
      let matches = resources.resources(named: variable.objectName, where: variable.selects)
      guard matches.count == 1 else {
        throw Diagnostic(
          variable.mark,
          matches.isEmpty
            ? "var '\(variable.name)' cannot be mapped to a field in the set of known resources"
            : "var '\(variable.name)' matches \(matches.count) resources (unable to disambiguate)")
      }
      guard let value = FieldPath(variable.fieldPath.replacingBracketIndices).lookup(in: matches[0].object) else {
        throw Diagnostic(
          variable.mark, "field '\(variable.fieldPath)' of var '\(variable.name)' not found in \(matches[0].id)")
      }
      // Maps and lists cannot be substituted; their references stay as written.
      values[variable.name] = value.scalar
    }
    // A var may be written into a name or namespace: the map re-reads each resource's identity after it.
    for resource in resources.resources {
      try resources.update(resource) { (resource) throws(Diagnostic) in try substitute(values, in: resource) }
    }
  }

  func substitute(_ values: [String: Scalar?], in resource: Resource) throws(Diagnostic) {
    defer { resource.propagateSharedValues() }
    for spec in fieldSpecs where spec.applies(to: resource.gvk) {
      try spec.visit(resource.object, creating: nil) { (parent, index) throws(Diagnostic) in
        switch parent.entries[index].value {
        case .scalar(let scalar):
          if let expanded = expand(scalar, values) { parent.entries[index].value = .scalar(expanded) }
        case .mapping(let map):
          for position in map.entries.indices {
            if case .scalar(let scalar) = map.entries[position].value, let expanded = expand(scalar, values) {
              map.entries[position].value = .scalar(expanded)
            }
          }
        case .sequence(let list):
          for position in list.items.indices {
            guard case .scalar(let scalar) = list.items[position], scalar.kind == .string else {
              throw Diagnostic(list.items[position].mark, "a var reference list must hold strings")
            }
            if let expanded = expand(scalar, values) { list.items[position] = .scalar(expanded) }
          }
        }
      }
    }
  }

  /// kustomize's expansion: `$(NAME)` becomes the value (keeping its type when
  /// it is the whole string), `$$` becomes `$`, unknown names stay.
  func expand(_ scalar: Scalar, _ values: [String: Scalar?]) -> Scalar? {
    guard scalar.kind == .string, scalar.value.contains("$") else { return nil }
    let input = Array(scalar.value.unicodeScalars)
    var output = ""
    var cursor = 0
    var checkpoint = 0
    while cursor < input.count {
      if input[cursor] == "$" && cursor + 1 < input.count {
        output.unicodeScalars.append(contentsOf: input[checkpoint..<cursor])
        let next = input[cursor + 1]
        var advance = 1
        if next == "$" {
          output += "$"
        } else if next == "(" {
          if let close = input[(cursor + 2)...].firstIndex(of: ")") {
            var name = ""
            name.unicodeScalars.append(contentsOf: input[(cursor + 2)..<close])
            advance = close - cursor
            if let found = values[name], let value = found {
              if cursor == 0 && close == input.count - 1 {
                var typed = value
                typed.mark = scalar.mark
                typed.style = .plain
                return typed
              }
              output += ScalarResolver.canonicalText(value) ?? value.value
            } else {
              output += "$(" + name + ")"
            }
          } else {
            output += "$("
          }
        } else {
          output += "$" + String(next)
        }
        cursor += advance
        checkpoint = cursor + 1
      }
      cursor += 1
    }
    if checkpoint < input.count { output.unicodeScalars.append(contentsOf: input[checkpoint...]) }
    var result = scalar
    result.value = output
    return result
  }
}

extension String {
  /// `spec.ports[0].port` → `spec.ports.0.port`, the older var path form.
  var replacingBracketIndices: String {
    var result = ""
    var index = startIndex
    while index < endIndex {
      let character = self[index]
      if character == "[", let close = self[index...].firstIndex(of: "]"),
        self[self.index(after: index)..<close].allSatisfy(\.isNumber), close > self.index(after: index)
      {
        result += "." + self[self.index(after: index)..<close]
        index = self.index(after: close)
        continue
      }
      result.append(character)
      index = self.index(after: index)
    }
    return result
  }
}
