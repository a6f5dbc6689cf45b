import YAML

/// One patch: a strategic merge patch (one or more documents) or a JSON 6902
/// patch, from a file or inline, applied to the resources its target selects
/// or, without a target, to the resource each document names.
public struct PatchTransformer: BuiltinTransformer {
  public static let kind = "PatchTransformer"
  public var recordedKinds: [String] { fromPatchesJson6902 ? [] : [Self.kind] }
  public var action: String { "patching" }
  public var mark: Mark? { entryMark }
  /// kustomize records the runs of `patches:` entries, not those of `patchesJson6902:`.
  var fromPatchesJson6902 = false
  enum Content {
    case strategicMerge([Mapping])
    case json(JSONPatch)
  }

  let content: Content
  let target: Selector?
  let allowNameChange: Bool
  let allowKindChange: Bool
  let openAPI: OpenAPIDocument?
  let entryMark: Mark

  init(
    content: Content, target: Selector?, allowNameChange: Bool, allowKindChange: Bool, openAPI: OpenAPIDocument?,
    mark: Mark
  ) {
    self.content = content
    self.target = target
    self.allowNameChange = allowNameChange
    self.allowKindChange = allowKindChange
    self.openAPI = openAPI
    entryMark = mark
  }

  /// The transformer of a `patches:` or `patchesJson6902:` entry, its patch loaded and checked.
  init(_ entry: Kustomization.Patch, content: Content, fromPatchesJson6902: Bool, openAPI: OpenAPIDocument?) {
    self.init(
      content: content, target: entry.target, allowNameChange: entry.allowNameChange,
      allowKindChange: entry.allowKindChange, openAPI: openAPI, mark: entry.mark)
    self.fromPatchesJson6902 = fromPatchesJson6902
  }

  /// A list of operations is a JSON patch; maps with a kind and a name are strategic merge patches.
  static func classify(_ documents: [Node], at mark: Mark) throws(Diagnostic) -> Content {
    let present = documents.filter { !$0.isNull }
    if present.count == 1, case .sequence = present[0] {
      return .json(try JSONPatch(present[0]))
    }
    var patches: [Mapping] = []
    for document in present {
      guard case .mapping(let patch) = document else {
        throw Diagnostic(
          document.mark, "a patch must be a strategic merge patch (a map) or a JSON patch (a list of operations)")
      }
      if patch.entries.isEmpty { continue }
      guard patch["kind"]?.scalar != nil, patch["metadata"]?.mapping?["name"]?.scalar != nil else {
        throw Diagnostic(patch.mark, "a strategic merge patch needs 'kind' and 'metadata.name'")
      }
      patches.append(patch)
    }
    guard !patches.isEmpty else { throw Diagnostic(mark, "the patch is empty") }
    return .strategicMerge(patches)
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    switch (content, target) {
    case (.json(let patch), let target?):
      for resource in try target.matcher().select(from: resources) {
        try resources.update(resource, keepingPreviousID: true) { (resource) throws(Diagnostic) in
          try PatchTransformer.applyJSON(patch, to: resource)
        }
      }
    case (.json, nil):
      throw Diagnostic(entryMark, "a JSON patch needs a 'target'")
    case (.strategicMerge(let patches), let target?):
      for resource in try target.matcher().select(from: resources) {
        try applyStrategicMerge(patches[0], to: resource, in: &resources)
      }
    case (.strategicMerge(let patches), nil):
      for patch in patches {
        try applyStrategicMerge(patch, to: try PatchTransformer.target(of: patch, in: resources), in: &resources)
      }
    }
  }

  /// Whether the patch has a target and it selects no resource (the reference then silently does nothing).
  func selectsNothing(in resources: ResourceMap) -> Bool {
    guard let target, let matcher = try? target.matcher() else { return false }
    return matcher.select(from: resources).isEmpty
  }

  /// The one resource a patch without a target names, by any id it has had.
  static func target(of patch: Mapping, in resources: ResourceMap) throws(Diagnostic) -> Resource {
    let id = Resource(object: patch, source: patch.mark).id
    let matches = resources.resources(named: id.name) {
      $0.gvk == id.gvk && $0.name == id.name && $0.isNamespaceEqual(id)
    }
    guard matches.count == 1 else {
      let problem = matches.isEmpty ? "no resource matches" : "several resources match"
      throw Diagnostic(patch.mark, "\(problem) the strategic merge patch for \(id)")
    }
    return matches[0]
  }

  func applyStrategicMerge(_ patch: Mapping, to resource: Resource, in resources: inout ResourceMap) throws(Diagnostic)
  {
    let (name, namespace, kind) = (resource.name, resource.namespace, resource.gvk.kind)
    // The target keeps its apiVersion whatever the patch says, even where the
    // options let the kind change (as the reference does).
    let apiVersion = resource.object["apiVersion"]
    guard let result = try StrategicMergePatch(patch).apply(to: resource.object, gvk: resource.gvk, openAPI: openAPI),
      !result.entries.isEmpty
    else {
      resources.remove(resource)
      return
    }
    resources.update(resource, keepingPreviousID: allowNameChange || allowKindChange) { (resource) throws(Never) in
      resource.object = result
      let metadata = result.mapping(creating: "metadata")
      result["apiVersion"] = apiVersion
      if !allowKindChange { result["kind"] = .scalar(.string(kind)) }
      if !allowNameChange { metadata["name"] = .scalar(.string(name)) }
      metadata["namespace"] = namespace.isEmpty ? nil : .scalar(.string(namespace))
    }
    // A shared label or annotation the patch wrote in one place is written in all.
    resource.propagateSharedValues()
  }

  /// Applies a JSON patch; kustomize then rewrites annotations as strings.
  static func applyJSON(_ patch: JSONPatch, to resource: Resource) throws(Diagnostic) {
    // During a build kustomize keeps its own annotations on every resource, so
    // `metadata.annotations` always exists for a patch to add to.
    let metadata = resource.object.mapping(creating: "metadata")
    if metadata["annotations"]?.mapping == nil { metadata["annotations"] = .mapping(Mapping(mark: metadata.mark)) }
    var document = Node.mapping(resource.object)
    try patch.apply(to: &document)
    guard case .mapping(let object) = document else {
      throw Diagnostic(resource.source, "a JSON patch turned \(resource.id) into something other than a map")
    }
    // The reference reads the name back as a string: a patch that makes it anything else fails there.
    if let name = object["metadata"]?.mapping?["name"], name.scalar == nil {
      throw Diagnostic(
        name.mark, "a JSON patch made metadata.name of \(resource.id) \(NodeDecoding.describe(name)), not a string")
    }
    resource.object = object
    // The reference rebuilds the resource from JSON: no value is shared any more.
    resource.sharedValues = []
    if let annotations = resource.metadata?["annotations"]?.mapping {
      for index in annotations.entries.indices {
        guard case .scalar(let scalar) = annotations.entries[index].value, scalar.kind != .string else { continue }
        var number: Double?
        if scalar.kind == .int || scalar.kind == .float {
          // As JSON has no infinity or NaN, the reference cannot go on (the value is not shown: it may be a secret's).
          guard let value = ScalarResolver.canonicalText(scalar).flatMap(Double.init), value.isFinite else {
            throw Diagnostic(
              scalar.mark, "this annotation is a number that JSON cannot hold (infinite or not a number)")
          }
          number = value
        }
        let text: String =
          switch scalar.kind {
          case .null: "null"
          case .int, .float: JSONWriter.goFloat(number ?? 0)
          default: ScalarResolver.canonicalText(scalar) ?? scalar.value
          }
        annotations.entries[index].value = .scalar(.string(text, mark: scalar.mark))
      }
    }
  }
}

/// `patchesStrategicMerge:`: each entry a file or an inline patch, every
/// document applied to the resource it names.
public struct StrategicMergeFilesTransformer: BuiltinTransformer {
  public static let kind = "PatchStrategicMergeTransformer"
  public var action: String { "patching" }
  public var mark: Mark? { patches.first?.entryMark }
  let patches: [PatchTransformer]

  /// The transformer of the `patchesStrategicMerge:` entries, their patches loaded and checked.
  init(_ entries: [(entry: Located<String>, patches: [Mapping])], openAPI: OpenAPIDocument?) {
    patches = entries.map { entry, documents in
      PatchTransformer(
        content: .strategicMerge(documents), target: nil, allowNameChange: false, allowKindChange: false,
        openAPI: openAPI,
        mark: entry.mark)
    }
  }

  public func apply(to resources: inout ResourceMap) throws(Diagnostic) {
    for patch in patches { try patch.apply(to: &resources) }
  }
}
