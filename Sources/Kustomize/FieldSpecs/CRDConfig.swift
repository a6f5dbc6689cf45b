import YAML

/// `crds:` files: OpenAPI definitions of custom types (name → `Schema`) whose
/// properties carry kustomize's extensions. A property marked
/// `x-kubernetes-object-ref-kind`/`-api-version` names another resource (its
/// `name` follows renames), `x-kubernetes-label-selector` takes common labels,
/// `x-kubernetes-annotation` takes common annotations, `x-kubernetes-identity`
/// takes the name prefix.
enum CRDConfig {
  static func config(from document: Node, at mark: Mark) throws(Diagnostic) -> TransformerConfig {
    guard case .mapping(let definitions) = document else {
      throw Diagnostic(mark, "a crds file must map type names to their schemas")
    }
    var config = TransformerConfig.empty
    for entry in definitions.entries {
      // kustomize decodes the file as a map of OpenAPI definitions: each one an object (or null).
      if !entry.value.isNull && entry.value.mapping == nil {
        throw Diagnostic(
          entry.value.mark,
          "'\(entry.key.value)' must be an OpenAPI definition (a map), not \(NodeDecoding.describe(entry.value))")
      }
      guard let properties = properties(of: entry.value),
        properties["kind"] != nil, properties["apiVersion"] != nil, properties["metadata"] != nil
      else { continue }
      let kind = String(entry.key.value.split(separator: ".").last ?? "")
      var visited: Set<String> = []
      try collect(
        entry.key.value, kind: GVK(kind: kind), path: [], definitions: definitions, visited: &visited, into: &config)
    }
    return config
  }

  static func properties(of definition: Node) -> Mapping? {
    definition.mapping?["Schema"]?.mapping?["properties"]?.mapping
  }

  static func collect(
    _ typeName: String, kind: GVK, path: [String], definitions: Mapping, visited: inout Set<String>,
    into config: inout TransformerConfig
  ) throws(Diagnostic) {
    guard let definition = definitions[typeName], let properties = properties(of: definition),
      visited.insert(typeName).inserted
    else { return }
    defer { visited.remove(typeName) }
    for property in properties.entries {
      guard case .mapping(let schema) = property.value else { continue }
      let fieldPath = path + [property.key.value]
      func spec(_ segments: [String]) -> FieldSpec {
        FieldSpec(segments.joined(separator: "/"), group: kind.group, version: kind.version, kind: kind.kind)
      }
      if schema["x-kubernetes-annotation"] != nil { config.commonAnnotations.append(spec(fieldPath)) }
      if schema["x-kubernetes-label-selector"] != nil { config.commonLabels.append(spec(fieldPath)) }
      if schema["x-kubernetes-identity"] != nil { config.namePrefix.append(spec(fieldPath)) }
      if let version = schema.string("x-kubernetes-object-ref-api-version"),
        let refKind = schema.string("x-kubernetes-object-ref-kind")
      {
        config.nameReference.append(
          NameReferenceSpecs.Entry(
            target: GVK(version: version, kind: refKind), referrers: [spec(fieldPath + ["name"])]))
      }
      if let reference = schema.string("$ref") {
        try collect(reference, kind: kind, path: fieldPath, definitions: definitions, visited: &visited, into: &config)
      }
    }
  }
}
