import YAML

/// One Kubernetes object being built: its tree, plus the build state kustomize
/// keeps in annotations (previous ids, applied prefixes), held here as fields.
public final class Resource: @unchecked Sendable {
  public var object: Mapping
  /// Where the object was read, for messages.
  public let source: Mark
  public private(set) var gvk: GVK
  public private(set) var name: String
  public private(set) var namespace: String
  /// Ids stored before transformers renamed or moved the resource, oldest first
  /// (namespaces spelled effectively, `default` for none), as kustomize keeps them.
  public private(set) var previousIDs: [ResourceID] = []
  /// Name prefixes and suffixes applied to it, innermost first.
  public private(set) var prefixes: [String] = []
  public private(set) var suffixes: [String] = []
  /// Set on generated ConfigMaps and Secrets whose names get a content hash at the end.
  public var needsHashSuffix = false
  /// Where the resource came from, for `buildMetadata: [originAnnotations]`.
  public var origin: Origin?
  /// The transformers that ran over it, for `buildMetadata: [transformerAnnotations]`.
  public var transformations: [Origin] = []

  /// A file a resource was read from, or the kustomization entry that made or changed it.
  public enum Origin: Sendable, Equatable {
    case file(String)
    case builtin(configuredIn: String, kind: String)
  }

  public init(object: Mapping, source: Mark) {
    self.object = object
    self.source = source
    gvk = GVK()
    name = ""
    namespace = ""
    refreshIdentity()
  }

  public var id: ResourceID { ResourceID(gvk: gvk, name: name, namespace: namespace) }

  /// The id the resource was first read or generated with.
  public var originalID: ResourceID { previousIDs.first ?? id }

  /// Every id it has had, the current one last.
  public var allIDs: [ResourceID] { previousIDs + [id] }

  /// Remembers the current id before a transformer changes it, so that name
  /// references written against the old name can be found.
  public func storePreviousID() {
    var current = id
    current.namespace = current.effectiveNamespace
    previousIDs.append(current)
  }

  public var metadata: Mapping? { object["metadata"]?.mapping }

  /// Re-reads kind, name and namespace from the tree after an edit that may have changed them.
  public func refreshIdentity() {
    gvk = GVK(apiVersion: object["apiVersion"]?.scalar?.value ?? "", kind: object["kind"]?.scalar?.value ?? "")
    let metadata = self.metadata
    name = metadata?["name"]?.scalar?.value ?? ""
    namespace = metadata?["namespace"]?.scalar?.value ?? ""
  }

  /// Renames the resource (callers store the previous id first where kustomize does).
  public func setName(_ newName: String) {
    guard newName != name else { return }
    object.mapping(creating: "metadata")["name"] = .scalar(.string(newName))
    name = newName
  }

  /// Moves the resource to a namespace.
  public func setNamespace(_ newNamespace: String) {
    guard newNamespace != namespace else { return }
    object.mapping(creating: "metadata")["namespace"] = .scalar(.string(newNamespace))
    namespace = newNamespace
  }

  /// Takes over an existing resource's place, as a generator with `merge` or
  /// `replace` behavior does: its name, namespace and build history, its
  /// labels and annotations under the new ones.
  public func takePlace(of old: Resource) {
    for field in ["labels", "annotations"] {
      guard let oldPairs = old.metadata?[field]?.mapping else { continue }
      let merged = oldPairs.deepCopy()
      if let newPairs = metadata?[field]?.mapping {
        for entry in newPairs.entries { merged[entry.key.value] = entry.value }
      }
      object.mapping(creating: "metadata")[field] = .mapping(merged)
    }
    setName(old.name)
    if old.namespace.isEmpty {
      object["metadata"]?.mapping?["namespace"] = nil
      refreshIdentity()
    } else {
      setNamespace(old.namespace)
    }
    previousIDs = old.previousIDs
    prefixes = old.prefixes
    suffixes = old.suffixes
    needsHashSuffix = needsHashSuffix && old.needsHashSuffix
    transformations = old.transformations
  }

  public func recordPrefix(_ prefix: String) {
    if !prefix.isEmpty { prefixes.append(prefix) }
  }

  public func recordSuffix(_ suffix: String) {
    if !suffix.isEmpty { suffixes.append(suffix) }
  }
}
