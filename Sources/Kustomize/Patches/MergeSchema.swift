import YAML

/// Where a strategic merge finds the patch facts of the object it is in: the
/// built-in table of Kubernetes kinds, or a schema given by `openapi: path:`.
enum MergeSchema {
  case builtin(Int)
  case custom(object: Mapping, document: OpenAPIDocument)

  struct Field {
    var strategy: String
    var mergeKey: String
    /// More than one key identifies an item (`containerPort` and `protocol`).
    var listKeys: [String] = []
    var schema: MergeSchema?
  }

  func field(_ name: String) -> Field? {
    switch self {
    case .builtin(let type):
      guard let field = PatchSchema.types[type][name] else { return nil }
      return Field(
        strategy: field.strategy, mergeKey: field.mergeKey, listKeys: field.listKeys,
        schema: field.type.map(MergeSchema.builtin))
    case .custom(let object, let document):
      guard let property = object["properties"]?.mapping?[name]?.mapping else { return nil }
      let mergeKey = property.string("x-kubernetes-patch-merge-key") ?? ""
      let listKeys = property["x-kubernetes-list-map-keys"]?.sequence?.items.compactMap { $0.scalar?.value } ?? []
      return Field(
        strategy: property.string("x-kubernetes-patch-strategy") ?? "", mergeKey: mergeKey,
        listKeys: !mergeKey.isEmpty && listKeys.count > 1 ? listKeys : [], schema: document.schema(of: property))
    }
  }

  /// The built-in schema of a kind, if it is a Kubernetes kind.
  static func builtin(for gvk: GVK) -> MergeSchema? {
    PatchSchema.roots["\(gvk.group)/\(gvk.version)/\(gvk.kind)"].map(MergeSchema.builtin)
  }

  /// Whether the built-in schema knows the type. kustomize keeps a table of
  /// the built-in types' scopes; a resource of any other type makes it load the
  /// built-in schema to look the type up.
  static func isBuiltin(_ gvk: GVK) -> Bool {
    PatchSchema.roots["\(gvk.group)/\(gvk.version)/\(gvk.kind)"] != nil
  }
}

/// An OpenAPI v2 document given by `openapi: path:`, which replaces the
/// built-in schema for strategic merges, as in kustomize.
public final class OpenAPIDocument: @unchecked Sendable {
  let definitions: Mapping
  /// Whether the built-in schema answers for the types this document does not
  /// define: kustomize adds a custom schema to the built-in one when that one
  /// was loaded before (by resources read before the `openapi:` that names it).
  private(set) var includesBuiltin = false

  /// The same definitions, over the built-in schema.
  func overBuiltin() -> OpenAPIDocument {
    let document = OpenAPIDocument(definitions: definitions)
    document.includesBuiltin = true
    return document
  }

  private init(definitions: Mapping) {
    self.definitions = definitions
  }

  init(_ root: Node, at mark: Mark) throws(Diagnostic) {
    guard let document = root.mapping else {
      throw Diagnostic(root.mark, "an OpenAPI document must be a map, not \(NodeDecoding.describe(root))")
    }
    switch document["definitions"] {
    case nil:
      // As in kustomize, a document without definitions is an empty schema: lists are replaced, not merged.
      definitions = Mapping(mark: root.mark)
    case .mapping(let definitions)?:
      self.definitions = definitions
    case let other?:
      if other.isNull {
        definitions = Mapping(mark: root.mark)
      } else {
        throw Diagnostic(
          other.mark, "the OpenAPI document's 'definitions' must be a map, not \(NodeDecoding.describe(other))")
      }
    }
  }

  func root(for gvk: GVK) -> MergeSchema? {
    for entry in definitions.entries {
      guard let kinds = entry.value.mapping?["x-kubernetes-group-version-kind"]?.sequence else { continue }
      for case .mapping(let kind) in kinds.items
      where (kind.string("group") ?? "") == gvk.group && kind.string("version") == gvk.version
        && kind.string("kind") == gvk.kind
      {
        if let object = entry.value.mapping { return .custom(object: object, document: self) }
      }
    }
    return nil
  }

  /// The object schema a property leads to: through `$ref`, list `items`, or inline `properties`.
  func schema(of property: Mapping) -> MergeSchema? {
    if let reference = property.string("$ref") {
      let name = String(reference.split(separator: "/").last ?? "")
      return definitions[name]?.mapping.map { .custom(object: $0, document: self) }
    }
    if let items = property["items"]?.mapping { return schema(of: items) }
    if property["properties"] != nil { return .custom(object: property, document: self) }
    return nil
  }
}
