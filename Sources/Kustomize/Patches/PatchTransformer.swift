import YAML

/// One patch: a strategic merge patch (one or more documents) or a JSON 6902
/// patch, from a file or inline, applied to the resources its target selects
/// or, without a target, to the resource each document names.
public struct PatchTransformer: Transformer {
  enum Content {
    case strategicMerge([Mapping])
    case json(JSONPatch)
  }

  let content: Content
  let target: Selector?
  let allowNameChange: Bool
  let allowKindChange: Bool
  let openAPI: OpenAPIDocument?
  let mark: Mark

  init(content: Content, target: Selector?, allowNameChange: Bool, allowKindChange: Bool, openAPI: OpenAPIDocument?, mark: Mark) {
    self.content = content
    self.target = target
    self.allowNameChange = allowNameChange
    self.allowKindChange = allowKindChange
    self.openAPI = openAPI
    self.mark = mark
  }

  /// Reads a `patches:` (or `patchesJson6902:`) entry's patch.
  init(
    _ entry: Kustomization.Patch, in kustomization: Kustomization, loader: Loader, jsonOnly: Bool, openAPI: OpenAPIDocument?
  ) throws(SourceError) {
    let documents = try PatchTransformer.documents(path: entry.path, inline: entry.patch, in: kustomization, loader: loader)
    let content = try PatchTransformer.classify(documents, at: entry.patch?.mark ?? entry.path?.mark ?? entry.mark)
    if jsonOnly, case .strategicMerge = content {
      throw SourceError(entry.mark, "a patchesJson6902 entry must hold a JSON patch (a list of operations)")
    }
    if case .json = content, entry.target == nil {
      throw SourceError(entry.mark, "a JSON patch needs a 'target'")
    }
    if case .strategicMerge(let patches) = content, entry.target != nil, patches.count > 1 {
      throw SourceError(entry.mark, "a patch with a 'target' may hold only one strategic merge document")
    }
    self.init(
      content: content, target: entry.target, allowNameChange: entry.allowNameChange,
      allowKindChange: entry.allowKindChange, openAPI: openAPI, mark: entry.mark)
  }

  /// The YAML documents of a patch, from its file (which must lie under the root) or inline text.
  static func documents(path: Located<String>?, inline: Located<String>?, in kustomization: Kustomization, loader: Loader)
    throws(SourceError) -> [Node]
  {
    if let path, !path.value.isEmpty {
      return try loader.parseEntry(path, in: kustomization.directory, what: "patch file").documents
    }
    guard let inline else { return [] }
    var parser = Parser()
    parser.limits = loader.limits.parser
    return try parser.parse(inline.value, file: kustomization.file, lineOffset: inline.mark.line)
  }

  /// A list of operations is a JSON patch; maps with a kind and a name are strategic merge patches.
  static func classify(_ documents: [Node], at mark: Mark) throws(SourceError) -> Content {
    let present = documents.filter { !$0.isNull }
    if present.count == 1, case .sequence = present[0] {
      return .json(try JSONPatch(present[0]))
    }
    var patches: [Mapping] = []
    for document in present {
      guard case .mapping(let patch) = document else {
        throw SourceError(document.mark, "a patch must be a strategic merge patch (a map) or a JSON patch (a list of operations)")
      }
      if patch.entries.isEmpty { continue }
      guard patch["kind"]?.scalar != nil, patch["metadata"]?.mapping?["name"]?.scalar != nil else {
        throw SourceError(patch.mark, "a strategic merge patch needs 'kind' and 'metadata.name'")
      }
      patches.append(patch)
    }
    guard !patches.isEmpty else { throw SourceError(mark, "the patch is empty") }
    return .strategicMerge(patches)
  }

  public func apply(to resources: inout ResourceMap) throws(SourceError) {
    switch content {
    case .json(let patch):
      let matcher = try target!.matcher()
      for resource in resources.resources where matcher.matches(resource) {
        try PatchTransformer.applyJSON(patch, to: resource)
      }
    case .strategicMerge(let patches):
      if let target {
        let matcher = try target.matcher()
        for resource in resources.resources where matcher.matches(resource) {
          try applyStrategicMerge(patches[0], to: resource, in: &resources)
        }
      } else {
        for patch in patches {
          try applyStrategicMerge(patch, to: try PatchTransformer.target(of: patch, in: resources), in: &resources)
        }
      }
    }
    try resources.reindex(after: "patching")
  }

  /// The one resource a patch without a target names, by any id it has had.
  static func target(of patch: Mapping, in resources: ResourceMap) throws(SourceError) -> Resource {
    let probe = Resource(object: patch, source: patch.mark)
    let id = probe.id
    let matches = resources.resources.filter { resource in
      resource.allIDs.contains { $0.gvk == id.gvk && $0.name == id.name && $0.isNamespaceEqual(id) }
    }
    guard matches.count == 1 else {
      let problem = matches.isEmpty ? "no resource matches" : "several resources match"
      throw SourceError(patch.mark, "\(problem) the strategic merge patch for \(id)")
    }
    return matches[0]
  }

  func applyStrategicMerge(_ patch: Mapping, to resource: Resource, in resources: inout ResourceMap) throws(SourceError) {
    let (name, namespace, kind) = (resource.name, resource.namespace, resource.gvk.kind)
    // The target keeps its apiVersion whatever the patch says, even where the
    // options let the kind change (as the reference does).
    let apiVersion = resource.object["apiVersion"]
    if allowNameChange || allowKindChange { resource.storePreviousID() }
    guard let result = try StrategicMergePatch(patch).apply(to: resource.object, gvk: resource.gvk, openAPI: openAPI),
      !result.entries.isEmpty
    else {
      resources.remove(resource)
      return
    }
    resource.object = result
    let metadata = result.mapping(creating: "metadata")
    result["apiVersion"] = apiVersion
    if !allowKindChange { result["kind"] = .scalar(.string(kind)) }
    if !allowNameChange { metadata["name"] = .scalar(.string(name)) }
    metadata["namespace"] = namespace.isEmpty ? nil : .scalar(.string(namespace))
    resource.refreshIdentity()
  }

  /// Applies a JSON patch; kustomize then rewrites annotations as strings.
  static func applyJSON(_ patch: JSONPatch, to resource: Resource) throws(SourceError) {
    resource.storePreviousID()
    // During a build kustomize keeps its own annotations on every resource, so
    // `metadata.annotations` always exists for a patch to add to.
    let metadata = resource.object.mapping(creating: "metadata")
    if metadata["annotations"]?.mapping == nil { metadata["annotations"] = .mapping(Mapping(mark: metadata.mark)) }
    var document = Node.mapping(resource.object)
    try patch.apply(to: &document)
    guard case .mapping(let object) = document else {
      throw SourceError(resource.source, "a JSON patch turned \(resource.id) into something other than a map")
    }
    resource.object = object
    if let annotations = resource.metadata?["annotations"]?.mapping {
      for index in annotations.entries.indices {
        guard case .scalar(let scalar) = annotations.entries[index].value, scalar.kind != .string else { continue }
        let text: String =
          switch scalar.kind {
          case .null: "null"
          case .int, .float: JSONWriter.goFloat(Double(ScalarResolver.canonicalText(scalar) ?? "0") ?? 0)
          default: ScalarResolver.canonicalText(scalar) ?? scalar.value
          }
        annotations.entries[index].value = .scalar(.string(text, mark: scalar.mark))
      }
    }
    resource.refreshIdentity()
  }
}

/// `patchesStrategicMerge:`: each entry a file or an inline patch, every
/// document applied to the resource it names.
public struct StrategicMergeFilesTransformer: Transformer {
  let patches: [PatchTransformer]

  init(_ entries: [Located<String>], in kustomization: Kustomization, loader: Loader, openAPI: OpenAPIDocument?) throws(SourceError) {
    var patches: [PatchTransformer] = []
    for entry in entries {
      let file = Path.join(kustomization.directory, entry.value)
      // An entry that names something on disk (a file, a FIFO, a dangling link) is read
      // as a file, and the loader refuses what is not a regular file inside the root.
      let isFile = loader.fileSystem.kind(of: file) != .missing
      if !isFile && !entry.value.contains("\n") && !entry.value.contains(": ") {
        throw SourceError(entry.mark, "patch file '\(entry.value)' not found: no file at '\(file)'")
      }
      let documents = try PatchTransformer.documents(
        path: isFile ? entry : nil, inline: isFile ? nil : entry, in: kustomization, loader: loader)
      guard case .strategicMerge(let docs) = try PatchTransformer.classify(documents, at: entry.mark) else {
        throw SourceError(entry.mark, "patchesStrategicMerge entries must be strategic merge patches")
      }
      patches.append(
        PatchTransformer(
          content: .strategicMerge(docs), target: nil, allowNameChange: false, allowKindChange: false, openAPI: openAPI,
          mark: entry.mark))
    }
    self.patches = patches
  }

  public func apply(to resources: inout ResourceMap) throws(SourceError) {
    for patch in patches { try patch.apply(to: &resources) }
  }
}
